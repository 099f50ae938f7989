// Loopback ports for tests that start real servers.
import { createServer } from 'node:net';

/** A port free on 127.0.0.1 now (closed again before use: a race with another process is possible, and harmless in tests). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
  const port = (s.address() as { port: number }).port;
  await new Promise((ok) => s.close(ok));
  return port;
}
