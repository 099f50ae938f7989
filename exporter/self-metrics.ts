// The self-monitoring every exporter mode serves (profiles/exporter-self-metrics.ts), so an alert
// can tell "the exporter is down" and "the exporter sees nothing" apart from "nothing happens".
import type { MetricSet } from './metrics-registry.js';
import { packageVersion } from '../core/package-root.js';

export interface SelfMetrics {
  /** One event read from a probe or a log, by type (e.g. `block_reconstructed`, `stats_line`). */
  event(type: string): void;
  /** One error, by type (e.g. `tracer_restart`, `unparseable_line`). */
  error(type: string): void;
  probesAttached(n: number): void;
}

/** Sets fibre_exporter_up=1, start_time, info{version,node_name,bitcoind_path}; returns helpers. */
export function initSelfMetrics(set: MetricSet, info: { node_name: string; bitcoind_path: string }): SelfMetrics {
  set.gauge('fibre_exporter_up').set(1);
  set.gauge('fibre_exporter_start_time_seconds').set(Math.floor(Date.now() / 1000));
  set.gauge('fibre_exporter_info').set({ version: packageVersion(), node_name: info.node_name, bitcoind_path: info.bitcoind_path }, 1);
  set.gauge('fibre_exporter_probes_attached').set(0);
  const events = set.counter('fibre_exporter_events_processed_total');
  const errors = set.counter('fibre_exporter_errors_total');
  const probes = set.gauge('fibre_exporter_probes_attached');
  return {
    event: (type) => events.inc({ event_type: type }),
    error: (type) => errors.inc({ error_type: type }),
    probesAttached: (n) => probes.set(n),
  };
}
