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

/** Mutators whose first argument, when labels, may make a new series: these are bounded. */
const SERIES_MAKERS = new Set(['inc', 'dec', 'set', 'setToCurrentTime', 'observe', 'zero', 'labels', 'startTimer']);

/**
 * Label values come from what the exporter reads (peers and reasons from a traced program, events
 * of a recording, lines of a log), which anyone who can write those can make up without end. Each
 * label of each metric takes at most this many distinct values (far more than the peers, message
 * types or reasons of a real node); a value beyond them is put down as `other`, and each such put
 * down is counted in LABEL_OVERFLOW_METRIC, so the totals stay right and the memory bounded.
 */
export const MAX_LABEL_VALUES = 1000;

/** The self-metric counting label values put down as `other` (profiles/kit/exporter-self-metrics.ts). */
export const LABEL_OVERFLOW_METRIC = 'fibre_exporter_label_overflow_total';

export interface MetricSetOptions {
  /** Distinct values per label of one metric (MAX_LABEL_VALUES unless a benchmark wants more). */
  maxLabelValues?: number;
}

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

  private readonly maxLabelValues: number;

  constructor(defs: readonly MetricDef[], registry?: Registry, options: MetricSetOptions = {}) {
    this.registry = registry ?? new Registry();
    this.maxLabelValues = options.maxLabelValues ?? MAX_LABEL_VALUES;
    for (const def of defs) {
      // Profiles share entries (every profile lists the self-metrics), so the first one wins.
      // Entries other programs serve, and deprecated ones, describe metrics we must not serve.
      if (this.metrics.has(def.name) || def.deprecated || def.servedBy !== 'fibre-stack-exporter') continue;
      const metric = makeMetric(def, this.registry);
      if (metric) this.metrics.set(def.name, { def, metric: this.tracked(def.name, metric, def.labels) });
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

  /**
   * The labels of a call, each value past the metric's MAX_LABEL_VALUES distinct ones replaced by
   * `other` (counted); the same object when nothing is replaced. Positional values (labels('a'))
   * are matched to the label names in order.
   */
  private bounded(name: string, labelNames: readonly string[], seen: Map<string, Set<string>>, first: unknown, args: unknown[]): unknown {
    if (first === null || typeof first !== 'object') {
      if (args.length === 0 || typeof first !== 'string') return first;
      // labels('v1', 'v2'): bound them as the object they stand for.
      const asObject = Object.fromEntries(labelNames.map((l, i) => [l, args[i]]));
      const out = this.bounded(name, labelNames, seen, asObject, []) as Record<string, unknown>;
      return out === asObject ? first : labelNames.map((l) => out[l]);
    }
    let out: Record<string, unknown> | undefined;
    for (const [label, raw] of Object.entries(first)) {
      if (raw === undefined) continue;
      const value = String(raw);
      let values = seen.get(label);
      if (!values) seen.set(label, (values = new Set()));
      if (values.has(value)) continue;
      if (values.size < this.maxLabelValues) {
        values.add(value);
        continue;
      }
      (out ??= { ...(first as Record<string, unknown>) })[label] = 'other';
      if (name !== LABEL_OVERFLOW_METRIC && this.metrics.has(LABEL_OVERFLOW_METRIC)) this.counter(LABEL_OVERFLOW_METRIC).inc({ metric: name, label });
    }
    return out ?? first;
  }

  /** The metric, with every mutator reported (the registry keeps the bare object for rendering). */
  private tracked<M extends Made['metric']>(name: string, metric: M, labelNames: readonly string[]): M {
    const seen = new Map<string, Set<string>>();
    const bound = (first: unknown, all: unknown[]) => this.bounded(name, labelNames, seen, first, all);
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
          wrapped.set(prop, (...given: unknown[]) => {
            let args = given;
            if (SERIES_MAKERS.has(prop) && labelNames.length > 0) {
              const first = bound(given[0], prop === 'labels' ? given : []);
              if (Array.isArray(first)) args = first;
              else if (first !== given[0]) args = [first, ...given.slice(1)];
            }
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
