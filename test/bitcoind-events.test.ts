// The eBPF events of FIBRE bitcoind and Bitcoin Core: the tab-separated lines bpf/*.bt print and
// the replay records, parsed to typed events or refused with the reason, and what each event does
// to the metrics, read back from prom-client's own exposition text.
import { describe, expect, it } from 'vitest';
import { MapDeltas, mapKeyRestorer, MetricSet } from '../exporter/index.js';
import { parseBpftraceVersion } from '../exporter/bpftrace-version.js';
import { checkEventRecord, labelValue } from '../profiles/bitcoind/events.js';
import { applyFibreEvent, FIBRE_EVENT_FIELDS, mechanismOf, parseFibreLine, type FibreEvent } from '../profiles/fibre/events.js';
import { fibreMetrics } from '../profiles/fibre/metrics.js';
import { applyBitcoinCoreEvent, applyBitcoinCoreMap, BITCOIN_CORE_MAP_NAMES, parseBitcoinCoreLine, REASONS_WITH_SPACES } from '../profiles/bitcoin-core/events.js';
import { bitcoinCoreMetrics } from '../profiles/bitcoin-core/metrics.js';
import { parseExposition, series } from './support/scrape.js';

const HASH = 'ab'.repeat(32);
const line = (...fields: (string | number)[]) => fields.join('\t');

/** Every sample of the metrics whose names start with one of the prefixes, zero or not. */
async function samples(set: MetricSet, ...prefixes: string[]): Promise<Record<string, number>> {
  const all = parseExposition(await set.registry.metrics());
  return Object.fromEntries([...all].filter(([k]) => prefixes.some((p) => k.startsWith(p))));
}

/** A histogram's _sum and _count, and its cumulative count at one bucket bound. */
async function histogram(set: MetricSet, name: string, labels: Record<string, string>, le: string) {
  const all = parseExposition(await set.registry.metrics());
  return { sum: all.get(series(`${name}_sum`, labels)), count: all.get(series(`${name}_count`, labels)), atLe: all.get(series(`${name}_bucket`, { ...labels, le })) };
}

