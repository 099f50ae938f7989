// prom-client metrics made from catalog entries, so the exporter serves exactly the names, help,
// labels and buckets the dashboards and rules are checked against (profiles/catalog.ts).
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { MetricDef } from '../profiles/catalog.js';

type Made = { def: MetricDef; metric: Counter<string> | Gauge<string> | Histogram<string> };

/** prom-client metrics made from catalog entries (names, help, labels, buckets from the catalog). */
export class MetricSet {
  readonly registry: Registry;
  private readonly metrics = new Map<string, Made>();

  constructor(defs: readonly MetricDef[], registry?: Registry) {
    this.registry = registry ?? new Registry();
    for (const def of defs) {
      // Profiles share entries (every profile lists the self-metrics), so the first one wins.
      // Entries other programs serve, and deprecated ones, describe metrics we must not serve.
      if (this.metrics.has(def.name) || def.deprecated || def.servedBy !== 'fibre-stack-exporter') continue;
      const metric = makeMetric(def, this.registry);
      if (metric) this.metrics.set(def.name, { def, metric });
    }
  }

  counter(name: string): Counter<string> {
    return this.get(name, 'counter') as Counter<string>;
  }

  gauge(name: string): Gauge<string> {
    return this.get(name, 'gauge') as Gauge<string>;
  }

  histogram(name: string): Histogram<string> {
    return this.get(name, 'histogram') as Histogram<string>;
  }

  private get(name: string, type: MetricDef['type']): Made['metric'] {
    const made = this.metrics.get(name);
    if (!made) throw new Error(`metric ${name} is not in this exporter's catalog entries`);
    if (made.def.type !== type) throw new Error(`metric ${name} is a ${made.def.type}, not a ${type}`);
    return made.metric;
  }
}

function makeMetric(def: MetricDef, registry: Registry): Made['metric'] | undefined {
  const common = { name: def.name, help: def.help, labelNames: [...def.labels], registers: [registry] };
  switch (def.type) {
    case 'counter':
      return new Counter(common);
    case 'gauge':
      return new Gauge(common);
    case 'histogram':
      if (!def.buckets) throw new Error(`histogram ${def.name} has no buckets in the catalog`);
      return new Histogram({ ...common, buckets: [...def.buckets] });
    case 'summary':
      // No summary is served by our exporter; such entries describe other programs' metrics.
      return undefined;
  }
}
