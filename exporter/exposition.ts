// The /metrics body in Prometheus text format 0.0.4, byte for byte what prom-client's
// registry.metrics() gives, but kept up to date series by series. prom-client formats every
// series on every call (25 ms for 10,000 series on a small machine), and even its get() copies
// every series of a metric; a scrape after any change would wait that long. Here the lines of
// counters and gauges are kept rendered, and the series a change names are read and formatted
// again, nothing else. Other metrics (histograms, metrics of other code) are read whole, through
// prom-client's public get(), when they may have changed.
import type { MetricObject, MetricObjectWithValues, MetricValue, Registry } from 'prom-client';
import type { MutationListener } from './metrics-registry.js';
import { seriesStore, type SeriesStore } from './prom-client-series.js';
import { escapeHelp, escapeLabelValue } from '../core/encode/exposition.js';

/** Lines per block: small enough that one change costs little, large enough that few blocks are joined. */
const BLOCK_LINES = 256;

export interface ExpositionSource {
  registry: Registry;
  /** Grows whenever any metric changed. */
  readonly version: number;
  /** True for the metrics whose every change is reported to watch() listeners. */
  owns(name: string): boolean;
  /** Returns how to stop listening. */
  watch(listener: MutationListener): () => void;
}

/** A registered metric: getMetricsAsArray() types them as plain objects, but they are the metrics. */
type Registered = MetricObject & { get(): Promise<MetricObjectWithValues<MetricValue<string> & { metricName?: string }>> };

/** Some rendered lines, each starting with a newline, and their bytes once asked for. */
interface Block {
  lines: string[];
  bytes?: Buffer;
}

interface RenderedMetric {
  /** The metric object it was rendered from: another under the same name starts afresh. */
  metric: Registered;
  header: Buffer;
  blocks: Block[];
  /** Counters and gauges of the source: direct reads of their series, and where each one's line is. */
  store?: SeriesStore;
  index?: Map<string, { block: Block; line: number }>;
}

/**
 * A rendering, as the pieces it is made of: joining them would copy the whole body on every
 * scrape after a change, and that garbage, not the formatting, made the slow scrapes.
 */
export interface Body {
  parts: readonly Buffer[];
  length: number;
}

/**
 * What changed in a metric since it was rendered: these series (by key, with how many changes
 * were reported), or anything.
 */
type Dirty = { keys: Set<string>; changes: number } | 'all';

/**
 * Changes of one metric between two renderings past which it is read whole instead: keying each
 * change costs about as much as the change itself, and a metric changing that often is cheaper
 * to read whole once than to key thousands of times (eBPF events come at up to 80,000 a second).
 */
const KEYED_CHANGES = 256;

export class Exposition {
  private readonly rendered = new Map<string, RenderedMetric>();
  private readonly dirty = new Map<string, Dirty>();
  private last: { version: number; body: Body } | undefined;
  private running: Promise<Body> | undefined;
  private readonly unwatch: () => void;

  constructor(private readonly source: ExpositionSource) {
    this.unwatch = source.watch((name, labels) => this.changed(name, labels));
  }

  /** Stops following the source's changes (the server closed). */
  close(): void {
    this.unwatch();
  }

  get contentType(): string {
    return this.source.registry.contentType;
  }

  /** True when the last body is current: body() will answer at once. */
  get current(): boolean {
    // A metric registered by other code changes unseen, so with one there it is never known current.
    return this.last?.version === this.source.version && this.source.registry.getMetricsAsArray().every((m) => this.source.owns(m.name));
  }

  /** The current body. Concurrent calls share one rendering; the caches are not safe to share otherwise. */
  body(): Promise<Body> {
    if (this.last && this.current) return Promise.resolve(this.last.body);
    if (this.running) return this.running.then(() => this.body());
    const run = this.render().finally(() => {
      this.running = undefined;
    });
    this.running = run;
    return run;
  }

  private changed(name: string, labels: Readonly<Record<string, unknown>> | undefined): void {
    const dirty = this.dirty.get(name);
    if (dirty === 'all') return;
    const store = this.rendered.get(name)?.store;
    if (!labels || !store || (dirty && dirty.changes >= KEYED_CHANGES)) return void this.dirty.set(name, 'all');
    // Keyed at once: the caller may reuse its labels object for another series.
    if (dirty) {
      dirty.keys.add(store.key(labels));
      dirty.changes++;
    } else this.dirty.set(name, { keys: new Set([store.key(labels)]), changes: 1 });
  }

