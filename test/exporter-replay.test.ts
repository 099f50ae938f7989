// `fibre-stack exporter replay`: the shipped sample recording, played fast through the CLI, must
// produce the metrics its events add up to; --loop keeps counting and the chain keeps growing;
// a broken recording is refused before anything is played.
// Runs the built CLI: `npx tsc -p .` first (npm test does it).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { ExporterProcess } from './support/exporter-process.js';
import { eventually, series } from './support/scrape.js';

const ROOT = join(__dirname, '..');
const SAMPLE = join(ROOT, 'exporter', 'samples', 'fibre-replay.jsonl');
type Rec = Record<string, number | string>;
const events: Rec[] = readFileSync(SAMPLE, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l))
  .filter((r) => !('recording' in r));
const ofType = (t: string) => events.filter((e) => e.type === t);
const total = (t: string, field: string) => ofType(t).reduce((sum, e) => sum + Number(e[field]), 0);
const node = 'demo';
const n = { node };

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'replay-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('exporter replay', () => {
  it('plays the shipped sample through the fibre metrics', async () => {
    expect(events.length).toBeGreaterThan(200);
    const exporter = await ExporterProcess.start(['replay', '--speed', '2000', '-n', node]);
    try {
      // Printed just after the serving line, but it may reach us in a later read.
      await eventually(() => expect(exporter.output).toContain(`replaying ${SAMPLE} (fibre): ${events.length} events`), 10_000);
      await eventually(() => expect(exporter.output).toContain('replay finished'), 30_000);
      const s = await exporter.scrape();
      expect(s.get(series('fibre_blocks_reconstructed_total', n))).toBe(ofType('block_reconstructed').length);
      expect(s.get(series('fibre_chunks_used_total', n))).toBe(total('block_reconstructed', 'chunksUsed'));
      expect(s.get(series('fibre_chunks_received_total', n))).toBe(total('block_reconstructed', 'chunksReceived'));
      expect(s.get(series('fibre_block_reconstruction_duration_seconds_sum', n))).toBeCloseTo(total('block_reconstructed', 'micros') / 1e6, 6);
      expect(s.get(series('fibre_blocks_sent_total', n))).toBe(ofType('block_send_start').length);
      expect(s.get(series('bitcoin_blocks_connected_total', n))).toBe(ofType('block_connected').length);
      expect(s.get(series('bitcoin_block_tx_count_sum', n))).toBe(total('block_connected', 'txs'));
      const winners = ofType('block_race_winner');
      expect(s.get(series('fibre_block_race_wins_total', { node, mechanism: 'fibre_udp' }))).toBe(winners.filter((w) => w.winner === 'FIBRE/UDP').length);
      expect(s.get(series('fibre_block_race_wins_total', { node, mechanism: 'bip152_cmpct' }))).toBe(winners.filter((w) => w.winner === 'BIP152/CMPCTBLOCK').length);
      const races = ofType('block_race_time');
      const both = races.filter((r) => Number(r.udpNanos) >= 0 && Number(r.cmpctNanos) >= 0);
      expect(both.length).toBeGreaterThan(0);
      expect(s.get(series('fibre_races_with_both_total', n))).toBe(both.length);
      expect(s.get(series('fibre_block_race_latency_seconds_count', { node, mechanism: 'fibre_udp' }))).toBe(races.filter((r) => Number(r.udpNanos) >= 0).length);
      const udpWon = both.filter((r) => Number(r.udpNanos) <= Number(r.cmpctNanos));
      expect(s.get(series('fibre_race_margin_seconds_count', { node, winner: 'fibre_udp' }))).toBe(udpWon.length);
      expect(s.get(series('fibre_race_margin_seconds_sum', { node, winner: 'fibre_udp' }))).toBeCloseTo(
        udpWon.reduce((sum, r) => sum + (Number(r.cmpctNanos) - Number(r.udpNanos)) / 1e9, 0),
        6,
      );
      const heights = events.filter((e) => 'height' in e).map((e) => Number(e.height));
      expect(s.get(series('fibre_last_block_height', n))).toBe(heights[heights.length - 1]);
      expect(s.get(series('fibre_exporter_events_processed_total', { event_type: 'block_race_time' }))).toBe(races.length);
      expect((await exporter.health()).status).toBe(200);
    } finally {
      expect(await exporter.stop()).toBe(0);
    }
  });

  it('loops: counters keep increasing and heights keep rising', async () => {
    const heights = events.filter((e) => 'height' in e).map((e) => Number(e.height));
    const exporter = await ExporterProcess.start(['replay', SAMPLE, '--speed', '20000', '--loop']);
    try {
      await eventually(async () => {
        const s = await exporter.scrape();
        expect(s.get(series('fibre_blocks_reconstructed_total', { node: 'localhost' }))).toBeGreaterThan(2 * ofType('block_reconstructed').length);
        expect(s.get(series('fibre_last_block_height', { node: 'localhost' }))).toBeGreaterThan(Math.max(...heights));
      }, 30_000, 200);
      expect(exporter.output).not.toContain('replay finished');
    } finally {
      expect(await exporter.stop()).toBe(0);
    }
  });

  it('plays the bitcoin-core sample, kernel-map totals included, named by its sample name', async () => {
    const file = join(ROOT, 'exporter', 'samples', 'bitcoin-core-replay.jsonl');
    const recs: Rec[] = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l)).slice(1);
    const lastMap = (name: string) => recs.filter((r) => r.type === 'map' && r.name === name).at(-1)!.value as unknown as Record<string, number> | number;
    const exporter = await ExporterProcess.start(['replay', 'bitcoin-core', '--speed', '5000', '-n', node]);
    try {
      await eventually(() => expect(exporter.output).toContain(`replaying ${file} (bitcoin-core)`), 10_000);
      await eventually(() => expect(exporter.output).toContain('replay finished'), 30_000);
      const s = await exporter.scrape();
      const messages = lastMap('@net_messages') as Record<string, number>;
      expect(Object.keys(messages).length).toBeGreaterThan(5);
      for (const [key, total] of Object.entries(messages)) {
        const [direction, msg_type] = key.split(',');
        expect(s.get(series('bitcoin_net_messages_total', { node, direction, msg_type }))).toBe(total);
      }
      for (const [reason, total] of Object.entries(lastMap('@mempool_rejected') as Record<string, number>)) {
        expect(s.get(series('bitcoin_mempool_rejected_total', { node, reason }))).toBe(total);
      }
      expect(s.get(series('bitcoin_mempool_added_total', n))).toBe(lastMap('@mempool_added'));
      expect(s.get(series('bitcoin_blocks_connected_total', n))).toBe(recs.filter((r) => r.type === 'block_connected').length);
      expect(s.get(series('bitcoin_block_height', n))).toBe(Number(recs.filter((r) => r.type === 'block_connected').at(-1)!.height));
      const opened = recs.filter((r) => r.type === 'connection_opened');
      const sumOpened = [...s.entries()].filter(([k]) => k.startsWith('bitcoin_net_connections_opened_total{')).reduce((a, [, v]) => a + v, 0);
      expect(sumOpened).toBe(opened.length);
      expect(s.get(series('bitcoin_utxocache_flushes_total', { node, mode: 'periodic' }))).toBe(recs.filter((r) => r.type === 'utxocache_flush').length);
    } finally {
      expect(await exporter.stop()).toBe(0);
    }
  });

  it('refuses a broken recording with exit code 2, naming the line', () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, ['{"recording": "fibre-stack/v1", "profile": "fibre"}', '{"t": 1, "type": "block_send_start", "hash": "ab", "startMicros": 5}', '{"t": 2, "type": "block_reconstructed", "hash": "ab", "peer": "x"}'].join('\n'));
    const r = runCli(['exporter', 'replay', bad, '--port', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad} line 3: block_reconstructed.chunksUsed must be a whole number`);
    const missing = runCli(['exporter', 'replay', join(dir, 'none.jsonl'), '--port', '0']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read the recording');
  });
});
