// Lints one Grafana dashboard JSON file. Dashboards tagged `fibre-stack` are ours and held to our
// rules (errors); others get errors only for what breaks them in a fibre-stack Grafana (invalid
// JSON, queries that do not parse, datasources that do not resolve, duplicate ids) and warnings,
// summed up per dashboard, for style rules of grafana/dashboard-linter.
import { OUR_TAG, PROM_VAR, LOKI_VAR } from '../../profiles/kit/dashboard-names.js';
import { FindingSink, type Finding } from './findings.js';
import { documentTooLarge, textTooLarge } from '../../core/document-limits.js';
import { resolveDatasource, type DashboardScope, type Resolution } from './datasources.js';
import { analysePromql } from './promql.js';
import { logqlErrors } from './logql.js';
import { checkSelectors } from './catalog-check.js';
import { variablesIn } from './grafana-vars.js';

type Json = Record<string, unknown>;

/** Panel types our own dashboards may use: the current Grafana model. */
const OWN_TYPES = new Set(['timeseries', 'stat', 'table', 'bargauge', 'logs', 'row']);
/** Panel types Grafana ships (core plugins). */
const CORE_TYPES = new Set([
  ...OWN_TYPES, 'gauge', 'text', 'heatmap', 'piechart', 'barchart', 'histogram', 'state-timeline', 'status-history',
  'nodeGraph', 'traces', 'flamegraph', 'geomap', 'canvas', 'news', 'dashlist', 'alertlist', 'annolist', 'candlestick',
  'trend', 'xychart', 'datagrid', 'welcome', 'gettingstarted',
]);
/** Angular-era types: Grafana 11+ migrates them on load (graph → timeseries, singlestat → stat, table-old → table). */
const LEGACY_TYPES: Record<string, string> = { graph: 'timeseries', singlestat: 'stat', 'table-old': 'table' };
/** Types whose unit lives in fieldConfig.defaults.unit and should be set (panel-units-rule). */
const UNIT_TYPES = new Set(['timeseries', 'stat', 'gauge', 'bargauge', 'table', 'barchart', 'histogram', 'state-timeline']);

export interface DashboardLint {
  findings: Finding[];
  /** The dashboard uid, for the duplicate-uid check across files. */
  uid?: string;
  title?: string;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function lintDashboardText(file: string, text: string): DashboardLint {
  const sink = new FindingSink(file);
  let data: unknown;
  const big = textTooLarge(text);
  if (big) {
    sink.add('error', 'dashboard-too-large', '', `not read: ${big}`);
    return { findings: sink.findings };
  }
  try {
    data = JSON.parse(text);
  } catch (err) {
    sink.add('error', 'invalid-json', '', `not valid JSON: ${jsonErrorAt(text, (err as Error).message)}`);
    return { findings: sink.findings };
  }
  // The walks below recurse through panels and rows: a document beyond any real dashboard is refused first.
  const expanded = documentTooLarge(data);
  if (expanded) {
    sink.add('error', 'dashboard-too-large', '', `not linted: ${expanded}`);
    return { findings: sink.findings };
  }
  // The HTTP API's export shape wraps the model: {dashboard: {...}, meta: {...}}.
  if (isObject(data) && isObject(data.dashboard) && !('panels' in data)) data = data.dashboard;
  if (!isObject(data) || !(Array.isArray(data.panels) || Array.isArray(data.rows))) {
    sink.add('error', 'not-a-dashboard', '', 'not a Grafana dashboard (no panels[] or rows[])');
    return { findings: sink.findings };
  }
  new DashboardLinter(data, sink).run();
  return { findings: sink.findings, uid: str(data.uid), title: str(data.title) };
}

class DashboardLinter {
  private readonly own: boolean;
  private readonly name: string;
  private readonly scope: DashboardScope;
  private readonly unknownMetrics = new Set<string>();
  private readonly noRateInterval: string[] = [];
  private readonly noDescription: string[] = [];
  private readonly legacyTypes = new Map<string, number>();
  private readonly missingVarUse = new Map<string, string[]>();
  /** Unresolved datasource references, grouped by problem: one finding each, naming where it occurs. */
  private readonly datasourceProblems = new Map<string, { severity: 'error' | 'warning'; rule: string; places: string[] }>();

