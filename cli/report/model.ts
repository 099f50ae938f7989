// The status page as data: each section (the stack's services, each profile) and each node green,
// orange or red with the reasons, the firing alerts, and the headline numbers with their
// sparklines. Pure: from what was read from Prometheus (prometheus-api.ts) and the plan.
import type { StatusUnit } from '../../profiles/types.js';
import type { FiringAlert, HeadlineData, RangeSeries, StatusData, Target } from './prometheus-api.js';
import { STACK_SECTION, type PlannedSection, type StatusPlan } from './plan.js';

export type State = 'green' | 'orange' | 'red';

export interface NodeView {
  /** Its `node` label, else its instance. */
  name: string;
  /** The machine it is on, on a fleet hub. */
  host?: string;
  job: string;
  instance: string;
  state: State;
  reasons: string[];
}

export interface HeadlineRow {
  name: string;
  /** Undefined when the query gives nothing for this row now (or a value that is not a number). */
  value?: number;
  /** The row's values over the window, oldest first; what is not a number is left out. */
  spark: number[];
}

export interface HeadlineView {
  title: string;
  unit: StatusUnit;
  note?: string;
  rows: HeadlineRow[];
  error?: string;
}

export interface SectionView {
  id: string;
  title: string;
  state: State;
  reasons: string[];
  nodes: NodeView[];
  headlines: HeadlineView[];
}

export interface AlertView {
  name: string;
  severity: string;
  since: number;
  summary: string;
  /** Where it fires: node, instance or job, as its labels say. */
  where: string;
  /** The section whose alert it is, if any. */
  section?: string;
}

export interface StatusModel {
  source: string;
  generatedAt: number;
  state: State;
  sections: SectionView[];
  alerts: AlertView[];
}

const RANK: Record<State, number> = { green: 0, orange: 1, red: 2 };
export const worst = (states: readonly State[]): State => states.reduce<State>((w, s) => (RANK[s] > RANK[w] ? s : w), 'green');

/** critical turns red, warning orange; info and anything else only shows in the list. */
function alertState(severity: string): State {
  return severity === 'critical' ? 'red' : severity === 'warning' ? 'orange' : 'green';
}

