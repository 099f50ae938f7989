// What `validate` says of a fleet. On a hub: every node with the age of its last sample and its
// send errors, read from the engine (the nodes' agents scrape themselves, so their
// prometheus_remote_storage_* series arrive with their host and site labels), and the writes the
// hub's vmauth refused. On a node: the agent's remote_write queue, read from its own /metrics
// (agent mode has no query API: prometheus/prometheus@v2.42.0:web/api/v1/api.go wrapAgent).
// The verdicts are pure; the fetching is at the end.
import type { FleetHubSpec } from '../spec/types.js';
import type { StackService } from '../render/stack-services.js';
import type { CheckResult } from './checks.js';
import { describeProbe, probe } from './probe.js';

/**
 * A node whose last sample is older than this is reported silent: the hub's FleetNodeSilent alert
 * (cli/services/fleet-rules.ts) looks at the same 2 minute window.
 */
export const SILENT_AFTER_SECONDS = 120;

/** A node as the hub sees it. */
export interface NodeSeen {
  host: string;
  site: string;
  /** Seconds since its newest sample reached the hub; null when none ever did. */
  lastSampleAgeSeconds: number | null;
  /** Its agent's samples that failed (were dropped) or were retried over the last hour, and those waiting now. */
  failedLastHour: number;
  retriedLastHour: number;
  pending: number;
}

/** The hub's view: its nodes, and what its vmauth refused. */
export interface HubView {
  role: 'hub';
  nodes: NodeSeen[];
  /** Writes vmauth refused for a token it does not know; null when the engine has no such series (yet). */
  refusedWrites: number | null;
}

/** One remote_write queue of a node's agent (prometheus_remote_storage_* of one remote_name and url). */
export interface QueueHealth {
  remote: string;
  url: string;
  pending: number;
  failed: number;
  retried: number;
  /** Seconds between the newest sample the agent took in and the newest it sent; null before it sent any. */
  lagSeconds: number | null;
}

export interface NodeView {
  role: 'node';
  queues: QueueHealth[];
}

export type FleetView = HubView | NodeView;

// ---- Exposition text (the agent's /metrics) ----------------------------------------------------

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of the named metrics in a Prometheus text exposition (the rest is skipped). */
export function samplesOf(text: string, names: ReadonlySet<string>): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m || !names.has(m[1])) continue;
    const labels: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? '').matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g)) labels[k] = v.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    out.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return out;
}

// Metric names at both Prometheus versions we run: prometheus/prometheus@v2.42.0 and @v3.14.0
// storage/remote/queue_manager.go (namespace prometheus, subsystem remote_storage: storage.go) and
// storage/remote/write.go (highest_timestamp_in_seconds, which has no remote_name or url label).
const PENDING = 'prometheus_remote_storage_samples_pending';
const FAILED = 'prometheus_remote_storage_samples_failed_total';
const RETRIED = 'prometheus_remote_storage_samples_retried_total';
const SENT_TS = 'prometheus_remote_storage_queue_highest_sent_timestamp_seconds';
const IN_TS = 'prometheus_remote_storage_highest_timestamp_in_seconds';
export const QUEUE_METRICS: ReadonlySet<string> = new Set([PENDING, FAILED, RETRIED, SENT_TS, IN_TS]);

/** The agent's queues from its samples: one per remote_name and url. */
export function queuesOf(samples: readonly Sample[]): QueueHealth[] {
  const newestIn = samples.find((s) => s.name === IN_TS)?.value ?? 0;
  const queues = new Map<string, QueueHealth>();
  for (const s of samples) {
    if (s.name === IN_TS) continue;
    const remote = s.labels.remote_name ?? '';
    const url = s.labels.url ?? '';
    const key = `${remote}\0${url}`;
    const q = queues.get(key) ?? { remote, url, pending: 0, failed: 0, retried: 0, lagSeconds: null };
    if (s.name === PENDING) q.pending = s.value;
    if (s.name === FAILED) q.failed = s.value;
    if (s.name === RETRIED) q.retried = s.value;
    // 0 until the first batch is sent.
    if (s.name === SENT_TS) q.lagSeconds = s.value > 0 ? Math.max(0, newestIn - s.value) : null;
    queues.set(key, q);
  }
  return [...queues.values()];
}

