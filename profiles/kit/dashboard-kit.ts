// A small typed builder for Grafana dashboards (current model, schemaVersion 39): panels, rows,
// a 24-column grid, datasource variables and stable ids. Every dashboard fibre-stack ships is made
// with it, so each panel gets a unit, a description and a datasource variable by construction.

/** Grafana unit ids used by our panels (a subset of Grafana's; unknown ids render as plain numbers). */
export type GrafanaUnit =
  | 'none' | 'short' | 'percentunit' | 's' | 'ms' | 'µs' | 'bytes' | 'Bps' | 'binBps' | 'ops' | 'cps' | 'reqps'
  | 'celsius' | 'volt' | 'hertz' | 'Hs' | 'dateTimeFromNow' | 'locale' | 'bool_yes_no';

/** Datasource template variables, one per datasource type a dashboard queries. */
export const PROM_VAR = 'datasource';
export const LOKI_VAR = 'loki';
const PROM_REF = { type: 'prometheus', uid: `\${${PROM_VAR}}` } as const;
const LOKI_REF = { type: 'loki', uid: `\${${LOKI_VAR}}` } as const;

export interface Query {
  expr: string;
  legend?: string;
  /** Instant query: stat and table panels showing one value per series. */
  instant?: boolean;
}

interface PanelBase {
  title: string;
  description: string;
  /** Width in grid columns (of 24) and height in rows; defaults suit a three-up timeseries row. */
  w?: number;
  h?: number;
}

export interface MetricPanel extends PanelBase {
  kind: 'timeseries' | 'stat' | 'table' | 'bargauge';
  unit: GrafanaUnit;
  queries: Query[];
  /** timeseries: stack series (e.g. wins by mechanism). */
  stacked?: boolean;
  /** stat/bargauge: colour thresholds, ascending, [value, colour]; the base colour is green. */
  thresholds?: [number, string][];
  /** Fixed axis/gauge range. */
  min?: number;
  max?: number;
}

export interface LogsPanel extends PanelBase {
  kind: 'logs';
  /** A LogQL log query. */
  expr: string;
}

export type PanelSpec = MetricPanel | LogsPanel;

export interface RowSpec {
  title: string;
  panels: PanelSpec[];
}

export interface Variable {
  name: string;
  label: string;
  /** PromQL whose label values fill the variable (label_values(<metric>, <label>)). */
  metric: string;
  labelName: string;
}

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  /** Query variables, in order, after the datasource variable(s). */
  variables: Variable[];
  rows: RowSpec[];
  /** Default time range, e.g. `now-6h`. */
  from?: string;
}

/** The tag every fibre-stack dashboard carries; the linter holds tagged dashboards to our own rules. */
export const OUR_TAG = 'fibre-stack';

const GRID_WIDTH = 24;

function datasourceVariable(name: string, label: string, type: 'prometheus' | 'loki', uid: string) {
  return {
    name, label, type: 'datasource', query: type, current: { selected: false, text: uid, value: uid },
    hide: 0, includeAll: false, multi: false, options: [], refresh: 1, regex: '', skipUrlSync: false,
  };
}

function queryVariable(v: Variable) {
  const query = `label_values(${v.metric}, ${v.labelName})`;
  return {
    name: v.name, label: v.label, type: 'query', datasource: PROM_REF, definition: query,
    query: { query, refId: 'PrometheusVariableQueryEditor-VariableQuery' },
    current: { selected: true, text: ['All'], value: ['$__all'] },
    includeAll: true, multi: true, allValue: '.*', refresh: 2, sort: 1, hide: 0, options: [], regex: '', skipUrlSync: false,
  };
}

function fieldConfig(p: MetricPanel) {
  const steps: { color: string; value: number | null }[] = [{ color: 'green', value: null }];
  for (const [value, color] of p.thresholds ?? []) steps.push({ color, value });
  const defaults: Record<string, unknown> = { unit: p.unit, thresholds: { mode: 'absolute', steps }, color: { mode: p.kind === 'timeseries' ? 'palette-classic' : 'thresholds' } };
  if (p.min !== undefined) defaults.min = p.min;
  if (p.max !== undefined) defaults.max = p.max;
  if (p.kind === 'timeseries') {
    defaults.custom = { drawStyle: 'line', lineWidth: 1, fillOpacity: p.stacked ? 30 : 10, showPoints: 'never', spanNulls: false, stacking: { mode: p.stacked ? 'normal' : 'none', group: 'A' } };
  }
  return { defaults, overrides: [] };
}