describe('event lines', () => {
  it('parses every FIBRE event bpf/fibre.bt prints', () => {
    expect(parseFibreLine(line('block_reconstructed', 'abcd', '10.0.0.1:8336', 100, 120, 3, 3000))).toEqual({
      type: 'block_reconstructed', hash: 'abcd', peer: '10.0.0.1:8336', chunksUsed: 100, chunksReceived: 120, peers: 3, micros: 3000,
    });
    expect(parseFibreLine(line('block_send_start', 'abcd', 1795000000000000))).toStrictEqual({ type: 'block_send_start', hash: 'abcd', startMicros: 1795000000000000 });
    expect(parseFibreLine(line('block_race_winner', HASH, 800001, 'FIBRE/UDP', 'n/a'))).toEqual({ type: 'block_race_winner', hash: HASH, height: 800001, winner: 'FIBRE/UDP', peer: 'n/a' });
    expect(parseFibreLine(line('block_race_time', HASH, 800001, -1, 'n/a', 45000000, '10.0.0.9:8333'))).toEqual({
      type: 'block_race_time', hash: HASH, height: 800001, udpNanos: -1, udpPeer: 'n/a', cmpctNanos: 45000000, cmpctPeer: '10.0.0.9:8333',
    });
    expect(parseFibreLine(line('block_connected', HASH, 7, 2500, 6000, 12000, 150000000))).toEqual({
      type: 'block_connected', hash: HASH, height: 7, txs: 2500, inputs: 6000, sigops: 12000, nanos: 150000000,
    });
  });

  it('parses every Bitcoin Core event bpf/bitcoin-core.bt prints', () => {
    expect(parseBitcoinCoreLine(line('connection_opened', 'inbound', 'block-relay-only', 2))).toEqual({ type: 'connection_opened', direction: 'inbound', connType: 'block-relay-only', network: 2 });
    expect(parseBitcoinCoreLine(line('connection_evicted', 'inbound', 1))).toEqual({ type: 'connection_evicted', connType: 'inbound', network: 1 });
    expect(parseBitcoinCoreLine(line('misbehaving', 42))).toEqual({ type: 'misbehaving', peerId: 42 });
    expect(parseBitcoinCoreLine(line('utxocache_flush', 2500, 1, 300, 1048576, 0))).toEqual({ type: 'utxocache_flush', micros: 2500, mode: 1, coins: 300, memoryBytes: 1048576, forPrune: 0 });
  });

  it.each([
    [line('nonsense', 1), 'unknown event "nonsense"'],
    [line('constructor', 1), 'unknown event "constructor"'],
    ['', 'unknown event ""'],
    [line('block_send_start', 'abc'), 'block_send_start: expected 2 fields, got 1'],
    [line('block_send_start', 'abc', 1, 2), 'block_send_start: expected 2 fields, got 3'],
    [line('block_send_start', 'abc', '12x'), 'block_send_start.startMicros is not a whole number: "12x"'],
    [line('block_send_start', 'abc', '1.5'), 'block_send_start.startMicros is not a whole number: "1.5"'],
    [line('block_send_start', 'abc', ''), 'block_send_start.startMicros is not a whole number: ""'],
    [line('block_race_winner', 'zz', 1, 'F', 'p'), 'block_race_winner.hash is not a 64-character hex hash: "zz"'],
    [line('block_race_winner', HASH.toUpperCase(), 1, 'F', 'p'), `block_race_winner.hash is not a 64-character hex hash: "${HASH.toUpperCase()}"`],
    [line('block_race_winner', `${HASH}0`, 1, 'F', 'p'), `block_race_winner.hash is not a 64-character hex hash: "${HASH}0"`],
  ])('refuses %j: %s', (text, reason) => {
    expect(() => parseFibreLine(text)).toThrow(new Error(reason));
  });
});

describe('replay records', () => {
  it('takes a record with the event fields, ignoring extra keys', () => {
    expect(checkEventRecord<FibreEvent>(FIBRE_EVENT_FIELDS, { type: 'block_race_winner', hash: HASH, height: 9, winner: 'B', peer: 'p', at: 1.5 })).toEqual({
      type: 'block_race_winner', hash: HASH, height: 9, winner: 'B', peer: 'p',
    });
    expect(checkEventRecord<FibreEvent>(FIBRE_EVENT_FIELDS, { type: 'block_send_start', hash: 'x', startMicros: -5 })).toEqual({ type: 'block_send_start', hash: 'x', startMicros: -5 });
  });

  it.each<[Record<string, unknown>, string]>([
    [{ type: 'nonsense' }, 'unknown event type "nonsense" (known: block_reconstructed, block_reconstruction_detail, block_send_start, block_race_winner, block_race_time, block_connected)'],
    [{ type: 7 }, 'unknown event type 7 (known: block_reconstructed, block_reconstruction_detail, block_send_start, block_race_winner, block_race_time, block_connected)'],
    [{ type: 'toString' }, 'unknown event type "toString" (known: block_reconstructed, block_reconstruction_detail, block_send_start, block_race_winner, block_race_time, block_connected)'],
    [{ type: 'block_send_start', hash: 'x', startMicros: 1.5 }, 'block_send_start.startMicros must be a whole number, got 1.5'],
    [{ type: 'block_send_start', hash: 'x', startMicros: '12' }, 'block_send_start.startMicros must be a whole number, got "12"'],
    [{ type: 'block_send_start', hash: 'x', startMicros: 2 ** 53 }, `block_send_start.startMicros must be a whole number, got ${2 ** 53}`],
    [{ type: 'block_send_start', hash: 5, startMicros: 1 }, 'block_send_start.hash must be a string, got 5'],
    [{ type: 'block_send_start', startMicros: 1 }, 'block_send_start.hash must be a string, got undefined'],
    [{ type: 'block_race_winner', hash: 'short', height: 1, winner: 'F', peer: 'p' }, 'block_race_winner.hash is not a 64-character hex hash: "short"'],
  ])('refuses %j', (record, reason) => {
    expect(() => checkEventRecord(FIBRE_EVENT_FIELDS, record)).toThrow(new Error(reason));
  });
});

