// The miner exporter against real files: lines in each bitstream's format, then the things a miner
// restart or logrotate does to its log, checking /metrics after each step.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startMinerExporter, type MinerExporterOptions } from '../profiles/miner/collector.js';
import { CLI } from './support/cli.js';
import { nimiq, rb4, tokenminer } from './support/miner-lines.js';
import { eventually, scrape, series, type Samples } from './support/scrape.js';

const stops: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()!();
});

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'fibre-stack-miner-'));
}

async function start(opts: Partial<MinerExporterOptions> & Pick<MinerExporterOptions, 'bitstream' | 'logs'>) {
  const exporter = await startMinerExporter({ host: '127.0.0.1', port: 0, nodeName: 'test', staleAfterSeconds: 3600, pollMs: 30, ...opts });
  stops.push(() => exporter.stop());
  return { metrics: () => scrape(exporter.urls[0]), health: () => fetch(exporter.urls[1]) };
}

/** Waits for the given series to have these values (each scrape is checked as a whole). */
async function expectSoon(metrics: () => Promise<Samples>, want: Record<string, number>, timeoutMs = 5000): Promise<Samples> {
  return eventually(async () => {
    const got = await metrics();
    const seen = Object.fromEntries(Object.keys(want).map((k) => [k, got.get(k)]));
    expect(seen).toEqual(want);
    return got;
  }, timeoutMs);
}

/** Long enough for several polls, so anything counted twice would show. */
const settle = () => new Promise((r) => setTimeout(r, 300));

