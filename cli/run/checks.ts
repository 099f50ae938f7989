// What `validate` checks against each service's API (validation.ts runs them). The verdict
// functions read the APIs' JSON and are pure, so the checks against Grafana and Loki (which
// cannot run here) are tested on their own.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseYaml } from '../../core/encode/yaml.js';

import type { StackService } from '../render/stack-services.js';
import { downTargetAdvice, setupNotesByJob } from '../render/host-advice.js';
import { PROFILES } from '../../profiles/registry.js';
import type { StackDir } from './stack-dir.js';
import { describeProbe, probe } from './probe.js';
import { CORE_SERVICES, SERVICE_NAMES } from '../services/table.js';

export interface CheckResult {
  check: string;
  ok: boolean;
  detail: string;
}

type Verdict = { ok: boolean; detail: string };

// ---- Prometheus -------------------------------------------------------------------------------

interface TargetsBody {
  data?: { activeTargets?: { labels?: Record<string, string>; scrapeUrl?: string; health?: string; lastError?: string }[] };
}

/**
 * Every active scrape target up. No targets at all is a failure: the stack scrapes at least itself.
 * Jobs of services that could not start are reported against those services, not here.
 */
export function targetsVerdict(body: TargetsBody, notRunning: ReadonlySet<string> = new Set(), notesByJob: ReadonlyMap<string, string[]> = new Map()): Verdict {
  const targets = (body.data?.activeTargets ?? []).filter((t) => !notRunning.has(t.labels?.job ?? ''));
  if (targets.length === 0) return { ok: false, detail: 'no active scrape targets (are the file_sd target files there?)' };
  const down = targets.filter((t) => t.health !== 'up');
  const skipped = notRunning.size ? ` (not counting ${[...notRunning].join(', ')}: not running)` : '';
  if (down.length === 0) return { ok: true, detail: `${targets.length} targets up${skipped}` };
  return {
    ok: false,
    detail: down
      .map((t) => {
        const advice = t.lastError && t.scrapeUrl ? downTargetAdvice(t.scrapeUrl, t.lastError, notesByJob.get(t.labels?.job ?? '')) : undefined;
        return `${t.labels?.job ?? '?'} ${t.scrapeUrl ?? ''} ${t.health}${t.lastError ? `: ${t.lastError}` : ''}${advice ? ` (${advice})` : ''}`;
      })
      .join('; '),
  };
}

interface RulesBody {
  data?: { groups?: { name: string; file?: string; rules?: { name: string; health?: string; lastError?: string }[] }[] };
}

/** Every group of the stack's rule files loaded, and no rule evaluating with an error. */
export function rulesVerdict(body: RulesBody, expectedGroups: string[]): Verdict {
  const groups = body.data?.groups ?? [];
  const loaded = new Set(groups.map((g) => g.name));
  const missing = expectedGroups.filter((g) => !loaded.has(g));
  if (missing.length) return { ok: false, detail: `rule groups not loaded: ${missing.join(', ')}` };
  const broken = groups.flatMap((g) => (g.rules ?? []).filter((r) => r.health === 'err' || r.lastError).map((r) => `${g.name}/${r.name}: ${r.lastError ?? r.health}`));
  if (broken.length) return { ok: false, detail: broken.join('; ') };
  const rules = groups.reduce((n, g) => n + (g.rules?.length ?? 0), 0);
  return { ok: true, detail: `${groups.length} groups, ${rules} rules, no errors` };
}

/** Group names in the stack's prometheus/rules/*.yml: what Prometheus must have loaded. */
export function expectedRuleGroups(stackDir: string): string[] {
  const dir = join(stackDir, 'prometheus', 'rules');
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
  } catch {
    return [];
  }
  return files.flatMap((f) => {
    let doc: unknown;
    try {
      doc = parseYaml(readFileSync(join(dir, f), 'utf8'));
    } catch (err) {
      throw new UnreadableRuleFile(`prometheus/rules/${f} cannot be read (${(err as Error).message.split('\n')[0]}): Prometheus cannot load it either; fix it, or run \`fibre-stack generate\` to write it again`);
    }
    const groups = (doc as { groups?: unknown } | null | undefined)?.groups;
    return (Array.isArray(groups) ? groups : []).map((g: { name?: unknown } | null) => g?.name).filter((n): n is string => typeof n === 'string');
  });
}