/** A queue is healthy when it keeps up: what it sent is at most SILENT_AFTER_SECONDS behind what it took in. */
export function queueVerdict(q: QueueHealth): CheckResult {
  const counts = `${q.pending} pending, ${q.failed} failed, ${q.retried} retried since the agent started`;
  const check = `remote write ${q.url || q.remote}`;
  if (q.lagSeconds === null) return { check, ok: false, detail: `nothing sent yet (${counts})` };
  const lag = `sent up to ${Math.round(q.lagSeconds)} s behind`;
  if (q.lagSeconds > SILENT_AFTER_SECONDS) return { check, ok: false, detail: `${lag}: the hub does not take the writes (${counts}); see the agent's log` };
  return { check, ok: true, detail: `${lag}, ${counts}` };
}

export function nodeChecks(view: NodeView): CheckResult[] {
  if (view.queues.length === 0) return [{ check: 'remote write', ok: false, detail: 'the agent reports no remote_write queue: is fleet.hub_url in its configuration?' }];
  return view.queues.map(queueVerdict);
}

// ---- The hub ----------------------------------------------------------------------------------

/** Instant-query results: one value per label set. */
export interface Series {
  metric: Record<string, string>;
  value: [number, string];
}

const nodeKey = (m: Record<string, string>) => `${m.host ?? ''}\0${m.site ?? ''}`;

/**
 * Every node: those the hub has samples of, and the expected ones (fleet.nodes) it has none of.
 * `lastSeen` holds the newest sample time per host and site (seconds since the epoch).
 */
export function nodesSeen(
  expected: readonly string[],
  now: number,
  results: { lastSeen: Series[]; failed: Series[]; retried: Series[]; pending: Series[] },
): NodeSeen[] {
  const valueBy = (rows: Series[]) => new Map(rows.map((r) => [nodeKey(r.metric), Number(r.value[1])]));
  const failed = valueBy(results.failed);
  const retried = valueBy(results.retried);
  const pending = valueBy(results.pending);
  const nodes: NodeSeen[] = results.lastSeen.map((r) => {
    const key = nodeKey(r.metric);
    return {
      host: r.metric.host ?? '',
      site: r.metric.site ?? '',
      lastSampleAgeSeconds: Math.max(0, now - Number(r.value[1])),
      failedLastHour: failed.get(key) ?? 0,
      retriedLastHour: retried.get(key) ?? 0,
      pending: pending.get(key) ?? 0,
    };
  });
  const seen = new Set(nodes.map((n) => n.host));
  for (const host of expected) if (!seen.has(host)) nodes.push({ host, site: '', lastSampleAgeSeconds: null, failedLastHour: 0, retriedLastHour: 0, pending: 0 });
  return nodes.sort((a, b) => a.host.localeCompare(b.host) || a.site.localeCompare(b.site));
}

const roundCount = (n: number) => String(Math.round(n));

export function nodeVerdict(n: NodeSeen): CheckResult {
  const check = `node ${n.host}`;
  if (n.lastSampleAgeSeconds === null) return { check, ok: false, detail: 'no sample ever reached the hub: start its stack, and check its fleet.hub_url and token' };
  const errors = `${roundCount(n.failedLastHour)} failed and ${roundCount(n.retriedLastHour)} retried in the last hour, ${roundCount(n.pending)} pending`;
  const age = `site ${n.site}, last sample ${Math.round(n.lastSampleAgeSeconds)} s ago`;
  if (n.lastSampleAgeSeconds > SILENT_AFTER_SECONDS) return { check, ok: false, detail: `${age}: silent (${errors}); on the node, \`fibre-stack validate\` shows its send queue` };
  return { check, ok: true, detail: `${age}, ${errors}` };
}