  constructor(private readonly d: Json, private readonly sink: FindingSink) {
    this.own = arr(d.tags).includes(OUR_TAG);
    this.name = `dashboard "${str(d.title) ?? '(untitled)'}"`;
    this.scope = scopeOf(d);
  }

  run(): void {
    this.dashboardLevel();
    this.variables();
    const ids = new Map<number, string>();
    for (const panel of collectPanels(this.d)) {
      const where = `${this.name} › panel "${str(panel.title) ?? '(untitled)'}"${typeof panel.id === 'number' ? ` (id ${panel.id})` : ''}`;
      if (typeof panel.id === 'number') {
        const first = ids.get(panel.id);
        if (first !== undefined) this.sink.add('error', 'panel-id-duplicate', where, `panel id ${panel.id} is also used by ${first}; Grafana links, view mode and repeats need unique ids`);
        else ids.set(panel.id, `panel "${str(panel.title) ?? '(untitled)'}"`);
      }
      this.panel(panel, where);
    }
    this.summaries();
  }

  private add(ownSeverity: 'error' | 'warning', rule: string, where: string, message: string): void {
    this.sink.add(this.own ? ownSeverity : 'warning', rule, where, message);
  }

  private dashboardLevel(): void {
    if (!str(this.d.uid)) this.add('error', 'dashboard-uid', this.name, 'no uid: Grafana gives a provisioned dashboard a new random uid, and links to it break');
    if (!this.own) {
      const prometheusVars = [...this.scope.datasourceVars.values()].filter((t) => t === 'prometheus');
      if (prometheusVars.length === 0) this.sink.add('warning', 'template-datasource-rule', this.name, 'no Prometheus datasource template variable; panels are tied to one datasource');
      return;
    }
    if (this.d.editable !== false) this.sink.add('error', 'uneditable-dashboard', this.name, 'our dashboards are provisioned from code and must set editable: false');
    if (this.scope.datasourceVars.get(PROM_VAR) !== 'prometheus') this.sink.add('error', 'template-datasource-rule', this.name, `needs a datasource variable named ${PROM_VAR} of type prometheus`);
    const hasLogs = collectPanels(this.d).some((p) => p.type === 'logs');
    if (hasLogs && this.scope.datasourceVars.get(LOKI_VAR) !== 'loki') this.sink.add('error', 'template-datasource-rule', this.name, `has logs panels and so needs a datasource variable named ${LOKI_VAR} of type loki`);
  }

  private variables(): void {
    for (const v of arr(isObject(this.d.templating) ? this.d.templating.list : undefined)) {
      if (!isObject(v) || v.type !== 'query') continue;
      const where = `${this.name} › variable ${str(v.name) ?? '(unnamed)'}`;
      const res = resolveDatasource(v.datasource, this.scope);
      this.datasourceFinding(res, where);
      if ((res.type ?? 'prometheus') !== 'prometheus') continue;
      const query = isObject(v.query) ? str(v.query.query) : str(v.query);
      const inner = query ? promqlOfVariableQuery(query) : undefined;
      if (!inner) continue;
      const report = analysePromql(inner);
      for (const e of report.errors) this.sink.add('error', 'promql-parse', where, `variable query ${JSON.stringify(query)}: ${e}`);
      // A variable query reads label values, not samples: only the names matter here.
      this.metricProblems(report.selectors.map((s) => ({ ...s, counterSafe: true })), where);
    }
  }

  private datasourceFinding(res: Resolution, where: string): void {
    if (res.ok) return;
    const entry = this.datasourceProblems.get(res.message) ?? { severity: res.severity, rule: res.severity === 'error' ? 'datasource-unresolved' : 'datasource-by-name', places: [] };
    entry.places.push(where.slice(this.name.length + 3));
    this.datasourceProblems.set(res.message, entry);
  }