describe('label values from the traced program', () => {
  it.each([
    ['ping', 'ping'], ['min relay fee not met', 'min relay fee not met'], ['[2001:db8::1]:8333', '[2001:db8::1]:8333'], ['a/b*c+(d),e=f-g.h', 'a/b*c+(d),e=f-g.h'],
    ['x'.repeat(64), 'x'.repeat(64)], ['x'.repeat(65), 'other'], ['', 'other'], ['new\nline', 'other'], ['quote"', 'other'], ['ünï', 'other'], ['tab\t', 'other'],
  ])('%j is kept as %j', (raw, label) => {
    expect(labelValue(raw)).toBe(label);
  });

  it('names the winning mechanism as the reference exporter did', () => {
    expect(['FIBRE/UDP', 'F', 'BIP152/CMPCTBLOCK', 'B', 'HEADERS', 'f', ''].map(mechanismOf)).toEqual(['fibre_udp', 'fibre_udp', 'bip152_cmpct', 'bip152_cmpct', 'other', 'other', 'other']);
  });
});

describe('FIBRE events on the metrics', () => {
  it('counts reconstructions, sends, wins and deliveries, and keeps the last height', async () => {
    const set = new MetricSet(fibreMetrics);
    const apply = (text: string) => applyFibreEvent(set, 'n1', parseFibreLine(text));
    apply(line('block_reconstructed', 'a', 'p1', 100, 120, 3, 3000));
    apply(line('block_reconstructed', 'b', 'p2', 40, 40, 1, 700000));
    apply(line('block_send_start', 'a', 1));
    apply(line('block_race_winner', HASH, 800001, 'FIBRE/UDP', '10.0.0.1:8336'));
    apply(line('block_race_winner', HASH, 800002, 'BIP152/CMPCTBLOCK', 'bad peer "x"'));
    expect(await samples(set, 'fibre_blocks_', 'fibre_chunks_', 'fibre_block_race_wins', 'fibre_block_deliveries', 'fibre_last_block_height')).toEqual({
      'fibre_blocks_reconstructed_total{node="n1"}': 2,
      'fibre_chunks_received_total{node="n1"}': 160,
      'fibre_chunks_used_total{node="n1"}': 140,
      'fibre_blocks_sent_total{node="n1"}': 1,
      'fibre_block_race_wins_total{mechanism="fibre_udp",node="n1"}': 1,
      'fibre_block_race_wins_total{mechanism="bip152_cmpct",node="n1"}': 1,
      'fibre_block_deliveries_total{mechanism="fibre_udp",node="n1",peer="10.0.0.1:8336"}': 1,
      'fibre_block_deliveries_total{mechanism="bip152_cmpct",node="n1",peer="other"}': 1,
      'fibre_last_block_height{node="n1"}': 800002,
    });
    expect(await histogram(set, 'fibre_block_reconstruction_duration_seconds', { node: 'n1' }, '0.005')).toEqual({ sum: 0.703, count: 2, atLe: 1 });
    expect(await histogram(set, 'fibre_block_chunks_used', { node: 'n1' }, '50')).toEqual({ sum: 140, count: 2, atLe: 1 });
  });

  it('times each path of a race, and the margin only when both delivered (a tie goes to FIBRE/UDP)', async () => {
    const set = new MetricSet(fibreMetrics);
    const apply = (udp: number, cmpct: number) => applyFibreEvent(set, 'n1', parseFibreLine(line('block_race_time', HASH, 1, udp, 'p', cmpct, 'q')));
    apply(15000000, 45000000);
    apply(-1, 2000000);
    apply(3000000, -1);
    apply(9000000, 4000000);
    apply(7000000, 7000000);
    const latency = (mechanism: string) => histogram(set, 'fibre_block_race_latency_seconds', { node: 'n1', mechanism }, '0.01');
    expect(await latency('fibre_udp')).toEqual({ sum: 0.015 + 0.003 + 0.009 + 0.007, count: 4, atLe: 3 });
    expect(await latency('bip152_cmpct')).toEqual({ sum: 0.045 + 0.002 + 0.004 + 0.007, count: 4, atLe: 3 });
    expect(await samples(set, 'fibre_races_with_both_total')).toEqual({ 'fibre_races_with_both_total{node="n1"}': 3 });
    // The original exporter's margin buckets start at 1 ms (w0xlt/fibre-monitoring@a388ad9).
    const margin = (winner: string) => histogram(set, 'fibre_race_margin_seconds', { node: 'n1', winner }, '0.001');
    expect(await margin('fibre_udp')).toEqual({ sum: 0.03, count: 2, atLe: 1 });
    expect(await margin('bip152_cmpct')).toEqual({ sum: 0.005, count: 1, atLe: 0 });
  });

  it('observes reconstruction detail as the bitcoinfibre exporter does, counting all-from-mempool only when known to be 1', async () => {
    const set = new MetricSet(fibreMetrics);
    const apply = (missing: number, bytes: number, mempool: number, all: number) =>
      applyFibreEvent(set, 'n1', parseFibreLine(line('block_reconstruction_detail', 'ab', 800001, missing, bytes, mempool, mempool + missing, all)));
    apply(0, 0, 2500, 1);
    apply(7, 40000, 3093, 0);
    apply(0, 0, 10, -1); // bpftrace before 0.24: the flag is unknown
    expect(await histogram(set, 'fibre_block_missing_tx_count', { node: 'n1' }, '0')).toEqual({ sum: 7, count: 3, atLe: 2 });
    expect(await histogram(set, 'fibre_block_missing_tx_bytes', { node: 'n1' }, '50000')).toEqual({ sum: 40000, count: 3, atLe: 3 });
    expect(await histogram(set, 'fibre_block_mempool_tx_count', { node: 'n1' }, '10')).toEqual({ sum: 5603, count: 3, atLe: 1 });
    expect(await samples(set, 'fibre_block_all_tx_from_mempool_total')).toEqual({ 'fibre_block_all_tx_from_mempool_total{node="n1"}': 1 });
  });

  it('counts connected blocks, their connect time and size, and keeps the height', async () => {
    const set = new MetricSet(fibreMetrics);
    applyFibreEvent(set, 'n1', parseFibreLine(line('block_connected', HASH, 800003, 2500, 6000, 12000, 150000000)));
    expect(await samples(set, 'bitcoin_blocks_connected_total', 'fibre_last_block_height')).toEqual({
      'bitcoin_blocks_connected_total{node="n1"}': 1,
      'fibre_last_block_height{node="n1"}': 800003,
    });
    expect(await histogram(set, 'bitcoin_block_connection_duration_seconds', { node: 'n1' }, '0.25')).toEqual({ sum: 0.15, count: 1, atLe: 1 });
    expect(await histogram(set, 'bitcoin_block_tx_count', { node: 'n1' }, '3000')).toEqual({ sum: 2500, count: 1, atLe: 1 });
    expect((await histogram(set, 'bitcoin_block_tx_count', { node: 'n1' }, '2000')).atLe).toBe(0);
  });
});