function options(p: MetricPanel) {
  switch (p.kind) {
    case 'timeseries':
      return { legend: { displayMode: 'table', placement: 'bottom', showLegend: true, calcs: ['lastNotNull', 'max'] }, tooltip: { mode: 'multi', sort: 'desc' } };
    case 'stat':
      // A sparkline needs a range query; instant stats show the number alone.
      return { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'value', graphMode: p.queries.every((q) => q.instant) ? 'none' : 'area', justifyMode: 'auto', orientation: 'auto', textMode: 'auto' };
    case 'bargauge':
      return { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, orientation: 'horizontal', displayMode: 'gradient', showUnfilled: true };
    case 'table':
      return { showHeader: true, cellHeight: 'sm', footer: { show: false, reducer: ['sum'], fields: '' } };
  }
}

function targets(p: MetricPanel) {
  return p.queries.map((q, i) => ({
    refId: String.fromCharCode(65 + i),
    datasource: PROM_REF,
    expr: q.expr,
    legendFormat: q.legend ?? '__auto',
    range: !q.instant,
    instant: Boolean(q.instant),
    ...(p.kind === 'table' ? { format: 'table' } : {}),
  }));
}

function panelJson(p: PanelSpec, id: number, gridPos: { x: number; y: number; w: number; h: number }) {
  const common = { id, title: p.title, description: p.description, gridPos };
  if (p.kind === 'logs') {
    return {
      ...common, type: 'logs', datasource: LOKI_REF,
      // Logs have no numeric unit; `none` keeps every panel's unit explicit for the linter.
      fieldConfig: { defaults: { unit: 'none' }, overrides: [] },
      options: { showTime: true, wrapLogMessage: true, sortOrder: 'Descending', enableLogDetails: true, dedupStrategy: 'none', prettifyLogMessage: false, showCommonLabels: false, showLabels: false },
      targets: [{ refId: 'A', datasource: LOKI_REF, expr: p.expr, queryType: 'range' }],
    };
  }
  return {
    ...common, type: p.kind, datasource: PROM_REF, fieldConfig: fieldConfig(p), options: options(p), targets: targets(p),
    ...(p.kind === 'table' ? { transformations: [{ id: 'merge', options: {} }, { id: 'organize', options: { excludeByName: { Time: true } } }] } : {}),
  };
}

/** Lays rows out top to bottom and panels left to right, wrapping at 24 columns; ids follow layout order. */
function layout(rows: RowSpec[]) {
  const panels: Record<string, unknown>[] = [];
  let id = 0;
  let y = 0;
  for (const row of rows) {
    panels.push({ id: ++id, type: 'row', title: row.title, collapsed: false, gridPos: { x: 0, y, w: GRID_WIDTH, h: 1 }, panels: [] });
    y += 1;
    let x = 0;
    let rowHeight = 0;
    for (const p of row.panels) {
      const w = p.w ?? 8;
      const h = p.h ?? 8;
      if (x + w > GRID_WIDTH) {
        y += rowHeight;
        x = 0;
        rowHeight = 0;
      }
      panels.push(panelJson(p, ++id, { x, y, w, h }));
      x += w;
      rowHeight = Math.max(rowHeight, h);
    }
    y += rowHeight;
  }
  return panels;
}

/** The dashboard JSON Grafana provisions from grafana/dashboards/. */
export function buildDashboard(spec: DashboardSpec): Record<string, unknown> {
  const usesLogs = spec.rows.some((r) => r.panels.some((p) => p.kind === 'logs'));
  const variables: Record<string, unknown>[] = [datasourceVariable(PROM_VAR, 'Prometheus', 'prometheus', 'prometheus')];
  if (usesLogs) variables.push(datasourceVariable(LOKI_VAR, 'Loki', 'loki', 'loki'));
  variables.push(...spec.variables.map(queryVariable));
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: [OUR_TAG, ...spec.tags],
    editable: false,
    graphTooltip: 1,
    schemaVersion: 39,
    version: 1,
    refresh: '30s',
    time: { from: spec.from ?? 'now-6h', to: 'now' },
    timepicker: {},
    timezone: 'browser',
    fiscalYearStartMonth: 0,
    liveNow: false,
    links: [{ title: 'fibre-stack dashboards', type: 'dashboards', tags: [OUR_TAG], asDropdown: true, includeVars: true, keepTime: true }],
    annotations: {
      list: [{ builtIn: 1, datasource: { type: 'grafana', uid: '-- Grafana --' }, enable: true, hide: true, iconColor: 'rgba(0, 211, 255, 1)', name: 'Annotations & Alerts', type: 'dashboard' }],
    },
    templating: { list: variables },
    panels: layout(spec.rows),
  };
}

/** `label=~"$var"` matchers for the given variables, joined for a selector body. */
export function matchVars(...names: string[]): string {
  return names.map((n) => `${n}=~"$${n}"`).join(', ');
}
