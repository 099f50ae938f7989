// stopChild on real child processes: one that honours the signal, one that ignores it.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { stopChild } from '../exporter/child-stop.js';

/** A node child that prints "ready" once its SIGINT handler (which may ignore the signal) is set. */
async function child(onSigint: string) {
  const c = spawn(process.execPath, ['-e', `process.on('SIGINT', () => { ${onSigint} }); setInterval(() => {}, 1000); console.log('ready');`], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve) => c.stdout!.once('data', resolve));
  return c;
}

describe('stopChild', () => {
  it('lets a child that honours the signal exit by itself', async () => {
    const c = await child('process.exit(0)');
    await stopChild(c, 'SIGINT', 5000);
    expect(c.exitCode).toBe(0);
  });

  it('kills a child that ignores the signal once the grace time is up', async () => {
    const c = await child('/* ignored, as bpftrace once did */');
    const started = Date.now();
    await stopChild(c, 'SIGINT', 300);
    expect(c.signalCode).toBe('SIGKILL');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  // A stop that waited for an exit already past would hang; the test's own timeout is the grace.
  const GRACE_MS = 30_000;
  it('returns at once for a child that has already exited', async () => {
    const c = await child('process.exit(0)');
    c.kill('SIGINT');
    await new Promise((resolve) => c.once('exit', resolve));
    const started = Date.now();
    await stopChild(c, 'SIGINT', GRACE_MS);
    // "At once": long before the grace time, after which it would have sent SIGKILL.
    expect(Date.now() - started).toBeLessThan(GRACE_MS / 10);
    expect(c.exitCode).toBe(0);
    expect(c.signalCode).toBeNull();
  }, GRACE_MS);
});
