// Recorded FIBRE events, played through the code the live exporter uses (applyFibreEvent).
import { nonNegative, type ReplayPlayer } from '../../exporter/index.js';
import { checkEventRecord } from '../bitcoind/events.js';
import { applyFibreEvent, FIBRE_EVENT_FIELDS, type FibreEvent } from './events.js';
import { fibreMetrics } from './metrics.js';

const RACE_TIMES: ReadonlySet<string> = new Set(['udpNanos', 'cmpctNanos']);

export const fibreReplayPlayer: ReplayPlayer<FibreEvent> = {
  metrics: fibreMetrics,
  maps: [],
  // -1 in a race time means that path did not deliver the block; nothing else is ever negative.
  decode: (record) => nonNegative(checkEventRecord<FibreEvent>(FIBRE_EVENT_FIELDS, record), RACE_TIMES),
  start: (m, node) => ({ event: (e) => applyFibreEvent(m, node, e), map: () => undefined, newRound: () => undefined }),
};