/** A rule file of the stack that is not YAML: `validate` reports it as the rules check's failure. */
export class UnreadableRuleFile extends Error {}

function rulesCheckVerdict(stackDir: string, body: RulesBody): Verdict {
  try {
    return rulesVerdict(body, expectedRuleGroups(stackDir));
  } catch (err) {
    if (err instanceof UnreadableRuleFile) return { ok: false, detail: err.message };
    throw err;
  }
}

// ---- Grafana ----------------------------------------------------------------------------------

/** Datasources the stack provisions, by uid and type. */
export function provisionedDatasources(stackDir: string): { uid: string; type: string }[] {
  try {
    const doc = parseYaml(readFileSync(join(stackDir, 'grafana/provisioning/datasources/datasources.yml'), 'utf8')) as { datasources?: { uid?: string; type?: string }[] };
    return (doc.datasources ?? []).filter((d) => d.uid && d.type).map((d) => ({ uid: d.uid!, type: d.type! }));
  } catch {
    return [];
  }
}

/** Dashboard uids the stack provisions. */
export function provisionedDashboards(stackDir: string): string[] {
  const dir = join(stackDir, 'grafana/dashboards');
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
  return files.map((f) => (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { uid?: string }).uid).filter((u): u is string => !!u);
}

/** /api/health: Grafana answers and its database is ok. */
export function grafanaHealthVerdict(body: { database?: string; version?: string }): Verdict {
  return body.database === 'ok' ? { ok: true, detail: `database ok${body.version ? `, Grafana ${body.version}` : ''}` } : { ok: false, detail: `database ${body.database ?? 'unknown'}` };
}

/** /api/datasources/uid/<uid>/health: `status: OK` when Grafana reached the datasource. */
export function datasourceHealthVerdict(status: number, body: { status?: string; message?: string }): Verdict {
  if (status === 200 && body.status === 'OK') return { ok: true, detail: body.message ?? 'OK' };
  return { ok: false, detail: `HTTP ${status}: ${body.message ?? body.status ?? 'no message'}` };
}

/** The path asked through Grafana's datasource proxy when a plugin has no health check of its own. */
function proxyReadyPath(type: string): string | undefined {
  const service = SERVICE_NAMES.find((s) => CORE_SERVICES[s].datasource?.def.type === type);
  return service && CORE_SERVICES[service].datasource?.proxyReadyPath;
}

/** /api/search?type=dash-db lists every provisioned dashboard's uid. */
export function dashboardsVerdict(found: { uid?: string }[], expected: string[]): Verdict {
  const have = new Set(found.map((d) => d.uid));
  const missing = expected.filter((u) => !have.has(u));
  if (missing.length) return { ok: false, detail: `dashboards not provisioned: ${missing.join(', ')}` };
  return { ok: true, detail: `${expected.length} dashboards provisioned` };
}

// ---- Running the checks -----------------------------------------------------------------------

function json<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

async function apiCheck(check: string, url: string, verdict: (status: number, body: unknown) => Verdict, headers?: Record<string, string>): Promise<CheckResult> {
  const p = await probe(url, { headers, timeoutMs: 5000 });
  if (p.status === 0) return { check, ok: false, detail: `${url}: ${describeProbe(p)}` };
  const body = json<unknown>(p.body);
  if (body === undefined) return { check, ok: false, detail: `${url}: ${describeProbe(p)}` };
  return { check, ...verdict(p.status, body) };
}

