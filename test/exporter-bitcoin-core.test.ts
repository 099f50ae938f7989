// `fibre-stack exporter bitcoin-core` against real USDT probes (scripts/lib/fake-bitcoind.c, a
// stand-in for bitcoind) and real bpftrace, once per bpftrace build this machine runs (the host's
// 0.17 and trixie's 0.23: test/support/bpftrace-builds.ts): high-rate probes counted in kernel maps and read on an interval, low-rate ones
// per event; exact values, and counters that keep counting across bpftrace and bitcoind restarts
// (each new bpftrace run's maps start from zero).
// Runs the built CLI: `npx tsc -p .` first (npm test does it).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExporterProcess } from './support/exporter-process.js';
import { compileFake, FakeBitcoind } from '../scripts/lib/fake-bitcoind.js';
import { bpftraceBuilds } from './support/bpftrace-builds.js';
import { eventually, series, type Samples } from './support/scrape.js';

const builds = bpftraceBuilds('exporter bitcoin-core (eBPF)');
const ready = builds.length > 0;
const PROBES = [
  'net:inbound_message', 'net:outbound_message', 'net:inbound_connection', 'net:outbound_connection', 'net:closed_connection',
  'net:evicted_inbound_connection', 'net:misbehaving_connection', 'utxocache:flush', 'mempool:added', 'mempool:removed',
  'mempool:rejected', 'mempool:replaced', 'validation:block_connected',
];
const node = 'core-1';
const n = { node };
const H = '000000000000000000024bead8df69990852c202db0e0097c1a12ea637d7e96d';
// Maps are printed every 5 s; allow a few intervals on a busy machine.
const MAP_WAIT_MS = 20_000;

let dir: string;
let binary: string;

beforeAll(() => {
  if (!ready) return;
  dir = mkdtempSync(join(tmpdir(), 'bitcoin-core-exporter-'));
  binary = compileFake(dir);
});
afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

/** Healthy means attached: every probe is enabled in the process by the time /health says OK. */
async function attached(fake: FakeBitcoind, exporter: ExporterProcess): Promise<void> {
  await eventually(async () => expect((await exporter.health()).status).toBe(200), 20_000, 10);
  for (const p of PROBES) await fake.waitEnabled(p, 0);
}

const msgs = (direction: string, msg_type: string) => series('bitcoin_net_messages_total', { node, direction, msg_type });
const bytes = (direction: string, msg_type: string) => series('bitcoin_net_message_bytes_total', { node, direction, msg_type });

