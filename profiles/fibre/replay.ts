// Recorded FIBRE events, played through the code the live exporter uses (applyFibreEvent).
import type { ReplayPlayer } from '../../exporter/index.js';
import { checkEventRecord } from '../bitcoind/events.js';
import { applyFibreEvent, FIBRE_EVENT_FIELDS, type FibreEvent } from './events.js';
import { fibreMetrics } from './metrics.js';

export const fibreReplayPlayer: ReplayPlayer<FibreEvent> = {
  metrics: fibreMetrics,
  maps: [],
  decode: (record) => checkEventRecord<FibreEvent>(FIBRE_EVENT_FIELDS, record),
  start: (m, node) => ({ event: (e) => applyFibreEvent(m, node, e), map: () => undefined, newRound: () => undefined }),
};
