// The one place that reads prom-client's own storage, which its public API only hands out whole
// (get() copies every series). Counters and gauges keep one entry per series in `hashMap`, keyed
// by lib/util's hashObject over the sorted label names. package.json pins prom-client exactly,
// and test/exporter-exposition.test.ts checks our rendering against registry.metrics() byte for
// byte, so a release that changes this layout fails there. When the layout is not there at
// all, seriesStore() says so and /metrics reads such metrics whole through get().
import type { MetricObject } from 'prom-client';
// A static import, so the bundle (scripts/build.mjs) carries the pinned prom-client's own copy.
import * as promClientUtil from 'prom-client/lib/util.js';

export interface Series {
  value: number;
  labels: Readonly<Record<string, unknown>>;
}

export interface SeriesStore {
  /** The key prom-client files the series with these labels under. */
  key(labels: Readonly<Record<string, unknown>>): string;
  get(key: string): Series | undefined;
  /** Every series, in the order prom-client renders them. */
  all(): Iterable<[string, Series]>;
}

type HashObject = (labels: Readonly<Record<string, unknown>>, labelNames?: readonly string[]) => string;

const hashObject: HashObject | undefined = typeof promClientUtil.hashObject === 'function' ? (promClientUtil.hashObject as HashObject) : undefined;

/** Direct access to a counter's or gauge's series; undefined for other metrics or another layout. */
export function seriesStore(metric: MetricObject): SeriesStore | undefined {
  const internals = metric as MetricObject & { hashMap?: unknown; sortedLabelNames?: unknown };
  const type = String(metric.type);
  if (type !== 'counter' && type !== 'gauge') return undefined;
  if (!hashObject || !Array.isArray(internals.sortedLabelNames) || typeof internals.hashMap !== 'object' || internals.hashMap === null) return undefined;
  const hash = hashObject;
  const labelNames = internals.sortedLabelNames as string[];
  // reset() puts a new object in place, so the map is looked up on every use.
  const map = () => internals.hashMap as Record<string, Series>;
  return {
    key: (labels) => hash(labels, labelNames),
    get: (key) => (Object.hasOwn(map(), key) ? map()[key] : undefined),
    all: () => Object.entries(map()),
  };
}
