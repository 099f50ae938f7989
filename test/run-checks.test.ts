// What `validate` concludes from a service's readiness answer, against real HTTP servers on
// loopback standing in for the services: a core service is ready on HTTP 200 only, and an
// exporter's /health on HTTP 200 with the body OK. Which services there are and where they are
// asked comes from the stack's own service list, for a stack rendered on the servers' ports.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { readinessCheck } from '../cli/run/checks.js';
import { stackServices } from '../cli/render/stack-services.js';
import { testSpec } from './support/run-stack.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** A loopback HTTP server answering each path with a fixed status and body (404 otherwise). */
async function answering(routes: Record<string, [number, string]>): Promise<number> {
  const server = createServer((req, res) => {
    const [status, body] = routes[req.url ?? ''] ?? [404, 'not found'];
    res.writeHead(status, { 'content-type': 'text/plain' }).end(body);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** The stack's Prometheus and FIBRE exporter, as validate asks them, on the given ports. */
function services(prometheusPort: number, exporterPort: number) {
  const spec = testSpec('native', 29400, (s) => {
    s.ports.prometheus = prometheusPort;
    s.profiles.fibre!.exporter_port = exporterPort;
  });
  const all = stackServices(spec);
  return { prometheus: all.find((s) => s.name === 'prometheus')!, exporter: all.find((s) => s.name === 'fibre-exporter')! };
}

describe('readiness of a core service', () => {
  it('is passed by HTTP 200, whatever the body', async () => {
    const port = await answering({ '/-/ready': [200, 'Prometheus Server is Ready.\n'] });
    const { prometheus } = services(port, port);
    expect(await readinessCheck(prometheus)).toEqual({ check: 'ready', ok: true, detail: `http://127.0.0.1:${port}/-/ready: HTTP 200: Prometheus Server is Ready.` });
  });

  it('is not passed by a service that answers but is not ready (HTTP 503)', async () => {
    const port = await answering({ '/-/ready': [503, 'Service Unavailable'] });
    const { prometheus } = services(port, port);
    expect(await readinessCheck(prometheus)).toEqual({ check: 'ready', ok: false, detail: `http://127.0.0.1:${port}/-/ready: HTTP 503: Service Unavailable` });
  });

  it('is not passed by a redirect either, which a probe does not follow', async () => {
    const port = await answering({ '/-/ready': [302, ''] });
    const { prometheus } = services(port, port);
    expect(await readinessCheck(prometheus)).toEqual({ check: 'ready', ok: false, detail: `http://127.0.0.1:${port}/-/ready: HTTP 302` });
  });

  it('is not passed when nothing listens', async () => {
    const port = await answering({});
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const { prometheus } = services(port, port);
    expect(await readinessCheck(prometheus)).toEqual({ check: 'ready', ok: false, detail: `http://127.0.0.1:${port}/-/ready: connection refused` });
  });
});

describe('health of an exporter', () => {
  it('is passed by HTTP 200 with the body OK', async () => {
    const port = await answering({ '/health': [200, 'OK\n'] });
    const { exporter } = services(port, port);
    expect(await readinessCheck(exporter)).toEqual({ check: 'health', ok: true, detail: `http://127.0.0.1:${port}/health: HTTP 200: OK` });
  });

  it.each<[number, string]>([
    [200, 'waiting for bitcoind'],
    [503, 'OK'],
    [503, 'bitcoind is not running'],
  ])('is not passed by HTTP %i with the body %j', async (status, body) => {
    const port = await answering({ '/health': [status, body] });
    const { exporter } = services(port, port);
    expect(await readinessCheck(exporter)).toEqual({ check: 'health', ok: false, detail: `http://127.0.0.1:${port}/health: HTTP ${status}: ${body}` });
  });
});
