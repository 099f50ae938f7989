// The metric catalog: every metric fibre-stack knows, whether our exporter serves it or another
// program does. The exporter registers its metrics from here and the dashboards, rules and linter
// check against it, so a renamed metric cannot silently break a panel or an alert.

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary';

/** Base units, as Prometheus naming asks; `none` for counts and ratios of counts. */
export type MetricUnit = 'seconds' | 'bytes' | 'hertz' | 'celsius' | 'volts' | 'ratio' | 'hashes_per_second' | 'microseconds' | 'none' | 'info' | 'timestamp_seconds' | 'block_height';

export interface MetricDef {
  name: string;
  type: MetricType;
  help: string;
  labels: readonly string[];
  unit: MetricUnit;
  /** Histogram buckets, upper bounds in the metric's unit. */
  buckets?: readonly number[];
  /** Who serves it: our exporter, or the program it belongs to (nodeos, Prometheus, ...). */
  servedBy: 'fibre-stack-exporter' | 'nodeos' | 'prometheus' | 'alertmanager' | 'loki' | 'grafana' | 'log-agent' | 'blackbox-exporter' | 'node-exporter' | 'cadvisor';
  /** A removed metric stays here, marked, so the linter can say what replaced it. */
  deprecated?: { since: string; replacedBy?: string };
}

export function metric(def: MetricDef): MetricDef {
  return def;
}

/** The series names Prometheus stores for a metric: histograms expand to _bucket, _sum, _count. */
export function seriesNames(def: MetricDef): string[] {
  if (def.type === 'histogram') return [`${def.name}_bucket`, `${def.name}_sum`, `${def.name}_count`];
  if (def.type === 'summary') return [def.name, `${def.name}_sum`, `${def.name}_count`];
  return [def.name];
}
