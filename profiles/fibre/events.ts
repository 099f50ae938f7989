// FIBRE events, typed, and what each does to the metrics. The live exporter reads them from the
// lines bpf/fibre.bt prints; the replay exporter from a recording; both end in applyFibreEvent,
// so a replayed stack shows exactly what a live one would.
import type { MetricSet } from '../../exporter/index.js';
import { applyBlockConnected, BLOCK_CONNECTED_FIELDS, labelValue, parseEventLine, type BlockConnectedEvent, type EventFields } from '../bitcoind/events.js';

export interface BlockReconstructedEvent {
  type: 'block_reconstructed';
  hash: string;
  peer: string;
  chunksUsed: number;
  chunksReceived: number;
  peers: number;
  /** From the first header packet to reconstruction. */
  micros: number;
}

export interface BlockSendStartEvent {
  type: 'block_send_start';
  hash: string;
  /** Send start, µs since the Unix epoch. */
  startMicros: number;
}

export interface BlockRaceWinnerEvent {
  type: 'block_race_winner';
  hash: string;
  height: number;
  /** `FIBRE/UDP`, `BIP152/CMPCTBLOCK` or another mechanism's name. */
  winner: string;
  peer: string;
}

export interface BlockRaceTimeEvent {
  type: 'block_race_time';
  hash: string;
  height: number;
  /** ns the FIBRE/UDP path took, -1 when it did not deliver. */
  udpNanos: number;
  udpPeer: string;
  /** ns the compact-block path took, -1 when it did not deliver. */
  cmpctNanos: number;
  cmpctPeer: string;
}

export interface BlockReconstructionDetailEvent {
  type: 'block_reconstruction_detail';
  hash: string;
  height: number;
  missingTxs: number;
  missingTxBytes: number;
  mempoolTxs: number;
  totalTxs: number;
  /** 1 when every non-prefilled transaction came from the mempool, 0 when not, -1 unknown (bpftrace before 0.24 cannot read it). */
  allFromMempool: number;
}

export type FibreEvent = BlockReconstructedEvent | BlockReconstructionDetailEvent | BlockSendStartEvent | BlockRaceWinnerEvent | BlockRaceTimeEvent | BlockConnectedEvent;

/** Each event's fields, in the order bpf/fibre.bt prints them. */
export const FIBRE_EVENT_FIELDS: Record<FibreEvent['type'], EventFields> = {
  block_reconstructed: { hash: 'string', peer: 'string', chunksUsed: 'int', chunksReceived: 'int', peers: 'int', micros: 'int' },
  block_reconstruction_detail: { hash: 'string', height: 'int', missingTxs: 'int', missingTxBytes: 'int', mempoolTxs: 'int', totalTxs: 'int', allFromMempool: 'int' },
  block_send_start: { hash: 'string', startMicros: 'int' },
  block_race_winner: { hash: 'hash', height: 'int', winner: 'string', peer: 'string' },
  block_race_time: { hash: 'hash', height: 'int', udpNanos: 'int', udpPeer: 'string', cmpctNanos: 'int', cmpctPeer: 'string' },
  block_connected: BLOCK_CONNECTED_FIELDS,
};

export function parseFibreLine(line: string): FibreEvent {
  return parseEventLine<FibreEvent>(FIBRE_EVENT_FIELDS, line);
}

export type Mechanism = 'fibre_udp' | 'bip152_cmpct' | 'other';

/** The reference exporter's mapping: `F...` is FIBRE/UDP, `B...` compact blocks (BIP152). */
export function mechanismOf(winner: string): Mechanism {
  if (winner.startsWith('F')) return 'fibre_udp';
  if (winner.startsWith('B')) return 'bip152_cmpct';
  return 'other';
}

export function applyFibreEvent(m: MetricSet, node: string, e: FibreEvent): void {
  switch (e.type) {
    case 'block_reconstructed': {
      // One labels object for the five updates: the stress benchmark fires this one 100,000 times a second.
      const labels = { node };
      m.counter('fibre_blocks_reconstructed_total').inc(labels);
      m.counter('fibre_chunks_received_total').inc(labels, e.chunksReceived);
      m.counter('fibre_chunks_used_total').inc(labels, e.chunksUsed);
      m.histogram('fibre_block_reconstruction_duration_seconds').observe(labels, e.micros / 1e6);
      m.histogram('fibre_block_chunks_used').observe(labels, e.chunksUsed);
      return;
    }
    case 'block_reconstruction_detail':
      // As bitcoinfibre/fibre-monitoring@ddb32c3b (v1.2.0):fibre_exporter.py handles it; the
      // total is not exported there either.
      m.histogram('fibre_block_missing_tx_count').observe({ node }, e.missingTxs);
      m.histogram('fibre_block_missing_tx_bytes').observe({ node }, e.missingTxBytes);
      m.histogram('fibre_block_mempool_tx_count').observe({ node }, e.mempoolTxs);
      if (e.allFromMempool > 0) m.counter('fibre_block_all_tx_from_mempool_total').inc({ node });
      return;
    case 'block_send_start':
      m.counter('fibre_blocks_sent_total').inc({ node });
      return;
    case 'block_race_winner': {
      const mechanism = mechanismOf(e.winner);
      m.counter('fibre_block_race_wins_total').inc({ node, mechanism });
      m.counter('fibre_block_deliveries_total').inc({ node, mechanism, peer: labelValue(e.peer) });
      m.gauge('fibre_last_block_height').set({ node }, e.height);
      return;
    }
    case 'block_race_time':
      applyRaceTime(m, node, e);
      return;
    case 'block_connected':
      applyBlockConnected(m, node, e);
      m.gauge('fibre_last_block_height').set({ node }, e.height);
      return;
  }
}

/** The race view: each path's latency, and by how much the faster one won when both delivered. */
function applyRaceTime(m: MetricSet, node: string, e: BlockRaceTimeEvent): void {
  const latency = m.histogram('fibre_block_race_latency_seconds');
  if (e.udpNanos >= 0) latency.observe({ node, mechanism: 'fibre_udp' }, e.udpNanos / 1e9);
  if (e.cmpctNanos >= 0) latency.observe({ node, mechanism: 'bip152_cmpct' }, e.cmpctNanos / 1e9);
  if (e.udpNanos < 0 || e.cmpctNanos < 0) return;
  m.counter('fibre_races_with_both_total').inc({ node });
  // A tie is put down to FIBRE/UDP; its margin is 0 whichever way it is labelled.
  const winner: Mechanism = e.udpNanos <= e.cmpctNanos ? 'fibre_udp' : 'bip152_cmpct';
  m.histogram('fibre_race_margin_seconds').observe({ node, winner }, Math.abs(e.udpNanos - e.cmpctNanos) / 1e9);
}