describe.each(builds)('exporter bitcoin-core on bpftrace $name', ({ path: bpftrace }) => {
  it('counts messages, mempool, connections, flushes and blocks exactly, across bpftrace and bitcoind restarts', async () => {
    let fake = FakeBitcoind.start(binary);
    const exporter = await ExporterProcess.start(['bitcoin-core', '--bitcoind', binary, '-n', node, '--bpftrace', bpftrace]);
    try {
      await attached(fake, exporter);
      for (const p of PROBES) expect(exporter.output).toContain(`attached usdt ${p} (pid ${fake.pid})`);
      expect(await fake.fire('repeat 1000 0 msg in 7 10.0.0.7:8333 outbound-full-relay inv 61')).toBe(1000);
      expect(await fake.fire('repeat 10 0 msg out 7 10.0.0.7:8333 outbound-full-relay ping 32')).toBe(10);
      expect(await fake.fire('msg in 7 10.0.0.7:8333 outbound-full-relay block 1500000')).toBe(1);
      expect(await fake.fire('repeat 5 0 mempool_added 200 1000')).toBe(5);
      expect(await fake.fire('repeat 2 0 mempool_removed expiry 200 1000 1795000000')).toBe(2);
      expect(await fake.fire('repeat 3 0 mempool_removed block 200 1000 1795000000')).toBe(3);
      expect(await fake.fire('mempool_rejected bad-txns-inputs-missingorspent')).toBe(1);
      expect(await fake.fire('mempool_rejected bad"quote')).toBe(1); // not a plausible reason: label "other"
      // A reason with spaces (bitcoin/bitcoin@v30.0:src/validation.cpp 713) keeps them on every build.
      expect(await fake.fire('repeat 2 0 mempool_rejected min%20relay%20fee%20not%20met')).toBe(2);
      expect(await fake.fire('mempool_replaced')).toBe(1);
      expect(await fake.fire('conn in 8 10.0.0.8:50000 inbound 1 3')).toBe(1);
      expect(await fake.fire('conn out 9 [2001:db8::9]:8333 block-relay-only 2 2')).toBe(1);
      expect(await fake.fire('conn out 10 abc.onion:8333 outbound-full-relay 3 8')).toBe(1);
      expect(await fake.fire('closed 8 10.0.0.8:50000 inbound 1 1795000000')).toBe(1);
      expect(await fake.fire('evicted 11 10.0.0.11:50000 inbound 1 1795000000')).toBe(1);
      expect(await fake.fire('misbehaving 11 invalid-header')).toBe(1);
      expect(await fake.fire('flush 250000 2 150000 300000000 0')).toBe(1);
      expect(await fake.fire(`connected ${H} 900000 3000 7000 21000 300000000`)).toBe(1);

      const s: Samples = await eventually(async () => {
        const s = await exporter.scrape();
        expect(s.get(msgs('inbound', 'inv'))).toBe(1000);
        expect(s.get(series('bitcoin_mempool_replaced_total', n))).toBe(1);
        return s;
      }, MAP_WAIT_MS, 250);
      expect(s.get(bytes('inbound', 'inv'))).toBe(61_000);
      expect(s.get(msgs('outbound', 'ping'))).toBe(10);
      expect(s.get(bytes('outbound', 'ping'))).toBe(320);
      expect(s.get(msgs('inbound', 'block'))).toBe(1);
      expect(s.get(bytes('inbound', 'block'))).toBe(1_500_000);
      expect(s.get(series('bitcoin_mempool_added_total', n))).toBe(5);
      expect(s.get(series('bitcoin_mempool_added_vbytes_total', n))).toBe(1000);
      expect(s.get(series('bitcoin_mempool_removed_total', { node, reason: 'expiry' }))).toBe(2);
      expect(s.get(series('bitcoin_mempool_removed_total', { node, reason: 'block' }))).toBe(3);
      expect(s.get(series('bitcoin_mempool_rejected_total', { node, reason: 'bad-txns-inputs-missingorspent' }))).toBe(1);
      expect(s.get(series('bitcoin_mempool_rejected_total', { node, reason: 'other' }))).toBe(1);
      expect(s.get(series('bitcoin_mempool_rejected_total', { node, reason: 'min relay fee not met' }))).toBe(2);
      expect(exporter.output).not.toMatch(/bpftrace: WARNING/);
      expect(s.get(series('bitcoin_net_connections_opened_total', { node, direction: 'inbound', conn_type: 'inbound', network: 'ipv4' }))).toBe(1);
      expect(s.get(series('bitcoin_net_connections_opened_total', { node, direction: 'outbound', conn_type: 'block-relay-only', network: 'ipv6' }))).toBe(1);
      expect(s.get(series('bitcoin_net_connections_opened_total', { node, direction: 'outbound', conn_type: 'outbound-full-relay', network: 'onion' }))).toBe(1);
      expect(s.get(series('bitcoin_net_connections_closed_total', { node, conn_type: 'inbound', network: 'ipv4' }))).toBe(1);
      expect(s.get(series('bitcoin_net_connections_evicted_total', { node, conn_type: 'inbound', network: 'ipv4' }))).toBe(1);
      expect(s.get(series('bitcoin_net_misbehaving_total', n))).toBe(1);
      expect(s.get(series('bitcoin_utxocache_flushes_total', { node, mode: 'periodic' }))).toBe(1);
      expect(s.get(series('bitcoin_utxocache_flush_duration_seconds_bucket', { node, le: '0.1' }))).toBe(0);
      expect(s.get(series('bitcoin_utxocache_flush_duration_seconds_bucket', { node, le: '0.5' }))).toBe(1);
      expect(s.get(series('bitcoin_utxocache_flush_duration_seconds_sum', n))).toBeCloseTo(0.25, 9);
      expect(s.get(series('bitcoin_utxocache_flushed_coins_total', n))).toBe(150_000);
      expect(s.get(series('bitcoin_utxocache_memory_bytes', n))).toBe(300_000_000);
      expect(s.get(series('bitcoin_blocks_connected_total', n))).toBe(1);
      expect(s.get(series('bitcoin_block_height', n))).toBe(900000);
      expect(s.get(series('bitcoin_block_connection_duration_seconds_bucket', { node, le: '0.25' }))).toBe(0);
      expect(s.get(series('bitcoin_block_connection_duration_seconds_bucket', { node, le: '0.5' }))).toBe(1);
      expect(s.get(series('bitcoin_block_tx_count_bucket', { node, le: '3000' }))).toBe(1);
      expect(s.get(series('fibre_exporter_events_processed_total', { event_type: 'net_message' }))).toBe(1011);
      expect(s.get(series('fibre_exporter_events_processed_total', { event_type: 'connection_opened' }))).toBe(3);
      expect(s.get('fibre_exporter_probes_attached')).toBe(PROBES.length);

      // bpftrace dies: the next run's maps start at zero, the counters must not.
      const bpftracePid = Number(execFileSync('pgrep', ['-P', String(exporter.pid), 'bpftrace'], { encoding: 'utf8' }).trim());
      process.kill(bpftracePid, 'SIGKILL');
      await eventually(async () => expect((await exporter.scrape()).get(series('fibre_exporter_errors_total', { error_type: 'bpftrace_exit' }))).toBe(1));
      await attached(fake, exporter);
      expect(await fake.fire('repeat 20 0 msg in 7 10.0.0.7:8333 outbound-full-relay inv 61')).toBe(20);
      await eventually(async () => expect((await exporter.scrape()).get(msgs('inbound', 'inv'))).toBe(1020), MAP_WAIT_MS, 250);

      // bitcoind restarts with a new PID: attached again, counting on.
      await fake.stop();
      await eventually(async () => expect((await exporter.health()).status).toBe(503), 10_000, 50);
      fake = FakeBitcoind.start(binary);
      await attached(fake, exporter);
      expect(await fake.fire('repeat 30 0 msg in 7 10.0.0.7:8333 outbound-full-relay inv 61')).toBe(30);
      expect(await fake.fire('repeat 4 0 mempool_removed block 200 1000 1795000000')).toBe(4);
      await eventually(async () => {
        const s3 = await exporter.scrape();
        expect(s3.get(msgs('inbound', 'inv'))).toBe(1050);
        expect(s3.get(bytes('inbound', 'inv'))).toBe(64_050);
        expect(s3.get(series('bitcoin_mempool_removed_total', { node, reason: 'block' }))).toBe(7);
        expect(s3.get(series('bitcoin_mempool_added_total', n))).toBe(5);
      }, MAP_WAIT_MS, 250);
    } finally {
      expect(await exporter.stop()).toBe(0);
      await fake.stop();
    }
  });
});