/** `2026-11-29 09:12:03 UTC`. */
export function utc(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

/** On a fleet hub, nodes, instances and jobs of one name exist on several machines: their host tells them apart. */
const sameHost = (labels: Record<string, string>, target: { host?: string }) => labels.host === target.host;
const sameLabels = (a: Record<string, string>, b: { job: string; instance: string; host?: string }) => a.job === b.job && a.instance === b.instance && sameHost(a, b);

/**
 * When `up` of the target last turned 0: the first point of its last run of zeros, or undefined
 * when its last point is not 0 (or it has none). `atWindowStart` when the run starts with the
 * window: it went down earlier than Prometheus was asked about.
 */
export function downSince(up: RangeSeries | undefined): { at: number; atWindowStart: boolean } | undefined {
  const points = up?.points ?? [];
  let i = points.length;
  while (i > 0 && points[i - 1][1] === 0) i--;
  if (i === points.length) return undefined;
  return { at: points[i][0], atWindowStart: i === 0 };
}

function downReason(target: Target, up: RangeSeries | undefined, what: string): string {
  const since = downSince(up);
  const when = since ? ` since ${since.atWindowStart ? 'before ' : ''}${utc(since.at)}` : '';
  return `${what} not answering${when}${target.lastError ? ` (${target.lastError})` : ''}`;
}

function alertsAt(target: Target, alerts: readonly FiringAlert[]): FiringAlert[] {
  return alerts.filter(
    (a) => sameHost(a.labels, target) && ((a.labels.instance === target.instance && (a.labels.job ?? target.job) === target.job) || (target.node !== undefined && a.labels.node === target.node)),
  );
}

const alertLine = (a: FiringAlert) => `${a.name}${a.summary ? `: ${a.summary}` : ''}`;

function nodeView(section: PlannedSection, target: Target, data: StatusData, ownAlerts: readonly FiringAlert[]): NodeView {
  const reasons: string[] = [];
  const states: State[] = [];
  if (target.health === 'down') {
    states.push('red');
    reasons.push(downReason(target, data.up.find((s) => sameLabels(s.labels, target)), section.id === STACK_SECTION ? target.job : 'exporter'));
  } else if (target.health === 'unknown') {
    states.push('orange');
    reasons.push('not scraped yet');
  }
  for (const a of alertsAt(target, ownAlerts)) {
    states.push(alertState(a.severity));
    reasons.push(alertLine(a));
  }
  return { name: target.node ?? target.instance, ...(target.host ? { host: target.host } : {}), job: target.job, instance: target.instance, state: worst(states), reasons };
}

/** A headline's rows: one per series of the instant query, with the range series of the same labels as its sparkline. */
export function headlineView(title: string, unit: StatusUnit, by: readonly string[], data: HeadlineData, note?: string): HeadlineView {
  // Labels a row does not have (host, off a fleet hub) are left out of its name.
  const key = (labels: Record<string, string>) => by.flatMap((l) => (labels[l] ? [labels[l]] : [])).join(' ');
  const rows = data.instant
    .map((s) => ({
      name: key(s.labels) || 'all',
      ...(Number.isFinite(s.value) ? { value: s.value } : {}),
      spark: (data.range.find((r) => key(r.labels) === key(s.labels))?.points ?? []).map(([, v]) => v).filter(Number.isFinite),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { title, unit, ...(note ? { note } : {}), rows, ...(data.error ? { error: data.error } : {}) };
}

function sectionView(section: PlannedSection, headlines: HeadlineData[], data: StatusData): SectionView {
  const own = data.alerts.filter((a) => section.alerts.includes(a.name));
  const nodes = data.targets.filter((t) => section.jobs.includes(t.job)).map((t) => nodeView(section, t, data, own));
  const placed = new Set(nodes.flatMap((n) => alertsAt({ job: n.job, instance: n.instance, node: n.name, ...(n.host ? { host: n.host } : {}), health: 'up', lastError: '' }, own)));
  const unplaced = own.filter((a) => !placed.has(a));
  const reasons = unplaced.map(alertLine);
  const states: State[] = [...nodes.map((n) => n.state), ...unplaced.map((a) => alertState(a.severity))];
  if (nodes.length === 0) {
    states.push('orange');
    reasons.push(`Prometheus has no target of ${section.jobs.length > 1 ? 'jobs' : 'job'} ${section.jobs.join(', ')}: is its configuration loaded?`);
  }
  return {
    id: section.id,
    title: section.title,
    state: worst(states),
    reasons,
    nodes,
    headlines: section.headlines.map((h, i) => headlineView(h.title, h.unit, h.by, headlines[i] ?? { instant: [], range: [] }, h.note)),
  };
}

const SEVERITY_ORDER = ['critical', 'warning', 'info'];

export function statusModel(plan: StatusPlan, data: StatusData): StatusModel {
  const sections = plan.sections
    .map((s, i) => sectionView(s, data.headlines[i] ?? [], data))
    .filter((s) => !plan.guessed || s.nodes.length > 0);
  const sectionOf = (name: string) => plan.sections.find((s) => s.alerts.includes(name))?.id;
  const alerts = data.alerts
    .map((a): AlertView => {
      const section = sectionOf(a.name);
      const where = [a.labels.node ?? a.labels.instance ?? a.labels.job, a.labels.host].filter(Boolean).join(' on ');
      return { name: a.name, severity: a.severity, since: a.activeAt, summary: a.summary, where, ...(section ? { section } : {}) };
    })
    .sort((a, b) => rankSeverity(a.severity) - rankSeverity(b.severity) || a.since - b.since);
  // An alert of no section (a rule file of the user's own) still says how the whole is doing.
  const others = alerts.filter((a) => a.section === undefined).map((a) => alertState(a.severity));
  return { source: data.source, generatedAt: data.now, state: worst([...sections.map((s) => s.state), ...others]), sections, alerts };
}

function rankSeverity(s: string): number {
  const i = SEVERITY_ORDER.indexOf(s);
  return i === -1 ? SEVERITY_ORDER.length : i;
}
