// The edge of the status page: what it reads from Prometheus's HTTP API (/api/v1/targets,
// /api/v1/alerts, /api/v1/query, /api/v1/query_range; documented in prometheus/prometheus@v2.42.0:
// docs/querying/api.md, the same in v3.14.0), turned into plain data for the pure model.
import { UserError } from '../../core/errors.js';
import type { StatusPlan } from './plan.js';

export interface Target {
  job: string;
  instance: string;
  /** The target's `node` label, when its scrape job gives one. */
  node?: string;
  /** The machine it is on, on a fleet hub (the `host` its node's agent puts on every series). */
  host?: string;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
}

export interface FiringAlert {
  name: string;
  severity: string;
  /** Unix seconds. */
  activeAt: number;
  summary: string;
  labels: Record<string, string>;
}

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

export interface RangeSeries {
  labels: Record<string, string>;
  /** [unix seconds, value], in time order. */
  points: [number, number][];
}

export interface HeadlineData {
  instant: Sample[];
  range: RangeSeries[];
  /** Why the query failed, when it did: the page says so instead of a number. */
  error?: string;
}

/** Everything the status page is made from, read at one moment. */
export interface StatusData {
  source: string;
  /** Unix seconds. */
  now: number;
  windowSeconds: number;
  targets: Target[];
  /** `up` of every target over the window: when a down target went down. */
  up: RangeSeries[];
  alerts: FiringAlert[];
  /** By section, by headline, in the plan's order. */
  headlines: HeadlineData[][];
}

const record = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : {});
const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const labelsOf = (v: unknown): Record<string, string> => Object.fromEntries(Object.entries(record(v)).filter(([, x]) => typeof x === 'string')) as Record<string, string>;
const arrayOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** Prometheus writes sample values as strings ("NaN" and "+Inf" included). */
const point = (p: unknown): [number, number] => {
  const [t, v] = arrayOf(p);
  return [Number(t), Number(v)];
};

/** A failed query or an unreachable Prometheus. */
export class PrometheusError extends Error {}

export class PrometheusApi {
  readonly base: string;
  constructor(base: string, private readonly timeoutMs = 10_000) {
    this.base = base.replace(/\/+$/, '');
  }

  /** The `data` of a successful API answer; a PrometheusError with Prometheus's own error otherwise. */
  private async call(path: string, form?: Record<string, string>): Promise<unknown> {
    let res: Response;
    try {
      // Queries are POSTed: a long one does not fit every URL length limit (the API takes both).
      res = await fetch(`${this.base}${path}`, {
        method: form ? 'POST' : 'GET',
        ...(form ? { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() } : {}),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new PrometheusError(`cannot reach Prometheus at ${this.base}: ${(err as Error).cause ?? (err as Error).message}`);
    }
    const body = record(await res.json().catch(() => undefined));
    if (body.status !== 'success') throw new PrometheusError(`Prometheus at ${this.base} answered ${path} with ${res.status}: ${text(body.error) || 'no API answer'}`);
    return body.data;
  }

  async targets(): Promise<Target[]> {
    const data = record(await this.call('/api/v1/targets?state=active'));
    return arrayOf(data.activeTargets).map((t) => {
      const r = record(t);
      const labels = labelsOf(r.labels);
      const health = text(r.health);
      return {
        job: labels.job ?? text(r.scrapePool),
        instance: labels.instance ?? text(r.scrapeUrl),
        ...(labels.node ? { node: labels.node } : {}),
        ...(labels.host ? { host: labels.host } : {}),
        health: health === 'up' || health === 'down' ? health : 'unknown',
        lastError: text(r.lastError),
      };
    });
  }

  /**
   * The targets as their `up` series say at `now`. A fleet hub's engine scrapes none of its nodes'
   * targets (its targets API lists only the hub's own), but each node's agent sends the `up` of
   * every target it scrapes, with the target's labels and the node's host (remote_write sends every
   * scraped series). Why a target is down stays on the node, in its agent's targets page.
   */
  async targetsFromUp(now: number): Promise<Target[]> {
    return (await this.query('up', now)).map(({ labels, value }) => ({
      job: labels.job ?? '',
      instance: labels.instance ?? '',
      ...(labels.node ? { node: labels.node } : {}),
      ...(labels.host ? { host: labels.host } : {}),
      health: value === 1 ? 'up' : value === 0 ? 'down' : 'unknown',
      lastError: '',
    }));
  }

  async firingAlerts(): Promise<FiringAlert[]> {
    const data = record(await this.call('/api/v1/alerts'));
    return arrayOf(data.alerts)
      .map(record)
      .filter((a) => a.state === 'firing')
      .map((a) => {
        const labels = labelsOf(a.labels);
        return { name: labels.alertname ?? '', severity: labels.severity ?? '', activeAt: Date.parse(text(a.activeAt)) / 1000, summary: labelsOf(a.annotations).summary ?? '', labels };
      });
  }

  async query(expr: string, time: number): Promise<Sample[]> {
    const data = record(await this.call('/api/v1/query', { query: expr, time: String(time) }));
    return arrayOf(data.result).map((s) => ({ labels: labelsOf(record(s).metric), value: point(record(s).value)[1] }));
  }

  async queryRange(expr: string, start: number, end: number, step: number): Promise<RangeSeries[]> {
    const data = record(await this.call('/api/v1/query_range', { query: expr, start: String(start), end: String(end), step: String(step) }));
    return arrayOf(data.result).map((s) => ({ labels: labelsOf(record(s).metric), points: arrayOf(record(s).values).map(point) }));
  }
}

/** Points per sparkline: a minute each over the hour. */
const WINDOW_SECONDS = 3600;
const STEP_SECONDS = 60;
/**
 * `up` more finely, for when a target went down: Prometheus's default scrape interval. Its points
 * end at `now` itself, so that the last one is the state the targets API reports.
 */
const UP_STEP_SECONDS = 15;

/** A sparkline's start on a multiple of its step, so that pages made a moment apart draw the same points. */
const alignedStart = (now: number, step: number) => Math.floor((now - WINDOW_SECONDS) / step) * step;

/** Reads what the plan needs. An unreachable Prometheus is the user's to fix (a UserError); a failing headline query is shown on the page. */
export async function fetchStatus(api: PrometheusApi, plan: StatusPlan, now = Date.now() / 1000): Promise<StatusData> {
  const start = alignedStart(now, STEP_SECONDS);
  try {
    const [targets, alerts, up] = await Promise.all([plan.targetsFromUp ? api.targetsFromUp(now) : api.targets(), api.firingAlerts(), api.queryRange('up', now - WINDOW_SECONDS, now, UP_STEP_SECONDS)]);
    const headlines = await Promise.all(
      plan.sections.map((s) =>
        Promise.all(
          s.headlines.map(async (h): Promise<HeadlineData> => {
            try {
              const [instant, range] = await Promise.all([api.query(h.query, now), api.queryRange(h.query, start, now, STEP_SECONDS)]);
              return { instant, range };
            } catch (err) {
              if (!(err instanceof PrometheusError)) throw err;
              return { instant: [], range: [], error: err.message };
            }
          }),
        ),
      ),
    );
    return { source: api.base, now, windowSeconds: WINDOW_SECONDS, targets, up, alerts, headlines };
  } catch (err) {
    if (err instanceof PrometheusError) throw new UserError(`${err.message}. Is the stack up (fibre-stack status)? Name another Prometheus with --prometheus URL.`);
    throw err;
  }
}
