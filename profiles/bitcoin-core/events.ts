// Bitcoin Core events, typed, and what each does to the metrics. Low-rate probes arrive as one
// printf line each (bpf/bitcoin-core.bt); high-rate ones as cumulative kernel-map totals that
// MapDeltas turns into increments.
import type { MapDeltas, MetricSet } from '../../exporter/index.js';
import { applyBlockConnected, BLOCK_CONNECTED_FIELDS, labelValue, parseEventLine, type BlockConnectedEvent, type EventFields } from '../bitcoind/events.js';

export interface ConnectionOpenedEvent {
  type: 'connection_opened';
  direction: string;
  connType: string;
  network: number;
}

export interface ConnectionEndedEvent {
  type: 'connection_closed' | 'connection_evicted';
  connType: string;
  network: number;
}

export interface MisbehavingEvent {
  type: 'misbehaving';
  peerId: number;
}

export interface UtxoCacheFlushEvent {
  type: 'utxocache_flush';
  micros: number;
  mode: number;
  coins: number;
  memoryBytes: number;
  forPrune: number;
}

export type BitcoinCoreEvent = ConnectionOpenedEvent | ConnectionEndedEvent | MisbehavingEvent | UtxoCacheFlushEvent | BlockConnectedEvent;

/** Each event's fields, in the order bpf/bitcoin-core.bt prints them. */
export const BITCOIN_CORE_EVENT_FIELDS: Record<BitcoinCoreEvent['type'], EventFields> = {
  connection_opened: { direction: 'string', connType: 'string', network: 'int' },
  connection_closed: { connType: 'string', network: 'int' },
  connection_evicted: { connType: 'string', network: 'int' },
  misbehaving: { peerId: 'int' },
  utxocache_flush: { micros: 'int', mode: 'int', coins: 'int', memoryBytes: 'int', forPrune: 'int' },
  block_connected: BLOCK_CONNECTED_FIELDS,
};

export function parseBitcoinCoreLine(line: string): BitcoinCoreEvent {
  return parseEventLine<BitcoinCoreEvent>(BITCOIN_CORE_EVENT_FIELDS, line);
}

// Bitcoin Core's Network enum (netaddress.h) and FlushStateMode (validation.h).
const NETWORKS = ['unroutable', 'ipv4', 'ipv6', 'onion', 'i2p', 'cjdns', 'internal'];
const FLUSH_MODES = ['none', 'if_needed', 'periodic', 'always'];

export function applyBitcoinCoreEvent(m: MetricSet, node: string, e: BitcoinCoreEvent): void {
  switch (e.type) {
    case 'connection_opened':
      m.counter('bitcoin_net_connections_opened_total').inc({ node, direction: labelValue(e.direction), conn_type: labelValue(e.connType), network: NETWORKS[e.network] ?? 'other' });
      return;
    case 'connection_closed':
    case 'connection_evicted': {
      const metric = e.type === 'connection_closed' ? 'bitcoin_net_connections_closed_total' : 'bitcoin_net_connections_evicted_total';
      m.counter(metric).inc({ node, conn_type: labelValue(e.connType), network: NETWORKS[e.network] ?? 'other' });
      return;
    }
    case 'misbehaving':
      m.counter('bitcoin_net_misbehaving_total').inc({ node });
      return;
    case 'utxocache_flush':
      m.counter('bitcoin_utxocache_flushes_total').inc({ node, mode: FLUSH_MODES[e.mode] ?? 'other' });
      m.histogram('bitcoin_utxocache_flush_duration_seconds').observe({ node }, e.micros / 1e6);
      m.counter('bitcoin_utxocache_flushed_coins_total').inc({ node }, e.coins);
      m.gauge('bitcoin_utxocache_memory_bytes').set({ node }, e.memoryBytes);
      return;
    case 'block_connected':
      applyBlockConnected(m, node, e);
      m.gauge('bitcoin_block_height').set({ node }, e.height);
      return;
  }
}

/** The kernel maps of bpf/bitcoin-core.bt: the counter each feeds and the labels its keys give. */
const MAPS: Record<string, { metric: string; event: string; labels: (key: string) => Record<string, string> }> = {
  '@net_messages': { metric: 'bitcoin_net_messages_total', event: 'net_message', labels: directionAndType },
  '@net_message_bytes': { metric: 'bitcoin_net_message_bytes_total', event: '', labels: directionAndType },
  '@mempool_added': { metric: 'bitcoin_mempool_added_total', event: 'mempool_added', labels: () => ({}) },
  '@mempool_added_vbytes': { metric: 'bitcoin_mempool_added_vbytes_total', event: '', labels: () => ({}) },
  '@mempool_removed': { metric: 'bitcoin_mempool_removed_total', event: 'mempool_removed', labels: (reason) => ({ reason: labelValue(reason) }) },
  '@mempool_rejected': { metric: 'bitcoin_mempool_rejected_total', event: 'mempool_rejected', labels: (reason) => ({ reason: labelValue(reason) }) },
  '@mempool_replaced': { metric: 'bitcoin_mempool_replaced_total', event: 'mempool_replaced', labels: () => ({}) },
};

export const BITCOIN_CORE_MAP_NAMES: readonly string[] = Object.keys(MAPS);

/**
 * The mempool:rejected reasons that hold spaces: the reject reasons of a transaction's
 * TxValidationState in bitcoin/bitcoin@v30.0:src/validation.cpp (709, 713/955, 1450/1550, 1493;
 * read at bitcoinfibre@d0f6d9953a, the v30.0 release merge). bpftrace 0.24+ removes the spaces
 * from map keys (exporter/bpftrace-version.ts mapKeyRestorer); these are put back, so a reason
 * is one label value whichever bpftrace counted it. Removal reasons have none
 * (RemovalReasonToString: expiry, sizelimit, reorg, block, conflict, replaced).
 */
export const REASONS_WITH_SPACES = ['mempool min fee not met', 'min relay fee not met', 'max feerate exceeded', 'mempool full'] as const;

// bpftrace prints a two-part key as "inbound,ping"; a message type has no comma.
function directionAndType(key: string): Record<string, string> {
  const comma = key.indexOf(',');
  return { direction: labelValue(key.slice(0, comma)), msg_type: labelValue(key.slice(comma + 1)) };
}

/**
 * One map bpftrace printed: `{"@name": N}` for a map without keys, `{"@name": {"key": N, ...}}`
 * otherwise. Adds what each entry grew by since the last print of this bpftrace run.
 */
export function applyBitcoinCoreMap(m: MetricSet, node: string, deltas: MapDeltas, name: string, value: unknown, restoreKey: (key: string) => string = (k) => k): void {
  const map = MAPS[name];
  if (!map) throw new Error(`unknown map ${name}`);
  const entries: [string, unknown][] = typeof value === 'object' && value !== null ? Object.entries(value) : [['', value]];
  const events = m.counter('fibre_exporter_events_processed_total');
  for (const [key, total] of entries) {
    if (typeof total !== 'number' || !Number.isFinite(total)) throw new Error(`${name}[${key}] is not a number: ${JSON.stringify(total)}`);
    const grew = deltas.delta(name, key, total);
    if (grew === 0) continue;
    m.counter(map.metric).inc({ node, ...map.labels(restoreKey(key)) }, grew);
    if (map.event) events.inc({ event_type: map.event }, grew);
  }
}
