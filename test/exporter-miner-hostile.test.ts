// The miner exporter against hostile and mistaken logs (issue 12's per-card failures and /health
// leaks, issue 13's miner points): real files and FIFOs, the exporter in this process, stderr read
// as it is written.
import { closeSync, constants, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startMinerExporter, type MinerExporterOptions } from '../profiles/miner/collector.js';
import { rb4, tokenminer } from './support/miner-lines.js';
import { eventually, scrape, series } from './support/scrape.js';

const stops: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()!();
});

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'fibre-stack-miner-hostile-'));
}

/** What the exporter writes to stderr from now on. */
function stderr(): { text: () => string } {
  let text = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    text += String(chunk);
    return true;
  });
  stops.push(() => spy.mockRestore());
  return { text: () => text };
}

async function start(opts: Partial<MinerExporterOptions> & Pick<MinerExporterOptions, 'bitstream' | 'logs'>) {
  const exporter = await startMinerExporter({ host: '127.0.0.1', port: 0, nodeName: 'test', staleAfterSeconds: 3600, pollMs: 30, ...opts });
  stops.push(() => exporter.stop());
  const health = async (init?: RequestInit) => {
    const res = await fetch(exporter.urls[1], init);
    return { status: res.status, body: await res.text() };
  };
  return { metrics: () => scrape(exporter.urls[0], opts.basicAuth ? { headers: auth(opts.basicAuth) } : undefined), health };
}

const auth = (c: { username: string; password: string }) => ({ Authorization: `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}` });

describe('miner exporter, one card at a time', () => {
  it("a FIFO in place of one card's log: the other card is read, /health names the stuck card and no path", async () => {
    const dir = tmp();
    const fifo = join(dir, 'left.log');
    const good = join(dir, 'right.log');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    stops.push(() => {
      try {
        closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
      } catch {
        // no reader parked on it: nothing to let go
      }
    });
    writeFileSync(good, tokenminer(1.5, 500, 0, 60, 0.8));
    const err = stderr();
    const { metrics, health } = await start({ bitstream: 'tokenminer', logs: [{ path: fifo, card: 'left' }, { path: good, card: 'right' }] });
    await eventually(async () => {
      const m = await metrics();
      expect(m.get(series('fpga_miner_hashrate_hashes_per_second', { node: 'test', card: 'right', bitstream: 'tokenminer' }))).toBe(1.5e9);
      expect(m.get(series('fibre_exporter_errors_total', { error_type: 'log_not_a_file' }))).toBe(1);
    });
    const h = await health();
    expect(h.status).toBe(503);
    expect(h.body).toBe('card left: log path is not a regular file (a FIFO, device or folder); not read\n');
    expect(err.text()).toContain(`miner left: ${fifo} is not a regular file`);
  });

  it('a number of hundreds of digits makes its line unparseable, says why, and the lines after it are read', async () => {
    const dir = tmp();
    const log = join(dir, 'rb4.log');
    const huge = '9'.repeat(400);
    writeFileSync(log, rb4(1, `${huge}/${huge}`, '1/1') + rb4(2.5, '3/4', '5/6'));
    const err = stderr();
    const { metrics } = await start({ bitstream: 'rb4', logs: [{ path: log, card: 'c0' }] });
    const card = { node: 'test', card: 'c0', bitstream: 'rb4' };
    await eventually(async () => {
      const m = await metrics();
      expect(m.get(series('fpga_miner_hashrate_hashes_per_second', card))).toBe(2.5e9);
      expect(m.get(series('fpga_miner_solutions_total', { ...card, result: 'good' }))).toBe(3);
      expect(m.get(series('fibre_exporter_errors_total', { error_type: 'unparseable_line' }))).toBe(1);
    });
    expect(err.text()).toContain(`miner c0: unparseable stats line: count out of range in "${'9'.repeat(40)}...`);
  });

  it('says why a stats line was unparseable', async () => {
    const log = join(tmp(), 'm.log');
    writeFileSync(log, '[12:00:00] GPU0 fastGH/s (500MHz) hw 0% 60C 0.8V ok 0x1\n');
    const err = stderr();
    await start({ bitstream: 'tokenminer', logs: [{ path: log, card: 'c0' }] });
    await eventually(() => expect(err.text()).toContain('miner c0: unparseable stats line: expected <number>GH/s, got "fastGH/s"'));
  });
});

describe('miner exporter, issue 13', () => {
  it('lines of another bitstream: said on stderr, counted, /health 503 until the right lines come', async () => {
    const log = join(tmp(), 'm.log');
    writeFileSync(log, rb4(1, '1/1', '1/1').repeat(3));
    const err = stderr();
    const { metrics, health } = await start({ bitstream: 'tokenminer', logs: [{ path: log, card: 'c0' }] });
    await eventually(async () => expect(await health()).toEqual({ status: 503, body: 'card c0: log lines are rb4 stats lines, not tokenminer ones: check --bitstream\n' }));
    expect((await metrics()).get(series('fibre_exporter_errors_total', { error_type: 'bitstream_mismatch' }))).toBe(3);
    expect(err.text()).toContain('miner c0: its log lines are rb4 stats lines, not tokenminer ones');
    writeFileSync(log, tokenminer(1, 400, 0, 50, 0.7), { flag: 'a' });
    await eventually(async () => expect((await health()).status).toBe(200));
  });

  it('a missing log is stale after --stale-after, so the stale alert fires', async () => {
    const dir = tmp();
    const there = join(dir, 'there.log');
    writeFileSync(there, tokenminer(1, 400, 0, 50, 0.7));
    const { metrics } = await start({ bitstream: 'tokenminer', logs: [{ path: join(dir, 'gone.log'), card: 'gone' }, { path: there, card: 'there' }], staleAfterSeconds: 1 });
    await eventually(async () => expect((await metrics()).get(series('fpga_miner_log_stale', { node: 'test', card: 'gone', bitstream: 'tokenminer' }))).toBe(1));
  });
});

describe('/health gives detail only to who may see /metrics', () => {
  it('names cards and states to anyone, the paths only with the basic-auth credentials', async () => {
    const dir = tmp();
    const missing = join(dir, 'secret-place', 'miner.log');
    const basicAuth = { username: 'prom', password: 'pw' };
    const { health } = await start({ bitstream: 'tokenminer', logs: [{ path: missing, card: 'c0' }], basicAuth });
    await eventually(async () => expect((await health()).body).toBe('card c0: log file missing; waiting for it\n'));
    expect((await health({ headers: auth({ username: 'prom', password: 'wrong' }) })).body).not.toContain(missing);
    const withAuth = await health({ headers: auth(basicAuth) });
    expect(withAuth.status).toBe(503);
    expect(withAuth.body).toContain(`card c0: ${missing}`);
  });
});
