// Recorded Bitcoin Core events and kernel-map totals, played through the code the live exporter
// uses (applyBitcoinCoreEvent, applyBitcoinCoreMap).
import { MapDeltas, nonNegative, type ReplayPlayer } from '../../exporter/index.js';
import { checkEventRecord } from '../bitcoind/events.js';
import { applyBitcoinCoreEvent, applyBitcoinCoreMap, BITCOIN_CORE_EVENT_FIELDS, BITCOIN_CORE_MAP_NAMES, type BitcoinCoreEvent } from './events.js';
import { bitcoinCoreMetrics } from './metrics.js';

export const bitcoinCoreReplayPlayer: ReplayPlayer<BitcoinCoreEvent> = {
  metrics: bitcoinCoreMetrics,
  maps: BITCOIN_CORE_MAP_NAMES,
  // No field of these tracepoints is ever negative (durations, counts, enum values, peer ids).
  decode: (record) => nonNegative(checkEventRecord<BitcoinCoreEvent>(BITCOIN_CORE_EVENT_FIELDS, record)),
  start: (m, node) => {
    const deltas = new MapDeltas();
    // Map totals restart each round, as they do when bpftrace restarts.
    return { event: (e) => applyBitcoinCoreEvent(m, node, e), map: (r) => applyBitcoinCoreMap(m, node, deltas, r.name, r.value), newRound: () => deltas.newRun() };
  },
};
