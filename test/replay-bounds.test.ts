// Issue 12, "bounded work on untrusted files", for replay: a recording may come from anyone. A
// negative value is refused before anything plays, absurd timestamps cannot park the player, a
// speed it cannot keep is refused and a fast one still lets /metrics answer, and label values
// from a recording (peers) are bounded with the overflow counted. Runs the built CLI.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MetricSet, MAX_LABEL_VALUES } from '../exporter/metrics-registry.js';
import { fibreMetrics } from '../profiles/fibre/metrics.js';
import { runCli } from './support/cli.js';
import { ExporterProcess } from './support/exporter-process.js';
import { eventually, series } from './support/scrape.js';

const HEADER = { recording: 'fibre-stack/v1', profile: 'fibre' };
const HASH = 'ab'.repeat(32);

function recording(records: object[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'fibre-stack-replay-bounds-')), 'rec.jsonl');
  writeFileSync(file, [HEADER, ...records].map((r) => JSON.stringify(r)).join('\n') + '\n');
  return file;
}

const reconstructed = (t: number, chunksUsed: number) => ({ t, type: 'block_reconstructed', hash: HASH, peer: '10.0.0.1:8336', chunksUsed, chunksReceived: 10, peers: 1, micros: 5 });

async function withExporter(args: string[], check: (e: ExporterProcess) => Promise<void>): Promise<void> {
  const exporter = await ExporterProcess.start(['replay', ...args]);
  try {
    await check(exporter);
  } finally {
    expect(await exporter.stop()).toBe(0);
  }
}

describe('replay of an untrusted recording', () => {
  it('refuses a negative value before playing anything, naming the line and field (exit 2)', () => {
    const file = recording([reconstructed(0, 3), reconstructed(1, -5)]);
    const r = runCli(['exporter', 'replay', file, '--port=0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file} line 3: block_reconstructed.chunksUsed must not be negative, got -5`);
  });

  it('keeps a race time of -1, which means that path did not deliver', async () => {
    const file = recording([{ t: 0, type: 'block_race_time', hash: HASH, height: 1, udpNanos: -1, udpPeer: 'a', cmpctNanos: 5, cmpctPeer: 'b' }]);
    await withExporter([file], async (e) => {
      await eventually(async () => expect((await e.scrape()).get(series('fibre_block_race_latency_seconds_count', { node: 'localhost', mechanism: 'bip152_cmpct' }))).toBe(1));
    });
  });

  it('plays the event after an absurd timestamp without waiting for it', async () => {
    const file = recording([{ t: 0, type: 'block_send_start', hash: HASH, startMicros: 1 }, { t: 1e300, type: 'block_send_start', hash: HASH, startMicros: 2 }]);
    await withExporter([file, '--speed=100000'], async (e) => {
      await eventually(async () => expect((await e.scrape()).get(series('fibre_blocks_sent_total', { node: 'localhost' }))).toBe(2), 10_000);
      expect(e.output).toContain('1 pause(s) longer than 3600 s between events are played as 3600 s');
    });
  });

  it('refuses a speed beyond what it can keep, exit 2', () => {
    const r = runCli(['exporter', 'replay', '--port=0', '--speed=1e300']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--speed=1e300: must be at most 100000');
  });

  it('answers /metrics while it plays as fast as it can', async () => {
    const file = recording(Array.from({ length: 20_000 }, (_, i) => ({ t: i / 1e6, type: 'block_send_start', hash: HASH, startMicros: i })));
    await withExporter([file, '--speed=100000', '--loop'], async (e) => {
      await eventually(async () => expect((await e.scrape()).get(series('fibre_blocks_sent_total', { node: 'localhost' }))).toBeGreaterThan(20_000), 15_000);
    });
  });

  it('bounds the peers a recording can make up, counting the overflow', async () => {
    const peers = MAX_LABEL_VALUES + 300;
    const file = recording(Array.from({ length: peers }, (_, i) => ({ t: i / 1e6, type: 'block_race_winner', hash: HASH, height: i, winner: 'FIBRE/UDP', peer: `10.0.${i >> 8}.${i & 255}:8336` })));
    await withExporter([file, '--speed=100000'], async (e) => {
      await eventually(async () => {
        const s = await e.scrape();
        const deliveries = [...s.keys()].filter((k) => k.startsWith('fibre_block_deliveries_total{'));
        expect(deliveries).toHaveLength(MAX_LABEL_VALUES + 1);
        expect(s.get(series('fibre_block_deliveries_total', { node: 'localhost', mechanism: 'fibre_udp', peer: 'other' }))).toBe(300);
        expect(s.get(series('fibre_exporter_label_overflow_total', { metric: 'fibre_block_deliveries_total', label: 'peer' }))).toBe(300);
      }, 15_000);
    });
  });
});

describe('label bounds in the metric set', () => {
  it('bounds labels() children given by position as well as by object', () => {
    const set = new MetricSet(fibreMetrics, undefined, { maxLabelValues: 2 });
    const c = set.counter('fibre_block_deliveries_total');
    for (const peer of ['a', 'b', 'c', 'd']) c.labels('n', 'fibre_udp', peer).inc();
    c.labels({ node: 'n', mechanism: 'fibre_udp', peer: 'e' }).inc();
    c.inc({ node: 'n', mechanism: 'fibre_udp', peer: 'a' });
    return set.registry.getSingleMetricAsString('fibre_block_deliveries_total').then((text) => {
      expect(text).toContain('fibre_block_deliveries_total{node="n",mechanism="fibre_udp",peer="a"} 2');
      expect(text).toContain('fibre_block_deliveries_total{node="n",mechanism="fibre_udp",peer="b"} 1');
      expect(text).toContain('fibre_block_deliveries_total{node="n",mechanism="fibre_udp",peer="other"} 3');
      expect(text).not.toContain('peer="c"');
    });
  });
});