describe('Bitcoin Core events on the metrics', () => {
  it('counts connections by network (netaddress.h order), misbehaviour, flushes by mode, and keeps the height', async () => {
    const set = new MetricSet(bitcoinCoreMetrics);
    const apply = (...fields: (string | number)[]) => applyBitcoinCoreEvent(set, 'n1', parseBitcoinCoreLine(line(...fields)));
    apply('connection_opened', 'inbound', 'inbound', 1);
    apply('connection_opened', 'outbound', 'block-relay-only', 3);
    apply('connection_opened', 'outbound', 'manual', 9);
    apply('connection_closed', 'inbound', 6);
    apply('connection_closed', 'feeler', 0);
    apply('connection_evicted', 'inbound', 2);
    apply('connection_evicted', 'inbound', 5);
    apply('misbehaving', 7);
    apply('utxocache_flush', 2500, 1, 300, 1048576, 0);
    apply('utxocache_flush', 500000, 3, 700, 2097152, 1);
    apply('utxocache_flush', 1, 4, 0, 5, 0);
    apply('block_connected', HASH, 900000, 1, 1, 1, 1000000);
    expect(await samples(set, 'bitcoin_net_', 'bitcoin_utxocache_flushes', 'bitcoin_utxocache_flushed', 'bitcoin_utxocache_memory', 'bitcoin_block_height')).toEqual({
      'bitcoin_net_connections_opened_total{conn_type="inbound",direction="inbound",network="ipv4",node="n1"}': 1,
      'bitcoin_net_connections_opened_total{conn_type="block-relay-only",direction="outbound",network="onion",node="n1"}': 1,
      'bitcoin_net_connections_opened_total{conn_type="manual",direction="outbound",network="other",node="n1"}': 1,
      'bitcoin_net_connections_closed_total{conn_type="inbound",network="internal",node="n1"}': 1,
      'bitcoin_net_connections_closed_total{conn_type="feeler",network="unroutable",node="n1"}': 1,
      'bitcoin_net_connections_evicted_total{conn_type="inbound",network="ipv6",node="n1"}': 1,
      'bitcoin_net_connections_evicted_total{conn_type="inbound",network="cjdns",node="n1"}': 1,
      'bitcoin_net_misbehaving_total{node="n1"}': 1,
      'bitcoin_utxocache_flushes_total{mode="if_needed",node="n1"}': 1,
      'bitcoin_utxocache_flushes_total{mode="always",node="n1"}': 1,
      'bitcoin_utxocache_flushes_total{mode="other",node="n1"}': 1,
      'bitcoin_utxocache_flushed_coins_total{node="n1"}': 1000,
      'bitcoin_utxocache_memory_bytes{node="n1"}': 5,
      'bitcoin_block_height{node="n1"}': 900000,
    });
    expect(await histogram(set, 'bitcoin_utxocache_flush_duration_seconds', { node: 'n1' }, '0.01')).toEqual({ sum: 0.502501, count: 3, atLe: 2 });
    expect(await samples(set, 'bitcoin_blocks_connected_total')).toEqual({ 'bitcoin_blocks_connected_total{node="n1"}': 1 });
  });

  it('gives mempool reject reasons back the spaces bpftrace 0.24+ strips from JSON map keys (v0.24.0:src/output/json.cpp 96-113)', async () => {
    const reasons = async (version: string, key: string) => {
      const set = new MetricSet(bitcoinCoreMetrics);
      applyBitcoinCoreMap(set, 'n1', new MapDeltas(), '@mempool_rejected', { [key]: 3 }, mapKeyRestorer(parseBpftraceVersion(version)!, REASONS_WITH_SPACES));
      return Object.keys(await samples(set, 'bitcoin_mempool_rejected_total')).map((k) => /reason="([^"]*)"/.exec(k)![1]);
    };
    expect(await reasons('0.24.0', 'minrelayfeenotmet')).toEqual(['min relay fee not met']);
    expect(await reasons('0.26.1', 'mempoolminfeenotmet')).toEqual(['mempool min fee not met']);
    expect(await reasons('1.0.0', 'maxfeerateexceeded')).toEqual(['max feerate exceeded']);
    expect(await reasons('0.24.0', 'bad-txns-inputs-missingorspent')).toEqual(['bad-txns-inputs-missingorspent']);
    // Up to 0.23 keys are verbatim: nothing is changed, not even a key that looks stripped.
    expect(await reasons('0.23.5', 'mempoolfull')).toEqual(['mempoolfull']);
    expect(await reasons('0.17.0', 'mempool full')).toEqual(['mempool full']);
  });

  it('adds what each kernel map grew by since its last print, per key, and counts the events', async () => {
    const set = new MetricSet(bitcoinCoreMetrics);
    const deltas = new MapDeltas();
    const map = (name: string, value: unknown) => applyBitcoinCoreMap(set, 'n1', deltas, name, value);
    map('@net_messages', { 'inbound,ping': 5, 'outbound,tx': 2 });
    map('@net_messages', { 'inbound,ping': 8, 'outbound,tx': 2 });
    map('@net_message_bytes', { 'inbound,ping': 256 });
    map('@mempool_added', 3);
    map('@mempool_added', 10);
    map('@mempool_added_vbytes', 4000);
    map('@mempool_removed', { 'min relay fee not met': 4, 'bad\nreason': 1 });
    map('@mempool_rejected', { 'mempool full': 2 });
    map('@mempool_replaced', 6);
    map('@mempool_replaced', 6);
    expect(await samples(set, 'bitcoin_net_message', 'bitcoin_mempool_', 'fibre_exporter_events_processed_total')).toEqual({
      'bitcoin_net_messages_total{direction="inbound",msg_type="ping",node="n1"}': 8,
      'bitcoin_net_messages_total{direction="outbound",msg_type="tx",node="n1"}': 2,
      'bitcoin_net_message_bytes_total{direction="inbound",msg_type="ping",node="n1"}': 256,
      'bitcoin_mempool_added_total{node="n1"}': 10,
      'bitcoin_mempool_added_vbytes_total{node="n1"}': 4000,
      'bitcoin_mempool_removed_total{node="n1",reason="min relay fee not met"}': 4,
      'bitcoin_mempool_removed_total{node="n1",reason="other"}': 1,
      'bitcoin_mempool_rejected_total{node="n1",reason="mempool full"}': 2,
      'bitcoin_mempool_replaced_total{node="n1"}': 6,
      'fibre_exporter_events_processed_total{event_type="net_message"}': 10,
      'fibre_exporter_events_processed_total{event_type="mempool_added"}': 10,
      'fibre_exporter_events_processed_total{event_type="mempool_removed"}': 5,
      'fibre_exporter_events_processed_total{event_type="mempool_rejected"}': 2,
      'fibre_exporter_events_processed_total{event_type="mempool_replaced"}': 6,
    });
    expect(BITCOIN_CORE_MAP_NAMES).toEqual(['@net_messages', '@net_message_bytes', '@mempool_added', '@mempool_added_vbytes', '@mempool_removed', '@mempool_rejected', '@mempool_replaced']);
  });

  it('refuses an unknown map and a total that is not a number', () => {
    const set = new MetricSet(bitcoinCoreMetrics);
    const deltas = new MapDeltas();
    expect(() => applyBitcoinCoreMap(set, 'n1', deltas, '@nope', 1)).toThrow(new Error('unknown map @nope'));
    expect(() => applyBitcoinCoreMap(set, 'n1', deltas, '@mempool_added', 'x')).toThrow(new Error('@mempool_added[] is not a number: "x"'));
    expect(() => applyBitcoinCoreMap(set, 'n1', deltas, '@net_messages', { 'inbound,ping': Infinity })).toThrow(new Error('@net_messages[inbound,ping] is not a number: null'));
    expect(() => applyBitcoinCoreMap(set, 'n1', deltas, '@mempool_added', null)).toThrow(new Error('@mempool_added[] is not a number: null'));
  });
});

