// `fibre-stack exporter fibre` against a real process with real USDT probes (scripts/lib/
// fake-bitcoind.c, a stand-in for bitcoind) and real bpftrace, once per bpftrace build this
// machine runs (the host's 0.17 and trixie's 0.23: test/support/bpftrace-builds.ts): exact metric
// values after a known sequence of events, re-attaching across a bitcoind restart to that node and
// no other, bpftrace restarts, and the environment errors.
// Runs the built CLI: `npx tsc -p .` first (npm test does it).
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { ExporterProcess } from './support/exporter-process.js';
import { compileFake, FakeBitcoind } from '../scripts/lib/fake-bitcoind.js';
import { bpftraceBuilds } from './support/bpftrace-builds.js';
import { eventually, series, type Samples } from './support/scrape.js';

const builds = bpftraceBuilds('exporter fibre (eBPF)');
const ready = builds.length > 0;
const FIBRE_PROBES = ['udp:block_reconstructed', 'udp:block_reconstruction_detail', 'udp:block_send_start', 'udp:block_race_winner', 'udp:block_race_time', 'validation:block_connected'];
const OLD_FIBRE_PROBES = FIBRE_PROBES.filter((p) => p !== 'udp:block_race_time' && p !== 'udp:block_reconstruction_detail');
const node = 'relay-1';
const n = { node };
const H1 = '00000000000000000001a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7';

let dir: string;
let binary: string;

beforeAll(() => {
  if (!ready) return;
  dir = mkdtempSync(join(tmpdir(), 'fibre-exporter-'));
  chmodSync(dir, 0o755); // the unprivileged-user case must be able to read the binary
  binary = compileFake(dir);
});
afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

/**
 * Healthy means attached: by the time /health says OK every probe is enabled in the process (its
 * semaphore set), which bpftrace's attached_probes alone does not prove before 0.24.
 */
async function attached(fake: FakeBitcoind, exporter: ExporterProcess, probes = FIBRE_PROBES): Promise<void> {
  await eventually(async () => expect((await exporter.health()).status).toBe(200), 20_000, 10);
  for (const p of probes) await fake.waitEnabled(p, 0);
}

function bucket(s: Samples, name: string, le: string, labels: Record<string, string> = n): number | undefined {
  return s.get(series(`${name}_bucket`, { ...labels, le }));
}