describe('miner exporter', () => {
  it('follows a tokenminer log through partial lines, truncation, rotation, recreation and a stall', async () => {
    const dir = tmp();
    const log = join(dir, 'miner.log');
    writeFileSync(log, 'miner starting\n' + tokenminer(1.2, 500, 0.5, 60, 0.8));
    const { metrics } = await start({ bitstream: 'tokenminer', logs: [{ path: log, card: 'left' }], staleAfterSeconds: 1 });
    const card = { node: 'test', card: 'left', bitstream: 'tokenminer' };
    const stats = series('fibre_exporter_events_processed_total', { event_type: 'stats_line' });
    const unparseable = series('fibre_exporter_errors_total', { error_type: 'unparseable_line' });
    const hashrate = series('fpga_miner_hashrate_hashes_per_second', card);

    // What was in the file at start.
    let m = await expectSoon(metrics, { [hashrate]: 1.2e9, [stats]: 1 });
    expect(m.get(series('fpga_miner_clock_hertz', card))).toBe(5e8);
    expect(m.get(series('fpga_miner_error_ratio', card))).toBe(0.005);
    expect(m.get(series('fpga_miner_temperature_celsius', card))).toBe(60);
    expect(m.get(series('fpga_miner_voltage_volts', card))).toBe(0.8);
    expect(m.get(series('fpga_miner_log_stale', card))).toBe(0);
    const firstUpdate = m.get(series('fpga_miner_last_update_timestamp_seconds', card))!;
    expect(Math.abs(firstUpdate - Date.now() / 1000)).toBeLessThan(10);

    // A broken stats line is counted, and the exporter carries on.
    appendFileSync(log, 'a b fastGH/s (500MHz) hw 1% 65C 0.8V x y\n' + tokenminer(1.3, 510, 0.5, 61, 0.8));
    await expectSoon(metrics, { [hashrate]: 1.3e9, [stats]: 2, [unparseable]: 1 });

    // Half a line is held until its newline arrives.
    const line = tokenminer(1.4, 520, 0.5, 62, 0.8);
    appendFileSync(log, line.slice(0, 20));
    await settle();
    await expectSoon(metrics, { [hashrate]: 1.3e9, [stats]: 2 });
    appendFileSync(log, line.slice(20));
    await expectSoon(metrics, { [hashrate]: 1.4e9, [stats]: 3 });

    // The miner restarts and truncates its log: read from the start, nothing counted twice.
    truncateSync(log, 0);
    appendFileSync(log, tokenminer(1.5, 530, 0.5, 63, 0.8));
    await expectSoon(metrics, { [hashrate]: 1.5e9, [stats]: 4, [series('fibre_exporter_events_processed_total', { event_type: 'log_truncated' })]: 1 });
    // Truncated and written past the old length between two polls (one synchronous step here):
    // the bytes before our position changed, so it is read again from the start.
    writeFileSync(log, tokenminer(1.6, 540, 0.5, 64, 0.8) + tokenminer(1.7, 550, 0.5, 64, 0.8) + tokenminer(1.8, 560, 0.5, 64, 0.8));
    await expectSoon(metrics, { [hashrate]: 1.8e9, [stats]: 7 });

    // logrotate renames the log and the miner opens a new one: the old file's last line and the
    // new file's lines each count once.
    appendFileSync(log, tokenminer(1.9, 570, 0.5, 64, 0.8));
    renameSync(log, `${log}.1`);
    writeFileSync(log, tokenminer(2.0, 580, 0.5, 64, 0.8));
    await expectSoon(metrics, { [hashrate]: 2e9, [stats]: 9, [series('fibre_exporter_events_processed_total', { event_type: 'log_rotated' })]: 1 });

    // Deleted, then recreated: reported as missing, waited for, then read from its start.
    rmSync(log);
    await expectSoon(metrics, { [series('fibre_exporter_errors_total', { error_type: 'log_missing' })]: 1, [series('fpga_miner_log_stale', card)]: 0 });
    writeFileSync(log, tokenminer(2.1, 590, 0.5, 64, 0.8));
    await expectSoon(metrics, { [hashrate]: 2.1e9, [stats]: 10 });

    // Stalled for longer than --stale-after (1 s): stale; growing again: not stale.
    await expectSoon(metrics, { [series('fpga_miner_log_stale', card)]: 1 }, 4000);
    appendFileSync(log, tokenminer(2.2, 600, 0.5, 64, 0.8));
    m = await expectSoon(metrics, { [series('fpga_miner_log_stale', card)]: 0, [hashrate]: 2.2e9, [stats]: 11 });
    expect(m.get(series('fpga_miner_last_update_timestamp_seconds', card))!).toBeGreaterThan(firstUpdate);
    await settle();
    await expectSoon(metrics, { [stats]: 11, [unparseable]: 1 });
  });

  it('turns RB4 cumulative solutions and shares into counters that never go back', async () => {
    const dir = tmp();
    const log = join(dir, 'rb4.log');
    writeFileSync(log, rb4(2, '3/4', '10/12'));
    const { metrics } = await start({ bitstream: 'rb4', logs: [{ path: log, card: 'card0' }] });
    const c = (name: string, result: string) => series(name, { node: 'test', card: 'card0', bitstream: 'rb4', result });
    const sol = (good: number, bad: number) => ({ [c('fpga_miner_solutions_total', 'good')]: good, [c('fpga_miner_solutions_total', 'bad')]: bad });
    const sh = (good: number, bad: number) => ({ [c('fpga_miner_shares_total', 'good')]: good, [c('fpga_miner_shares_total', 'bad')]: bad });
    await expectSoon(metrics, { ...sol(3, 1), ...sh(10, 2) });
    appendFileSync(log, rb4(2, '5/7', '11/13'));
    await expectSoon(metrics, { ...sol(5, 2), ...sh(11, 2) });
    // Miner restart: its figures start again from zero; ours keep counting up.
    truncateSync(log, 0);
    appendFileSync(log, rb4(2, '1/1', '2/3'));
    await expectSoon(metrics, { ...sol(6, 2), ...sh(13, 3) });
    await settle();
    await expectSoon(metrics, { ...sol(6, 2), ...sh(13, 3) });
    // Restarted again, and already past its old good shares: only fewer bad ones show it, so all
    // of the new shares are new. The solutions just grew.
    writeFileSync(log, rb4(2, '2/2', '4/4'));
    await expectSoon(metrics, { ...sol(7, 2), ...sh(17, 3) });
  });

  it('counts nimiq yay and booooo lines as shares, and reads its stats line', async () => {
    const dir = tmp();
    const log = join(dir, 'nimiq.log');
    writeFileSync(log, nimiq(2.5, 450, 70, 0.9, 1.5, '7/9') + 'share yay\nshare yay\nshare booooo\n');
    const { metrics } = await start({ bitstream: 'nimiq', logs: [{ path: log, card: 'n0' }] });
    const l = { node: 'test', card: 'n0', bitstream: 'nimiq' };
    await expectSoon(metrics, {
      [series('fpga_miner_hashrate_hashes_per_second', l)]: 2.5e9,
      [series('fpga_miner_clock_hertz', l)]: 4.5e8,
      [series('fpga_miner_voltage_volts', l)]: 0.9,
      [series('fpga_miner_error_ratio', l)]: 0.015,
      [series('fpga_miner_solutions_total', { ...l, result: 'good' })]: 7,
      [series('fpga_miner_solutions_total', { ...l, result: 'bad' })]: 2,
      [series('fpga_miner_shares_total', { ...l, result: 'good' })]: 2,
      [series('fpga_miner_shares_total', { ...l, result: 'bad' })]: 1,
    });
  });

  it('labels each card with its rig\'s node name: two rigs, each with a card called left, serve series apart', async () => {
    const dir = tmp();
    const rigs = ['rig-a', 'rig-b'].map((node, i) => {
      const log = join(dir, `${node}.log`);
      writeFileSync(log, tokenminer(1 + i, 500, 0.5, 60 + i, 0.8));
      return { node, log };
    });
    const exporters = await Promise.all(rigs.map((r) => start({ nodeName: r.node, bitstream: 'tokenminer', logs: [{ path: r.log, card: 'left' }] })));
    for (const [i, e] of exporters.entries()) {
      const got = await expectSoon(e.metrics, { [series('fpga_miner_temperature_celsius', { node: rigs[i].node, card: 'left', bitstream: 'tokenminer' })]: 60 + i });
      // Every card series names the rig: none without a node label.
      expect([...got.keys()].filter((k) => k.startsWith('fpga_miner_') && !k.includes(`node="${rigs[i].node}"`))).toEqual([]);
    }
  });

  it('runs from the CLI: waits for a missing log (health 503), then serves it, one series set per card', async () => {
    const dir = tmp();
    const a = join(dir, 'a.log');
    const b = join(dir, 'b.log');
    const port = 20000 + Math.floor(Math.random() * 20000);
    const child: ChildProcess = spawn(
      process.execPath,
      [CLI, 'exporter', 'miner', '--bitstream', 'tokenminer', '-m', a, b, '-c', 'alpha', 'beta', '--node-name', 'rig-a', '--host', '127.0.0.1', '--stale-after', '1'],
      { env: { ...process.env, FIBRE_PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    stops.push(() => {
      child.kill('SIGKILL');
    });
    const base = `http://127.0.0.1:${port}`;
    const health = await eventually(async () => fetch(`${base}/health`));
    expect(health.status).toBe(503);
    // Card names and states only: /health answers anyone, so it names no path.
    expect(await health.text()).toBe('card alpha: log file missing; waiting for it\ncard beta: log file missing; waiting for it\n');
    expect(output).toContain(`${a} does not exist (yet); waiting for it to appear`);

    writeFileSync(a, tokenminer(1, 400, 0, 50, 0.7));
    await eventually(async () => expect((await fetch(`${base}/health`)).status).toBe(200));
    await expectSoon(() => scrape(`${base}/metrics`), {
      [series('fpga_miner_hashrate_hashes_per_second', { node: 'rig-a', card: 'alpha', bitstream: 'tokenminer' })]: 1e9,
      [series('fibre_exporter_errors_total', { error_type: 'log_missing' })]: 2,
      fibre_exporter_up: 1,
    });
    expect(existsSync(b)).toBe(false);
    // --stale-after 1: the first log goes stale after a second without growth, the missing one
    // after a second without a file.
    await expectSoon(() => scrape(`${base}/metrics`), {
      [series('fpga_miner_log_stale', { node: 'rig-a', card: 'alpha', bitstream: 'tokenminer' })]: 1,
      [series('fpga_miner_log_stale', { node: 'rig-a', card: 'beta', bitstream: 'tokenminer' })]: 1,
    });

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('refuses a card list that does not match the logs, with exit code 2', async () => {
    const child = spawn(process.execPath, [CLI, 'exporter', 'miner', '--bitstream', 'rb4', '-m', 'x.log', 'y.log', '-c', 'only-one'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise((r) => child.on('exit', r));
    expect(code).toBe(2);
    expect(stderr).toContain('2 --log file(s) but 1 --card name(s)');
  });
});