export function grafanaAuth(env: Record<string, string>): Record<string, string> {
  const user = env.GF_SECURITY_ADMIN_USER || 'admin';
  const password = env.GF_SECURITY_ADMIN_PASSWORD ?? '';
  return { Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}

/** The HTTP requests `validate` makes against Grafana, in order: what to ask, and how to judge it. */
export function grafanaRequests(stack: StackDir, base: string): { check: string; url: string; judge: (status: number, body: unknown) => Verdict; fallback?: string }[] {
  const requests: { check: string; url: string; judge: (status: number, body: unknown) => Verdict; fallback?: string }[] = [
    { check: 'api health', url: `${base}/api/health`, judge: (_s, b) => grafanaHealthVerdict(b as { database?: string }) },
  ];
  for (const ds of provisionedDatasources(stack.dir)) {
    const proxyPath = proxyReadyPath(ds.type);
    requests.push({
      check: `datasource ${ds.uid}`,
      url: `${base}/api/datasources/uid/${encodeURIComponent(ds.uid)}/health`,
      judge: (s, b) => datasourceHealthVerdict(s, b as { status?: string; message?: string }),
      fallback: proxyPath ? `${base}/api/datasources/proxy/uid/${encodeURIComponent(ds.uid)}/${proxyPath}` : undefined,
    });
  }
  const dashboards = provisionedDashboards(stack.dir);
  requests.push({
    check: 'dashboards',
    url: `${base}/api/search?type=dash-db&limit=5000`,
    judge: (s, b) => (s === 200 && Array.isArray(b) ? dashboardsVerdict(b as { uid?: string }[], dashboards) : { ok: false, detail: `HTTP ${s}` }),
  });
  return requests;
}

export async function grafanaChecks(stack: StackDir, base: string): Promise<CheckResult[]> {
  const headers = grafanaAuth(stack.env);
  const out: CheckResult[] = [];
  for (const r of grafanaRequests(stack, base)) {
    let result = await apiCheck(r.check, r.url, r.judge, headers);
    // Plugins without a health check answer "not implemented"; then ask through the datasource proxy.
    if (!result.ok && r.fallback && /not implemented|HTTP 404|HTTP 501/i.test(result.detail)) {
      const p = await probe(r.fallback, { headers, timeoutMs: 5000 });
      result = { check: r.check, ok: p.status === 200, detail: `via proxy: ${describeProbe(p).slice(0, 80)}` };
    }
    out.push(result);
  }
  return out;
}

/**
 * Prometheus's targets. One not scraped yet (health `unknown`, up to a scrape interval after
 * start) is asked directly instead: answering its scrape URL from here is what "up" means, and
 * waiting a whole interval would make every fresh stack look broken for seconds.
 */
export async function targetsCheck(stack: StackDir, base: string, notRunning: ReadonlySet<string>): Promise<CheckResult> {
  const url = `${base}/api/v1/targets?state=active`;
  const p = await probe(url, { timeoutMs: 5000 });
  const body = json<TargetsBody>(p.body);
  if (p.status !== 200 || !body) return { check: 'scrape targets', ok: false, detail: `${url}: ${describeProbe(p)}` };
  for (const t of body.data?.activeTargets ?? []) {
    if (t.health === 'unknown' && t.scrapeUrl) {
      const direct = await probe(t.scrapeUrl, { timeoutMs: 2000 });
      if (direct.status === 200) t.health = 'up';
    }
  }
  return { check: 'scrape targets', ...targetsVerdict(body, notRunning, setupNotesByJob(stack.spec, PROFILES)) };
}

/** A service's readiness endpoint, asked from this host: a core service's ready path, an exporter's /health. */
export async function readinessCheck(svc: StackService, ca?: string): Promise<CheckResult> {
  const p = await probe(svc.readyUrl, { timeoutMs: 3000, ca });
  const ok = p.status === 200 && (svc.core !== undefined || p.body.trim() === 'OK');
  return { check: svc.core ? 'ready' : 'health', ok, detail: `${svc.readyUrl}: ${describeProbe(p)}` };
}

/** Prometheus's scrape targets (but for jobs of services not running) and its rules. */
export async function prometheusChecks(stack: StackDir, base: string, notRunning: ReadonlySet<string>): Promise<CheckResult[]> {
  return [
    await targetsCheck(stack, base, notRunning),
    await apiCheck('rules', `${base}/api/v1/rules`, (_s, b) => rulesCheckVerdict(stack.dir, b as RulesBody)),
  ];
}