describe.each(builds)('exporter fibre on bpftrace $name', ({ path: bpftrace }) => {
  it('counts a known sequence of events exactly, re-attaches after a bitcoind restart and survives bpftrace dying', async () => {
    let fake = FakeBitcoind.start(binary);
    const exporter = await ExporterProcess.start(['fibre', '--bitcoind', binary, '--node-name', node, '--bpftrace', bpftrace]);
    try {
      await attached(fake, exporter);
      expect(exporter.output).toContain(`attached usdt udp:block_race_time (pid ${fake.pid})`);
      // No build warns on start (0.20-0.23 would, about BPFTRACE_STRLEN, were it given to them).
      expect(exporter.output).not.toMatch(/bpftrace: WARNING/);
      expect(exporter.output).toMatch(/serving http:\/\/127\.0\.0\.1:\d+\/health/);

      const fired = [
        await fake.fire('reconstructed abcd 10.0.0.1:8336 100 120 3 3000 800001'),
        await fake.fire('reconstructed abcd 10.0.0.2:8336 250 260 2 40000 800002'),
        await fake.fire('reconstructed abcd 10.0.0.1:8336 40 40 1 700000 800003'),
        await fake.fire('send abcd 1795000000000000'),
        await fake.fire('send abcd 1795000000100000'),
        await fake.fire(`winner ${H1} 800001 FIBRE/UDP 10.0.0.1:8336`),
        await fake.fire(`winner ${H1} 800002 BIP152/CMPCTBLOCK 10.0.0.9:8333`),
        await fake.fire(`winner ${H1} 800003 HEADERS n/a`),
        await fake.fire(`racetime ${H1} 800001 15000000 10.0.0.1:8336 45000000 10.0.0.9:8333`),
        await fake.fire(`racetime ${H1} 800002 -1 n/a 80000000 10.0.0.9:8333`),
        await fake.fire(`racetime ${H1} 800003 50000000 10.0.0.2:8336 20000000 10.0.0.9:8333`),
        await fake.fire(`connected ${H1} 800002 2500 6000 20000 120000000`),
        await fake.fire(`connected ${H1} 800004 1 1 0 2000000`),
        // Reconstruction detail: 0 missing (all 2500 from the mempool), then 7 missing of 3100 (40 kB).
        await fake.fire('detail abcd 800001 0 0 2500 2500 1'),
        await fake.fire('detail abcd 800002 7 40000 3093 3100 0'),
      ];
      expect(fired.every((f) => f === 1)).toBe(true);

      // bpftrace reads one ring buffer per CPU, so events may arrive out of order: wait for all of them.
      const processed = (s: Map<string, number>) =>
        [...s].filter(([k]) => k.startsWith('fibre_exporter_events_processed_total{')).reduce((sum, [, v]) => sum + v, 0);
      const s = await eventually(async () => {
        const s = await exporter.scrape();
        expect(processed(s)).toBe(fired.length);
        return s;
      });
      expect(s.get(series('fibre_exporter_events_processed_total', { event_type: 'block_connected' }))).toBe(2);
      expect(s.get(series('fibre_blocks_reconstructed_total', n))).toBe(3);
      expect(s.get(series('fibre_chunks_used_total', n))).toBe(390);
      expect(s.get(series('fibre_chunks_received_total', n))).toBe(420);
      expect(s.get(series('fibre_blocks_sent_total', n))).toBe(2);
      // Reconstruction took 3 ms, 40 ms and 700 ms.
      expect(bucket(s, 'fibre_block_reconstruction_duration_seconds', '0.001')).toBe(0);
      expect(bucket(s, 'fibre_block_reconstruction_duration_seconds', '0.005')).toBe(1);
      expect(bucket(s, 'fibre_block_reconstruction_duration_seconds', '0.05')).toBe(2);
      expect(bucket(s, 'fibre_block_reconstruction_duration_seconds', '0.5')).toBe(2);
      expect(bucket(s, 'fibre_block_reconstruction_duration_seconds', '1')).toBe(3);
      expect(s.get(series('fibre_block_reconstruction_duration_seconds_sum', n))).toBeCloseTo(0.743, 9);
      expect(bucket(s, 'fibre_block_chunks_used', '50')).toBe(1);
      expect(bucket(s, 'fibre_block_chunks_used', '100')).toBe(2);
      expect(bucket(s, 'fibre_block_chunks_used', '200')).toBe(2);
      expect(bucket(s, 'fibre_block_chunks_used', '500')).toBe(3);
      expect(s.get(series('fibre_block_chunks_used_sum', n))).toBe(390);
      // Winners: F... -> fibre_udp, B... -> bip152_cmpct, anything else -> other.
      expect(s.get(series('fibre_block_race_wins_total', { node, mechanism: 'fibre_udp' }))).toBe(1);
      expect(s.get(series('fibre_block_race_wins_total', { node, mechanism: 'bip152_cmpct' }))).toBe(1);
      expect(s.get(series('fibre_block_race_wins_total', { node, mechanism: 'other' }))).toBe(1);
      expect(s.get(series('fibre_block_deliveries_total', { node, mechanism: 'fibre_udp', peer: '10.0.0.1:8336' }))).toBe(1);
      expect(s.get(series('fibre_block_deliveries_total', { node, mechanism: 'bip152_cmpct', peer: '10.0.0.9:8333' }))).toBe(1);
      expect(s.get(series('fibre_block_deliveries_total', { node, mechanism: 'other', peer: 'n/a' }))).toBe(1);
      // Reconstruction detail, in the bitcoinfibre exporter's metrics and buckets.
      expect(s.get(series('fibre_block_missing_tx_count_count', n))).toBe(2);
      expect(bucket(s, 'fibre_block_missing_tx_count', '0')).toBe(1);
      expect(bucket(s, 'fibre_block_missing_tx_count', '5')).toBe(1);
      expect(bucket(s, 'fibre_block_missing_tx_count', '10')).toBe(2);
      expect(bucket(s, 'fibre_block_missing_tx_bytes', '10000')).toBe(1);
      expect(bucket(s, 'fibre_block_missing_tx_bytes', '50000')).toBe(2);
      expect(s.get(series('fibre_block_missing_tx_bytes_sum', n))).toBe(40000);
      expect(bucket(s, 'fibre_block_mempool_tx_count', '2000')).toBe(0);
      expect(bucket(s, 'fibre_block_mempool_tx_count', '3000')).toBe(1);
      expect(bucket(s, 'fibre_block_mempool_tx_count', '5000')).toBe(2);
      expect(s.get(series('fibre_exporter_events_processed_total', { event_type: 'block_reconstruction_detail' }))).toBe(2);
      // Its seventh argument (the all-from-mempool flag) needs bpftrace 0.24: degraded, and said.
      expect(s.get(series('fibre_block_all_tx_from_mempool_total', n))).toBeUndefined();
      expect(exporter.output).toContain('probe udp:block_reconstruction_detail: bpftrace');
      expect(exporter.output).toContain('fibre_block_all_tx_from_mempool_total stays empty');
      // Race view: UDP delivered in 15 and 50 ms, compact blocks in 45, 80 and 20 ms, in the
      // original exporter's buckets (w0xlt/fibre-monitoring@a388ad9).
      for (const le of ['0.001', '0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2', '5', '10', '+Inf']) {
        expect(bucket(s, 'fibre_block_race_latency_seconds', le, { node, mechanism: 'fibre_udp' }), le).toBeDefined();
      }
      expect(bucket(s, 'fibre_block_race_latency_seconds', '0.0005', { node, mechanism: 'fibre_udp' })).toBeUndefined();
      expect(bucket(s, 'fibre_block_race_latency_seconds', '2.5', { node, mechanism: 'fibre_udp' })).toBeUndefined();
      expect([...s.keys()].filter((k) => k.startsWith('fibre_race_margin_seconds_bucket{') && k.includes('winner="fibre_udp"')).map((k) => /le="([^"]+)"/.exec(k)![1])).toEqual(
        ['0.001', '0.005', '0.01', '0.025', '0.05', '0.1', '0.5', '1', '+Inf'],
      );
      const udp = { node, mechanism: 'fibre_udp' };
      const cmpct = { node, mechanism: 'bip152_cmpct' };
      expect(s.get(series('fibre_block_race_latency_seconds_count', udp))).toBe(2);
      expect(s.get(series('fibre_block_race_latency_seconds_sum', udp))).toBeCloseTo(0.065, 9);
      expect(bucket(s, 'fibre_block_race_latency_seconds', '0.025', udp)).toBe(1);
      expect(bucket(s, 'fibre_block_race_latency_seconds', '0.05', udp)).toBe(2);
      expect(s.get(series('fibre_block_race_latency_seconds_count', cmpct))).toBe(3);
      expect(s.get(series('fibre_block_race_latency_seconds_sum', cmpct))).toBeCloseTo(0.145, 9);
      expect(bucket(s, 'fibre_block_race_latency_seconds', '0.025', cmpct)).toBe(1);
      expect(bucket(s, 'fibre_block_race_latency_seconds', '0.05', cmpct)).toBe(2);
      expect(bucket(s, 'fibre_block_race_latency_seconds', '0.1', cmpct)).toBe(3);
      expect(s.get(series('fibre_races_with_both_total', n))).toBe(2);
      expect(s.get(series('fibre_race_margin_seconds_count', { node, winner: 'fibre_udp' }))).toBe(1);
      expect(s.get(series('fibre_race_margin_seconds_sum', { node, winner: 'fibre_udp' }))).toBeCloseTo(0.03, 9);
      expect(s.get(series('fibre_race_margin_seconds_count', { node, winner: 'bip152_cmpct' }))).toBe(1);
      expect(s.get(series('fibre_race_margin_seconds_sum', { node, winner: 'bip152_cmpct' }))).toBeCloseTo(0.03, 9);
      // Blocks connected: 2500 txs in 120 ms, 1 tx in 2 ms.
      expect(s.get(series('bitcoin_blocks_connected_total', n))).toBe(2);
      expect(bucket(s, 'bitcoin_block_connection_duration_seconds', '0.001')).toBe(0);
      expect(bucket(s, 'bitcoin_block_connection_duration_seconds', '0.005')).toBe(1);
      expect(bucket(s, 'bitcoin_block_connection_duration_seconds', '0.25')).toBe(2);
      expect(s.get(series('bitcoin_block_connection_duration_seconds_sum', n))).toBeCloseTo(0.122, 9);
      expect(bucket(s, 'bitcoin_block_tx_count', '1')).toBe(1);
      expect(bucket(s, 'bitcoin_block_tx_count', '2000')).toBe(1);
      expect(bucket(s, 'bitcoin_block_tx_count', '3000')).toBe(2);
      expect(s.get(series('fibre_last_block_height', n))).toBe(800004);
      expect(s.get(series('fibre_exporter_events_processed_total', { event_type: 'block_reconstructed' }))).toBe(3);
      expect(s.get(series('fibre_exporter_events_processed_total', { event_type: 'block_race_time' }))).toBe(3);
      expect(s.get('fibre_exporter_probes_attached')).toBe(6);
      expect([...s.keys()].some((k) => k.startsWith('fibre_exporter_info{') && k.includes(`bitcoind_path="${binary}"`) && k.includes(`node_name="${node}"`))).toBe(true);

      // bitcoind restarts: a new process (new PID) of the same binary. The exporter must attach
      // to it within 5 s, and the counters continue from where they were.
      const oldPid = fake.pid;
      await fake.stop();
      await eventually(async () => expect((await exporter.health()).status).toBe(503), 10_000, 50);
      fake = FakeBitcoind.start(binary);
      expect(fake.pid).not.toBe(oldPid);
      await fake.waitEnabled('udp:block_reconstructed', 5000);
      await attached(fake, exporter);
      expect(await fake.fire('reconstructed abcd 10.0.0.1:8336 10 11 1 1000 800005')).toBe(1);
      await eventually(async () => {
        const s2 = await exporter.scrape();
        expect(s2.get(series('fibre_blocks_reconstructed_total', n))).toBe(4);
        expect(s2.get(series('fibre_chunks_used_total', n))).toBe(400);
        expect(s2.get(series('fibre_block_chunks_used_count', n))).toBe(4);
      });
      expect(exporter.output).toContain(`attached usdt udp:block_reconstructed (pid ${fake.pid})`);

      // bpftrace dies under the exporter: it is restarted, the death is counted, counting goes on.
      const bpftracePid = Number(execFileSync('pgrep', ['-P', String(exporter.pid), 'bpftrace'], { encoding: 'utf8' }).trim());
      process.kill(bpftracePid, 'SIGKILL');
      await eventually(async () => expect((await exporter.scrape()).get(series('fibre_exporter_errors_total', { error_type: 'bpftrace_exit' }))).toBe(1));
      await attached(fake, exporter);
      expect(await fake.fire('send abcd 1795000000200000')).toBe(1);
      await eventually(async () => expect((await exporter.scrape()).get(series('fibre_blocks_sent_total', n))).toBe(3));
      expect(exporter.output).toMatch(/bpftrace exited \(signal SIGKILL\); restarting in/);
    } finally {
      expect(await exporter.stop()).toBe(0);
      await fake.stop();
    }
  });

  it('accounts for every event of a burst fired as fast as the process can: counted, or reported lost by bpftrace', async () => {
    const fake = FakeBitcoind.start(binary);
    const exporter = await ExporterProcess.start(['fibre', '--bitcoind', binary, '--node-name', node, '--bpftrace', bpftrace]);
    try {
      await attached(fake, exporter);
      fake.pin(0);
      const event = 'reconstructed abcd 10.0.0.1:8336 3 4 1 3000 800001';
      // 200,000 events in well under a second: more than bpftrace's kernel buffer holds, so
      // whatever the reader cannot take in time shows up in bpftrace's lost_events.
      let fired = await fake.fire(`repeat 200000 0 ${event}`);
      expect(fired).toBe(200_000);
      const accounted = (s: Samples) =>
        (s.get(series('fibre_blocks_reconstructed_total', n)) ?? 0) + (s.get(series('fibre_exporter_errors_total', { error_type: 'lost_events' })) ?? 0);
      // On 0.17 the last losses of the burst are reported with the next event into the same
      // CPU's buffer (FakeBitcoind.pin): one more at a time until everything is accounted for.
      const s = await eventually(
        async () => {
          fired += await fake.fire(event);
          return await eventually(async () => {
            const s = await exporter.scrape();
            expect(accounted(s)).toBe(fired);
            return s;
          }, 5000);
        },
        60_000,
        0,
      );
      const counted = s.get(series('fibre_blocks_reconstructed_total', n))!;
      expect(counted).toBeGreaterThan(0);
      // Every event that arrived was counted whole, by every metric it feeds.
      expect(s.get(series('fibre_exporter_events_processed_total', { event_type: 'block_reconstructed' }))).toBe(counted);
      expect(s.get(series('fibre_chunks_used_total', n))).toBe(3 * counted);
      expect(s.get(series('fibre_block_chunks_used_count', n))).toBe(counted);
      expect(s.get(series('fibre_exporter_errors_total', { error_type: 'unparseable_line' }))).toBeUndefined();
    } finally {
      expect(await exporter.stop()).toBe(0);
      await fake.stop();
    }
  });

  it('serves 503 with the reason while bitcoind is not running, and skips probes the binary lacks', async () => {
    const old = compileFake(dir, 'bitcoind-old', { noRaceTime: true });
    const exporter = await ExporterProcess.start(['fibre', '--bitcoind', old, '--bpftrace', bpftrace]);
    let fake: FakeBitcoind | undefined;
    try {
      expect(exporter.output).toContain('probe udp:block_race_time: not in this binary, skipped');
      expect(exporter.output).toContain('probe udp:block_reconstruction_detail: not in this binary, skipped');
      const h = await exporter.health();
      expect(h.status).toBe(503);
      expect(h.body).toContain(`no process runs ${old}`);
      expect((await exporter.scrape()).get('fibre_exporter_probes_attached')).toBe(0);
      fake = FakeBitcoind.start(old);
      await attached(fake, exporter, OLD_FIBRE_PROBES);
      expect(await fake.fire(`winner ${H1} 800001 FIBRE/UDP 10.0.0.1:8336`)).toBe(1);
      await eventually(async () => {
        const s = await exporter.scrape();
        expect(s.get(series('fibre_block_race_wins_total', { node: 'localhost', mechanism: 'fibre_udp' }))).toBe(1);
        expect(s.get('fibre_exporter_probes_attached')).toBe(4);
      });
    } finally {
      expect(await exporter.stop()).toBe(0);
      await fake?.stop();
    }
  });

  it('attaches to the process --pid names, among several running the binary', async () => {
    const other = FakeBitcoind.start(binary);
    const chosen = FakeBitcoind.start(binary);
    const exporter = await ExporterProcess.start(['fibre', '--bitcoind', binary, '--pid', String(chosen.pid), '--bpftrace', bpftrace]);
    try {
      await attached(chosen, exporter);
      expect(exporter.output).toContain(`attached usdt udp:block_send_start (pid ${chosen.pid})`);
      expect(await other.fire('send abcd 1')).toBe(0); // not traced: its probes stay disabled
      expect(await chosen.fire('send abcd 1')).toBe(1);
      await eventually(async () => expect((await exporter.scrape()).get(series('fibre_blocks_sent_total', { node: 'localhost' }))).toBe(1));
    } finally {
      expect(await exporter.stop()).toBe(0);
      await Promise.all([other.stop(), chosen.stop()]);
    }
  });

  it('follows its node (data folder) across restarts, never another bitcoind of the same binary', async () => {
    // Two nodes of one binary, as mainnet and signet, each with its datadir and bitcoind.pid.
    const main = join(dir, `main-${bpftrace.length}`);
    const signet = join(dir, `signet-${bpftrace.length}`);
    mkdirSync(main, { recursive: true });
    mkdirSync(join(signet, 'signet'), { recursive: true });
    let a = FakeBitcoind.start(binary, [`-datadir=${main}`]);
    const exporter = await ExporterProcess.start(['fibre', '--bitcoind', binary, '--bpftrace', bpftrace]);
    let b: FakeBitcoind | undefined;
    try {
      // Only one runs: it is the node, and the exporter now follows it by its datadir.
      await attached(a, exporter);
      b = FakeBitcoind.start(binary, [`-datadir=${signet}`, '-signet']);
      expect(await a.fire('send abcd 1')).toBe(1);
      await eventually(async () => expect((await exporter.scrape()).get(series('fibre_blocks_sent_total', { node: 'localhost' }))).toBe(1));
      // The watched node stops; the other keeps running. It must not be traced or counted.
      await a.stop();
      const h = await eventually(async () => {
        const h = await exporter.health();
        expect(h.status).toBe(503);
        expect(h.body).toContain(`with datadir ${main}`);
        return h;
      }, 10_000, 50);
      expect(h.body).toContain('not followed');
      expect(await b.fire('send abcd 1')).toBe(0);
      // The node starts again: the exporter attaches to it, and counting goes on.
      a = FakeBitcoind.start(binary, [`-datadir=${main}`]);
      await attached(a, exporter);
      expect(await b.fire('send abcd 1')).toBe(0);
      expect(await a.fire('send abcd 1')).toBe(1);
      await eventually(async () => expect((await exporter.scrape()).get(series('fibre_blocks_sent_total', { node: 'localhost' }))).toBe(2));
      expect(exporter.output).toContain(`attaching to pid ${a.pid} (datadir ${main})`);
    } finally {
      expect(await exporter.stop()).toBe(0);
      await Promise.all([a.stop(), b?.stop()]);
    }
  });

  it('with several nodes of one binary, watches the one --datadir names (by its bitcoind.pid), and refuses to guess without it', async () => {
    const x = join(dir, `x-${bpftrace.length}`);
    const y = join(dir, `y-${bpftrace.length}`);
    mkdirSync(join(x, 'regtest'), { recursive: true });
    mkdirSync(join(y, 'regtest'), { recursive: true });
    const nodeX = FakeBitcoind.start(binary, [`-datadir=${x}`, '-regtest']);
    const nodeY = FakeBitcoind.start(binary, [`-datadir=${y}`, '-chain=regtest']);
    try {
      // Both run the binary once they answer.
      await Promise.all([nodeX.send('pid'), nodeY.send('pid')]);
      const refused = runCli(['exporter', 'fibre', '--bitcoind', binary, '--bpftrace', bpftrace, '--port', '0', '--health-port', '0']);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('several bitcoind processes run');
      expect(refused.stderr).toContain(`pid ${nodeX.pid} (datadir ${join(x, 'regtest')})`);
      expect(refused.stderr).toContain('--datadir');

      const exporter = await ExporterProcess.start(['fibre', '--bitcoind', binary, '--datadir', join(y, 'regtest'), '--bpftrace', bpftrace]);
      try {
        await attached(nodeY, exporter);
        expect(exporter.output).toContain(`attaching to pid ${nodeY.pid}`);
        expect(await nodeX.fire('send abcd 1')).toBe(0);
        expect(await nodeY.fire('send abcd 1')).toBe(1);
      } finally {
        expect(await exporter.stop()).toBe(0);
      }
    } finally {
      await Promise.all([nodeX.stop(), nodeY.stop()]);
    }
  });

  it('refuses a bad environment with exit code 2 and a way out', () => {
    const missing = runCli(['exporter', 'fibre', '--bitcoind', join(dir, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`bitcoind binary not found: ${join(dir, 'nope')}`);

    const plainSource = join(dir, 'plain.c');
    writeFileSync(plainSource, 'int main(void) { return 0; }\n');
    const plain = join(dir, 'plain');
    execFileSync('gcc', ['-o', plain, plainSource]);
    const noNotes = runCli(['exporter', 'fibre', '--bitcoind', plain]);
    expect(noNotes.code).toBe(2);
    expect(noNotes.stderr).toContain(`has no USDT tracepoints`);
    expect(noNotes.stderr).toContain(`readelf -n ${plain} | grep -A4 stapsdt`);

    const noPid = runCli(['exporter', 'fibre', '--bitcoind', binary, '--pid', '999999999', '--bpftrace', bpftrace]);
    expect(noPid.code).toBe(2);
    expect(noPid.stderr).toContain('no process with pid 999999999');

    const noBpftrace = runCli(['exporter', 'fibre', '--bitcoind', binary], { env: { PATH: '/nonexistent' } });
    expect(noBpftrace.code).toBe(2);
    expect(noBpftrace.stderr).toContain('apt-get install bpftrace');
    const notBpftrace = runCli(['exporter', 'fibre', '--bitcoind', binary, '--bpftrace', join(dir, 'plain')]);
    expect(notBpftrace.code).toBe(2);
    expect(notBpftrace.stderr).toContain('did not print a bpftrace version');

    // An unprivileged user (nobody) has neither root nor CAP_SYS_ADMIN.
    const unprivileged = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all', process.execPath, join(__dirname, '..', 'dist', 'cli', 'main.js'), 'exporter', 'fibre', '--bitcoind', binary, '--bpftrace', bpftrace], { encoding: 'utf8' });
    expect(unprivileged.status).toBe(2);
    expect(unprivileged.stderr).toContain('not enough privilege to attach eBPF probes');
  });
});