  private panel(panel: Json, where: string): void {
    const type = str(panel.type);
    if (!type) {
      this.sink.add('error', 'panel-type', where, 'panel has no type');
      return;
    }
    this.panelType(type, where);
    const panelRes = resolveDatasource(panel.datasource, this.scope);
    if (type === 'row') return;
    this.datasourceFinding(panelRes, where);
    if (this.own) {
      if (!panelRes.ok || !panelRes.viaVariable) this.sink.add('error', 'panel-datasource-rule', where, 'panels of our dashboards must use a datasource variable');
      if (!str(this.unitOf(panel))) this.sink.add('error', 'panel-units-rule', where, 'panel has no unit (fieldConfig.defaults.unit)');
      if (!str(panel.description)) this.sink.add('error', 'panel-title-description-rule', where, 'panel has no description');
      if (!str(panel.title)) this.sink.add('error', 'panel-title-description-rule', where, 'panel has no title');
    } else {
      if (UNIT_TYPES.has(type) && !str(this.unitOf(panel))) this.sink.add('warning', 'panel-units-rule', where, 'panel has no unit (fieldConfig.defaults.unit)');
      if (!str(panel.description) && type !== 'text') this.noDescription.push(str(panel.title) ?? '(untitled)');
    }
    arr(panel.targets).forEach((target, i) => {
      if (isObject(target)) this.target(target, `${where} › target ${str(target.refId) ?? `#${i + 1}`}`, panelRes, str(panel.title) ?? '(untitled)');
    });
  }

  private unitOf(panel: Json): unknown {
    const defaults = isObject(panel.fieldConfig) && isObject(panel.fieldConfig.defaults) ? panel.fieldConfig.defaults : undefined;
    return defaults?.unit;
  }

  private panelType(type: string, where: string): void {
    if (this.own) {
      if (!OWN_TYPES.has(type)) this.sink.add('error', 'panel-type', where, `panel type ${type} is not one of ours (${[...OWN_TYPES].join(', ')})`);
    } else if (type in LEGACY_TYPES) {
      this.legacyTypes.set(type, (this.legacyTypes.get(type) ?? 0) + 1);
    } else if (!CORE_TYPES.has(type)) {
      this.sink.add('warning', 'panel-type-unknown', where, `panel type ${type} is not a core Grafana panel; the plugin is not installed in a fibre-stack Grafana`);
    }
  }

  private target(target: Json, where: string, panelRes: Resolution, panelTitle: string): void {
    let type = panelRes.type;
    if (target.datasource !== undefined && target.datasource !== null) {
      const res = resolveDatasource(target.datasource, this.scope);
      this.datasourceFinding(res, where);
      if (this.own && (!res.ok || !res.viaVariable)) this.sink.add('error', 'panel-datasource-rule', where, 'targets of our dashboards must use a datasource variable');
      type = res.type ?? type;
    }
    // No datasource, or "-- Mixed --" without one on the target: the default, Prometheus in a fibre-stack.
    if (type === undefined || type === 'mixed') type = 'prometheus';
    const expr = target.expr;
    if (typeof expr !== 'string') return;
    if (expr.trim() === '') {
      if (target.hide !== true) this.sink.add('warning', 'target-empty', where, 'target has an empty query');
      return;
    }
    if (type === 'loki') {
      for (const e of logqlErrors(expr)) this.sink.add('error', 'logql-parse', where, `LogQL ${JSON.stringify(expr)}: ${e}`);
      return;
    }
    if (type !== 'prometheus') return;
    const report = analysePromql(expr);
    for (const e of report.errors) this.sink.add('error', 'promql-parse', where, `PromQL ${JSON.stringify(expr)}: ${e}`);
    if (report.ratesWithoutRateInterval > 0) {
      if (this.own) this.sink.add('error', 'target-rate-interval-rule', where, 'rate()/irate() should use [$__rate_interval]');
      else this.noRateInterval.push(panelTitle);
    }
    this.metricProblems(report.selectors, where);
    const used = new Set(variablesIn(expr));
    for (const v of ['job', 'instance']) {
      if (this.scope.variables.has(v) && report.selectors.length > 0 && !used.has(v)) {
        const list = this.missingVarUse.get(v) ?? [];
        list.push(panelTitle);
        this.missingVarUse.set(v, list);
      }
    }
  }

  private metricProblems(selectors: Parameters<typeof checkSelectors>[0], where: string): void {
    for (const p of checkSelectors(selectors, this.own)) {
      if (p.kind === 'unknown' && !this.own) this.unknownMetrics.add(p.metric);
      else this.add('error', p.kind === 'unknown' ? 'metric-unknown' : p.kind === 'deprecated' ? 'metric-deprecated' : 'counter-without-rate', where, p.message);
    }
  }

  /** Findings that repeat across panels, one line each rather than one per panel. */
  private summaries(): void {
    for (const [message, { severity, rule, places }] of this.datasourceProblems) {
      this.sink.add(severity, rule, this.name, `${message} (${places.length} reference(s): ${listed(places, 4)})`);
    }
    if (this.unknownMetrics.size > 0) {
      this.sink.add('warning', 'metric-unknown', this.name, `${this.unknownMetrics.size} metric(s) not in the fibre-stack catalog (fine for other exporters' dashboards): ${listed([...this.unknownMetrics].sort())}`);
    }
    if (this.noRateInterval.length > 0) this.sink.add('warning', 'target-rate-interval-rule', this.name, `rate()/irate() without [$__rate_interval] in ${this.noRateInterval.length} target(s), panels: ${listed(unique(this.noRateInterval))}`);
    if (this.legacyTypes.size > 0) {
      const types = [...this.legacyTypes].sort(([a], [b]) => a.localeCompare(b)).map(([t, n]) => `${t} (${n}) → ${LEGACY_TYPES[t]}`);
      const total = [...this.legacyTypes.values()].reduce((a, b) => a + b, 0);
      this.sink.add('warning', 'panel-type-legacy', this.name, `${total} panel(s) of Angular-era types: ${types.join(', ')}; Grafana 11+ migrates them on load and some options are lost`);
    }
    if (this.noDescription.length > 0) this.sink.add('warning', 'panel-title-description-rule', this.name, `${this.noDescription.length} panel(s) without a description: ${listed(this.noDescription)}`);
    for (const [v, panels] of this.missingVarUse) {
      this.sink.add('warning', `target-${v}-rule`, this.name, `the dashboard has a $${v} variable but ${panels.length} target(s) do not filter on it, panels: ${listed(unique(panels))}`);
    }
  }
}

/** V8 names a character offset; people want a line and column. */
function jsonErrorAt(text: string, message: string): string {
  const m = /at position (\d+)/.exec(message);
  if (!m || /line \d+/.test(message)) return message;
  const before = text.slice(0, Number(m[1]));
  const line = before.split('\n').length;
  const column = Number(m[1]) - before.lastIndexOf('\n');
  return `${message} (line ${line} column ${column})`;
}

function listed(items: string[], max = 8): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}

function scopeOf(d: Json): DashboardScope {
  const scope: DashboardScope = { datasourceVars: new Map(), variables: new Set(), inputs: new Map() };
  for (const v of arr(isObject(d.templating) ? d.templating.list : undefined)) {
    if (!isObject(v) || !str(v.name)) continue;
    scope.variables.add(v.name as string);
    if (v.type === 'datasource') scope.datasourceVars.set(v.name as string, str(v.query) ?? '');
  }
  for (const input of arr(d.__inputs)) {
    if (isObject(input) && input.type === 'datasource' && str(input.name)) scope.inputs.set(input.name as string, str(input.pluginId) ?? '');
  }
  return scope;
}

/** Every panel: top-level, nested in rows (collapsed or not), and in legacy (schema < 16) rows[]. */
function collectPanels(d: Json): Json[] {
  const out: Json[] = [];
  const walk = (list: unknown) => {
    for (const p of arr(list)) {
      if (!isObject(p)) continue;
      out.push(p);
      walk(p.panels);
    }
  };
  walk(d.panels);
  for (const row of arr(d.rows)) if (isObject(row)) walk(row.panels);
  return out;
}

/**
 * The PromQL inside a Prometheus variable query: label_values(expr, label), query_result(expr).
 * label_values(label), label_names() and metrics(regex) hold no PromQL.
 */
export function promqlOfVariableQuery(query: string): string | undefined {
  const q = query.trim();
  const lv = /^label_values\(([\s\S]*),\s*[A-Za-z_][A-Za-z0-9_]*\s*\)$/.exec(q);
  if (lv) return lv[1];
  const qr = /^query_result\(([\s\S]*)\)$/.exec(q);
  if (qr) return qr[1];
  return undefined;
}
