// prom-client metrics made from catalog entries, so the exporter serves exactly the names, help,
// labels and buckets the dashboards and rules are checked against (profiles/catalog.ts).
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { MetricDef } from '../core/catalog.js';

type Made = { def: MetricDef; metric: Counter<string> | Gauge<string> | Histogram<string> };

/**
 * Methods that change a metric, or hand out something that will (labels() children, timers).
 * Each call bumps MetricSet.version and is reported to watchers, which lets /metrics render
 * again only what changed (exporter/exposition.ts).
 */
const MUTATORS = new Set(['inc', 'dec', 'set', 'setToCurrentTime', 'observe', 'reset', 'remove', 'zero', 'labels', 'startTimer']);

/** Mutators whose result changes the metric later: a labels() child, a timer's end function. */
const HANDS_OUT_MUTATORS = new Set(['labels', 'startTimer']);

/** Mutators whose first argument, when an object, is the labels of the one series they change. */
const SERIES_MUTATORS = new Set(['inc', 'dec', 'set', 'setToCurrentTime', 'observe']);

/**
 * Told after a metric changed: which series when the call names one (`{}` for a metric without
 * labels), undefined when any series may have changed (reset, remove, labels() children, timers).
 */
export type MutationListener = (metric: string, labels: Readonly<Record<string, unknown>> | undefined) => void;

/** prom-client metrics made from catalog entries (names, help, labels, buckets from the catalog). */
export class MetricSet {
  readonly registry: Registry;
  private readonly metrics = new Map<string, Made>();
  private changes = 0;
  private readonly listeners: MutationListener[] = [];

  /** Grows whenever a metric of this set may have changed. */
  get version(): number {
    return this.changes;
  }

  /** True for the metrics whose every change is reported to watch() listeners. */
  owns(name: string): boolean {
    return this.metrics.has(name);
  }

  /** Calls listener after every change of a metric of this set, until the returned function is called. */
  watch(listener: MutationListener): () => void {
    this.listeners.push(listener);
    return () => {
      const at = this.listeners.indexOf(listener);
      if (at >= 0) this.listeners.splice(at, 1);
    };
  }

  constructor(defs: readonly MetricDef[], registry?: Registry) {
    this.registry = registry ?? new Registry();
    for (const def of defs) {
      // Profiles share entries (every profile lists the self-metrics), so the first one wins.
      // Entries other programs serve, and deprecated ones, describe metrics we must not serve.
      if (this.metrics.has(def.name) || def.deprecated || def.servedBy !== 'fibre-stack-exporter') continue;
      const metric = makeMetric(def, this.registry);
      if (metric) this.metrics.set(def.name, { def, metric: this.tracked(def.name, metric) });
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

  /** The metric, with every mutator reported (the registry keeps the bare object for rendering). */
  private tracked<M extends Made['metric']>(name: string, metric: M): M {
    const changed = (labels: Readonly<Record<string, unknown>> | undefined) => {
      this.changes++;
      for (const listener of this.listeners) listener(name, labels);
    };
    // Whatever a mutator returns (a labels() child, a timer's end function) mutates later.
    const trackResult = (result: unknown): unknown => {
      if (typeof result === 'function') {
        return (...args: unknown[]) => {
          try {
            return trackResult((result as (...a: unknown[]) => unknown)(...args));
          } finally {
            changed(undefined);
          }
        };
      }
      if (result && typeof result === 'object' && result !== metric) {
        const child = result as Record<string, unknown>;
        return Object.fromEntries(Object.keys(child).map((k) => [k, trackResult(child[k])]));
      }
      return result;
    };
    const wrapped = new Map<string | symbol, unknown>();
    const proxy: M = new Proxy(metric, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target);
        if (typeof prop !== 'string' || !MUTATORS.has(prop) || typeof value !== 'function') return value;
        if (!wrapped.has(prop)) {
          wrapped.set(prop, (...args: unknown[]) => {
            try {
              const result = (value as (...a: unknown[]) => unknown).apply(target, args);
              if (result === target) return proxy;
              return HANDS_OUT_MUTATORS.has(prop) ? trackResult(result) : result;
            } finally {
              // Reported even when the call threw: it may have changed something first.
              changed(SERIES_MUTATORS.has(prop) ? seriesLabels(args[0]) : undefined);
            }
          });
        }
        return wrapped.get(prop);
      },
    });
    return proxy;
  }
}

/** prom-client's reading of a mutator's first argument: an object is the labels, anything else means none. */
function seriesLabels(first: unknown): Readonly<Record<string, unknown>> {
  return first !== null && typeof first === 'object' ? (first as Record<string, unknown>) : {};
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