export function hubChecks(view: HubView): CheckResult[] {
  const refused: CheckResult = {
    check: 'refused writes',
    // Informational: anyone who reaches the port can be refused; refusing is the hub doing its job.
    ok: true,
    detail: view.refusedWrites === null ? 'vmauth has not been scraped yet' : `${roundCount(view.refusedWrites)} writes refused by vmauth for an unknown token`,
  };
  const nodes = view.nodes.length ? view.nodes.map(nodeVerdict) : [{ check: 'nodes', ok: false, detail: 'no node has sent anything and fleet.nodes lists none' }];
  return [...nodes, refused];
}

// Each query names only series the nodes' agents send (self-scrape) or the hub scrapes of vmauth.
// tlast_over_time is MetricsQL (VictoriaMetrics/VictoriaMetrics@v1.79.5:app/vmselect/promql/rollup.go):
// the newest sample's time, however long ago within the window, where PromQL's timestamp() would
// lose a node silent for longer than its 5 min lookback.
export const HUB_QUERIES = {
  lastSeen: 'max by (host, site) (tlast_over_time(up{host!=""}[1d]))',
  lastSeenPromql: 'max by (host, site) (timestamp(up{host!=""}))',
  failed: `sum by (host, site) (increase(${FAILED}{host!=""}[1h]))`,
  retried: `sum by (host, site) (increase(${RETRIED}{host!=""}[1h]))`,
  pending: `sum by (host, site) (${PENDING}{host!=""})`,
  // VictoriaMetrics/VictoriaMetrics@v1.79.5 and @v1.150.0:app/vmauth/main.go invalidAuthTokenRequests.
  refused: 'sum(vmauth_http_request_errors_total{reason="invalid_auth_token"})',
} as const;

/** Where the hub's engine answers Prometheus queries, from this host. */
export function hubQueryBase(hub: FleetHubSpec, services: readonly StackService[]): string | undefined {
  const base = (name: string) => services.find((s) => s.name === name)?.readyUrl.replace(/^(https?:\/\/[^/]+).*$/, '$1');
  switch (hub.engine) {
    case 'victoriametrics':
      return base('victoria-metrics');
    case 'mimir': {
      // Mimir serves the Prometheus API under its prometheus_http_prefix, /prometheus by default
      // (grafana/mimir@mimir-3.0.2:pkg/api/api.go).
      const b = base('mimir');
      return b && `${b}/prometheus`;
    }
    case 'external':
      return hub.external.query_url.replace(/\/api\/v1\/?$/, '').replace(/\/+$/, '') || undefined;
  }
}

async function instantQuery(base: string, query: string): Promise<Series[]> {
  const url = `${base}/api/v1/query?query=${encodeURIComponent(query)}`;
  const p = await probe(url, { timeoutMs: 5000 });
  if (p.status !== 200) throw new Error(`${base}/api/v1/query: ${describeProbe(p)}`);
  const body = JSON.parse(p.body) as { data?: { result?: Series[] } };
  return body.data?.result ?? [];
}

/** The hub's view, asked of its engine. */
export async function hubView(hub: FleetHubSpec, base: string): Promise<HubView> {
  const vm = hub.engine === 'victoriametrics';
  const [lastSeen, failed, retried, pending, refused] = await Promise.all([
    instantQuery(base, vm ? HUB_QUERIES.lastSeen : HUB_QUERIES.lastSeenPromql),
    instantQuery(base, HUB_QUERIES.failed),
    instantQuery(base, HUB_QUERIES.retried),
    instantQuery(base, HUB_QUERIES.pending),
    instantQuery(base, HUB_QUERIES.refused),
  ]);
  return {
    role: 'hub',
    nodes: nodesSeen(hub.nodes, Date.now() / 1000, { lastSeen, failed, retried, pending }),
    refusedWrites: refused.length ? Number(refused[0].value[1]) : null,
  };
}

/** The node's view, from its agent's /metrics. */
export async function nodeView(agentBase: string): Promise<NodeView> {
  const p = await probe(`${agentBase}/metrics`, { timeoutMs: 5000 });
  if (p.status !== 200) throw new Error(`${agentBase}/metrics: ${describeProbe(p)}`);
  return { role: 'node', queues: queuesOf(samplesOf(p.body, QUEUE_METRICS)) };
}
