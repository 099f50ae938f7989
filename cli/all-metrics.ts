// The whole catalog: every profile's metrics and the stack's own, each name once, plus the
// metrics we no longer serve, kept marked deprecated so the linter can name their replacement.
import type { MetricDef } from '../core/catalog.js';
import { PROFILES } from '../profiles/registry.js';
import { hostMetrics } from './services/host-metrics.js';
import { stackMetrics } from './services/metrics.js';

// The original whitefire-fpga-metrics exporter's names (dashboards in the wild still chart them);
// our miner profile serves base-unit replacements. All are typed gauge: the original set each from
// the miner's log line, and we do not claim more about them than that.
const legacyMiner = (name: string, replacedBy: string): MetricDef => ({
  name, type: 'gauge', help: `Original whitefire-fpga-metrics exporter; replaced by ${replacedBy}.`, labels: ['card'], unit: 'none',
  servedBy: 'fibre-stack-exporter', deprecated: { since: '0.1.0', replacedBy },
});

export const retiredMetrics: MetricDef[] = [
  legacyMiner('hashrate', 'fpga_miner_hashrate_hashes_per_second'),
  legacyMiner('clock_speed', 'fpga_miner_clock_hertz'),
  legacyMiner('temperature', 'fpga_miner_temperature_celsius'),
  legacyMiner('voltage', 'fpga_miner_voltage_volts'),
  legacyMiner('errors', 'fpga_miner_error_ratio'),
  legacyMiner('last_update', 'fpga_miner_last_update_timestamp_seconds'),
  legacyMiner('share_good_total', 'fpga_miner_shares_total'),
  legacyMiner('share_bad_total', 'fpga_miner_shares_total'),
  legacyMiner('share_total', 'fpga_miner_shares_total'),
];

function dedupe(defs: readonly MetricDef[]): MetricDef[] {
  const byName = new Map<string, MetricDef>();
  for (const d of defs) if (!byName.has(d.name)) byName.set(d.name, d);
  return [...byName.values()];
}

export const ALL_METRICS: readonly MetricDef[] = dedupe([
  ...PROFILES.profiles.flatMap((p) => p.metrics),
  ...stackMetrics,
  ...hostMetrics,
  ...retiredMetrics,
]);