  private async render(): Promise<Body> {
    // Taken before reading: a change made while rendering leaves the result stale, so it renders again.
    const version = this.source.version;
    const parts: Buffer[] = [];
    const seen = new Set<string>();
    for (const metric of this.source.registry.getMetricsAsArray() as Registered[]) {
      seen.add(metric.name);
      const rendered = await this.metric(metric);
      if (parts.length) parts.push(METRIC_SEPARATOR);
      parts.push(rendered.header);
      for (const block of rendered.blocks) parts.push((block.bytes ??= Buffer.from(block.lines.join(''))));
    }
    for (const name of this.rendered.keys()) if (!seen.has(name)) this.rendered.delete(name);
    parts.push(NEWLINE);
    const body = { parts, length: parts.reduce((n, p) => n + p.length, 0) };
    this.last = { version, body };
    return body;
  }

  private async metric(metric: Registered): Promise<RenderedMetric> {
    const name = metric.name;
    const known = this.rendered.get(name)?.metric === metric ? this.rendered.get(name) : undefined;
    const dirty = this.dirty.get(name);
    this.dirty.delete(name);
    const owned = this.source.owns(name);
    if (known && owned && !dirty) return known;
    const store = known ? known.store : owned ? seriesStore(metric) : undefined;
    const rendered =
      known?.index && store && dirty && dirty !== 'all' && updateSeries(known, store, dirty.keys, escapeHelp(name))
        ? known
        : store
          ? renderSeries(metric, store)
          : await renderWhole(metric);
    this.rendered.set(name, rendered);
    return rendered;
  }
}

const METRIC_SEPARATOR = Buffer.from('\n\n');
const NEWLINE = Buffer.from('\n');

function header(metric: MetricObject): Buffer {
  const name = escapeHelp(metric.name);
  return Buffer.from(`# HELP ${name} ${escapeHelp(metric.help)}\n# TYPE ${name} ${metric.type}`);
}

/** Any metric, through prom-client's public get(). */
async function renderWhole(metric: Registered): Promise<RenderedMetric> {
  const got = await metric.get();
  const name = escapeHelp(got.name);
  const lines = got.values.map((s) => seriesLine(s.metricName ?? name, s.labels, s.value));
  return { metric, header: header(got), blocks: toBlocks(lines) };
}

/** A counter or gauge, every series, indexed so a change can be applied line by line. */
function renderSeries(metric: Registered, store: SeriesStore): RenderedMetric {
  const name = escapeHelp(metric.name);
  const keys: string[] = [];
  const lines: string[] = [];
  for (const [key, series] of store.all()) {
    keys.push(key);
    lines.push(seriesLine(name, series.labels, series.value));
  }
  const blocks = toBlocks(lines);
  const index = new Map(keys.map((key, i) => [key, { block: blocks[Math.floor(i / BLOCK_LINES)], line: i % BLOCK_LINES }]));
  return { metric, header: header(metric), blocks, store, index };
}

/**
 * Formats again the lines of the series named, and appends new series where prom-client puts
 * them: last, in the order they were first changed. False when a series is gone (read it whole).
 */
function updateSeries(rendered: RenderedMetric, store: SeriesStore, keys: Set<string>, name: string): boolean {
  const index = rendered.index!;
  for (const key of keys) {
    const series = store.get(key);
    if (!series) return false;
    const line = seriesLine(name, series.labels, series.value);
    const at = index.get(key);
    if (at) {
      at.block.lines[at.line] = line;
      at.block.bytes = undefined;
      continue;
    }
    let last = rendered.blocks.at(-1);
    if (!last || last.lines.length === BLOCK_LINES) rendered.blocks.push((last = { lines: [] }));
    index.set(key, { block: last, line: last.lines.length });
    last.lines.push(line);
    last.bytes = undefined;
  }
  return true;
}

function toBlocks(lines: string[]): Block[] {
  const blocks: Block[] = [];
  for (let start = 0; start < lines.length; start += BLOCK_LINES) blocks.push({ lines: lines.slice(start, start + BLOCK_LINES) });
  return blocks;
}

/** One sample line, with the newline that separates it from what comes before. */
function seriesLine(metricName: string, labels: Readonly<Record<string, unknown>>, value: number): string {
  let pairs = '';
  for (const label of Object.keys(labels)) {
    const v = labels[label];
    pairs += `${pairs ? ',' : ''}${label}="${typeof v === 'string' ? escapeLabelValue(v) : String(v)}"`;
  }
  return `\n${metricName}${pairs ? `{${pairs}}` : ''} ${formatValue(value)}`;
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'Nan';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}
