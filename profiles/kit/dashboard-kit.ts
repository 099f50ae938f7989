// Our conventions on top of Grafana's foundation SDK (its classic `dashboard` model, schemaVersion
// 42): every panel gets a unit, a description and a datasource variable by construction, and every
// dashboard our tag, the link to the others, and datasource variables instead of datasource names.
// Profiles build their panels with the SDK's builders, made here with our defaults.
//
// Only `fibre-stack dashboards` (and tests) load this module: `create` copies the JSON it made.
import type { Builder, Dataquery } from '@grafana/grafana-foundation-sdk/cog';
import {
  BigValueGraphMode, GraphDrawStyle, LegendDisplayMode, LegendPlacement, LogsDedupStrategy, LogsSortOrder, ReduceDataOptionsBuilder,
  SortOrder, StackingConfigBuilder, StackingMode, TooltipDisplayMode, VisibilityMode, VizLegendOptionsBuilder, VizOrientation,
  VizTooltipOptionsBuilder,
} from '@grafana/grafana-foundation-sdk/common';
import {
  AnnotationQueryBuilder, DashboardBuilder, DashboardCursorSync, DashboardLinkBuilder, DashboardLinkType, DatasourceVariableBuilder,
  FieldColorBuilder, FieldColorModeId, QueryVariableBuilder, RowBuilder, ThresholdsConfigBuilder, ThresholdsMode, VariableHide,
  VariableRefresh, VariableSort, type Dashboard,
} from '@grafana/grafana-foundation-sdk/dashboard';
import * as bargauge from '@grafana/grafana-foundation-sdk/bargauge';
import * as logs from '@grafana/grafana-foundation-sdk/logs';
import * as loki from '@grafana/grafana-foundation-sdk/loki';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import * as units from '@grafana/grafana-foundation-sdk/units';
import { DATASOURCES, type DatasourceDef } from '../../core/datasources.js';
import { LOKI_VAR, OUR_TAG, PROM_VAR } from './dashboard-names.js';
import { MACHINE_LABELS } from './machine-labels.js';

/** A unit id from Grafana's list (the SDK's `units`); every panel of ours names one. */
export type Unit = Extract<(typeof units)[keyof typeof units], string>;

const PROM_REF = { type: DATASOURCES.prometheus.type, uid: `\${${PROM_VAR}}` };
const LOKI_REF = { type: DATASOURCES.loki.type, uid: `\${${LOKI_VAR}}` };

export type PanelBuilder = timeseries.PanelBuilder | stat.PanelBuilder | bargauge.PanelBuilder | table.PanelBuilder | logs.PanelBuilder;

/** A row and the panels under it, left to right. */
export interface Row {
  title: string;
  panels: PanelBuilder[];
}

export interface DashboardParts {
  uid: string;
  title: string;
  description: string;
  /** Tags after our own. */
  tags: string[];
  /** Query variables, after the datasource variable(s). */
  variables: QueryVariableBuilder[];
  rows: Row[];
  /** Default time range, e.g. `now-6h`. */
  from?: string;
}

/**
 * `label=~"$var"` matchers for the machine variables (MACHINE_LABELS, which every dashboard has
 * before its own) and the given ones, joined for a selector body. On a fleet hub every series
 * carries its node's `site` and `host` (the node's external labels), so one dashboard shows any
 * machine or all of them. On a standalone stack neither label exists, and `=~".*"` (All) matches a
 * series without the label, so the same queries work there unchanged.
 */
export function matchVars(...names: string[]): string {
  return [...MACHINE_LABELS, ...names].map((n) => `${n}=~"$${n}"`).join(', ');
}

/** A counter's per-second rate over the selected series, summed by the given labels. */
export function sumRate(metric: string, by: string, selector: string): string {
  return `sum by (${by}) (rate(${metric}{${selector}}[$__rate_interval]))`;
}

/**
 * Without the `placement: "inControlsMenu"` the SDK gives every link and annotation by default
 * (grafana/grafana-foundation-sdk#1272, fixed for its dashboardv2 model only). Grafana draws only
 * links without a placement above the panels
 * (grafana/grafana@023625e99f:public/app/features/dashboard-scene/scene/DashboardLinksControls.tsx)
 * and moves the others to its controls menu, which left links to dashboards out until
 * grafana/grafana#115381 (issue #115084): in the Grafana we pin, our link would not show at all.
 */
function abovePanels<T extends { placement?: unknown }>(builder: Builder<T>): Builder<T> {
  return {
    build: () => {
      const built = builder.build();
      delete built.placement;
      return built;
    },
  };
}

/** A variable picking a datasource of this one's type, by default this one, which every stack provisions. */
function datasourceVariable(name: string, ds: DatasourceDef): DatasourceVariableBuilder {
  return new DatasourceVariableBuilder(name)
    .label(ds.name).type(ds.type).current({ selected: false, text: ds.uid, value: ds.uid })
    .hide(VariableHide.DontHide).includeAll(false).multi(false).regex('');
}

/**
 * A variable over the values of one label of a metric, on the machines selected and within the
 * values of the variables named in `within` (a miner's cards of the rigs selected), every value
 * selected by default.
 */
export function labelVariable(name: string, label: string, metric: string, labelName: string, ...within: string[]): QueryVariableBuilder {
  return labelValuesVariable(name, label, `${metric}{${matchVars(...within)}}`, labelName);
}

/** The machine variables: sites, then the hosts of the sites selected, over `up` (every scrape target has it). */
function fleetVariables(): QueryVariableBuilder[] {
  return [labelValuesVariable('site', 'Site', 'up', 'site'), labelValuesVariable('host', 'Host', 'up{site=~"$site"}', 'host')];
}

function labelValuesVariable(name: string, label: string, selector: string, labelName: string): QueryVariableBuilder {
  const query = `label_values(${selector}, ${labelName})`;
  return new QueryVariableBuilder(name)
    .label(label).datasource(PROM_REF).definition(query)
    .query({ query, refId: 'PrometheusVariableQueryEditor-VariableQuery' })
    .current({ selected: true, text: ['All'], value: ['$__all'] })
    .includeAll(true).multi(true).allValue('.*')
    .refresh(VariableRefresh.OnTimeRangeChanged).sort(VariableSort.AlphabeticalAsc)
    .hide(VariableHide.DontHide).options([]).regex('');
}

/** Colour thresholds, ascending: green up to the first, then each step's colour from its value on. */
export function thresholdSteps(...steps: [value: number, color: string][]): ThresholdsConfigBuilder {
  return new ThresholdsConfigBuilder()
    .mode(ThresholdsMode.Absolute)
    .steps([{ color: 'green', value: null }, ...steps.map(([value, color]) => ({ color, value }))]);
}

const colour = (mode: FieldColorModeId) => new FieldColorBuilder().mode(mode);
const lastValue = () => new ReduceDataOptionsBuilder().calcs(['lastNotNull']).fields('').values(false);

/**
 * What every metric panel of ours starts with: title, description and unit, the Prometheus
 * datasource variable, no thresholds, and a third of a row eight units high.
 */
function metricPanel<P extends timeseries.PanelBuilder | stat.PanelBuilder | bargauge.PanelBuilder | table.PanelBuilder>(
  panel: P, title: string, unit: Unit, description: string,
): P {
  panel.title(title).description(description).unit(unit).datasource(PROM_REF).thresholds(thresholdSteps()).span(8).height(8);
  return panel;
}

export function timeseriesPanel(title: string, unit: Unit, description: string): timeseries.PanelBuilder {
  return metricPanel(new timeseries.PanelBuilder(), title, unit, description)
    .colorScheme(colour(FieldColorModeId.PaletteClassic))
    .drawStyle(GraphDrawStyle.Line).lineWidth(1).fillOpacity(10).showPoints(VisibilityMode.Never).spanNulls(false)
    .stacking(new StackingConfigBuilder().mode(StackingMode.None).group('A'))
    .legend(new VizLegendOptionsBuilder().displayMode(LegendDisplayMode.Table).placement(LegendPlacement.Bottom).showLegend(true).calcs(['lastNotNull', 'max']))
    .tooltip(new VizTooltipOptionsBuilder().mode(TooltipDisplayMode.Multi).sort(SortOrder.Descending));
}

/** Series stacked on each other (e.g. wins by mechanism), filled more so the shares show. */
export function stacked(panel: timeseries.PanelBuilder): timeseries.PanelBuilder {
  return panel.stacking(new StackingConfigBuilder().mode(StackingMode.Normal).group('A')).fillOpacity(30);
}

/** One number per series from an instant query; a sparkline would need a range query, so none. */
export function statPanel(title: string, unit: Unit, description: string): stat.PanelBuilder {
  return metricPanel(new stat.PanelBuilder(), title, unit, description)
    .colorScheme(colour(FieldColorModeId.Thresholds))
    .reduceOptions(lastValue()).graphMode(BigValueGraphMode.None);
}

export function barGaugePanel(title: string, unit: Unit, description: string): bargauge.PanelBuilder {
  return metricPanel(new bargauge.PanelBuilder(), title, unit, description)
    .colorScheme(colour(FieldColorModeId.Thresholds))
    .reduceOptions(lastValue()).orientation(VizOrientation.Horizontal);
}

/** Instant table queries, one frame each, merged into one table by their labels, without the Time column. */
export function tablePanel(title: string, unit: Unit, description: string): table.PanelBuilder {
  return metricPanel(new table.PanelBuilder(), title, unit, description)
    .colorScheme(colour(FieldColorModeId.Thresholds))
    .withTransformation({ id: 'merge', options: {} })
    .withTransformation({ id: 'organize', options: { excludeByName: { Time: true } } });
}

export function logsPanel(title: string, description: string): logs.PanelBuilder {
  return new logs.PanelBuilder()
    .title(title).description(description).datasource(LOKI_REF)
    // Logs have no numeric unit; `none` keeps every panel's unit explicit for the linter.
    .unit(units.NoUnit)
    .showTime(true).wrapLogMessage(true).sortOrder(LogsSortOrder.Descending).enableLogDetails(true)
    .dedupStrategy(LogsDedupStrategy.None).prettifyLogMessage(false).showCommonLabels(false).showLabels(false)
    .span(24).height(10);
}

/** A PromQL query over the dashboard's time range (timeseries panels). */
export function rangeQuery(expr: string, legend = '__auto'): prometheus.DataqueryBuilder {
  return new prometheus.DataqueryBuilder().datasource(PROM_REF).expr(expr).legendFormat(legend).range();
}

/** A PromQL query at the range's end (stat, bar gauge). */
export function instantQuery(expr: string, legend = '__auto'): prometheus.DataqueryBuilder {
  return new prometheus.DataqueryBuilder().datasource(PROM_REF).expr(expr).legendFormat(legend).instant();
}

/** An instant PromQL query as a table frame (table panels). */
export function tableQuery(expr: string): prometheus.DataqueryBuilder {
  return instantQuery(expr).format(prometheus.PromQueryFormat.Table);
}

/** A LogQL log query over the time range (logs panels). */
export function logQuery(expr: string): loki.DataqueryBuilder {
  return new loki.DataqueryBuilder().datasource(LOKI_REF).expr(expr).queryType('range');
}

/** A panel's queries with refIds A, B, C… in order, as Grafana's editor names them. */
export function queries<Q extends Builder<Dataquery> & { refId(refId: string): unknown }>(...list: Q[]): Q[] {
  list.forEach((q, i) => q.refId(String.fromCharCode(65 + i)));
  return list;
}

/**
 * The dashboard Grafana provisions from grafana/dashboards/. Rows are laid out top to bottom and
 * their panels left to right by the SDK, which starts a new line once a line reaches 24 columns:
 * a row's widths add up to whole lines. Panel ids follow the layout.
 */
export function buildDashboard(parts: DashboardParts): Dashboard {
  const builder = new DashboardBuilder(parts.title)
    .uid(parts.uid).description(parts.description).tags([OUR_TAG, ...parts.tags])
    .readonly().tooltip(DashboardCursorSync.Crosshair).version(1).refresh('30s')
    .time({ from: parts.from ?? 'now-6h', to: 'now' }).liveNow(false)
    .link(abovePanels(new DashboardLinkBuilder('fibre-stack dashboards')
      .type(DashboardLinkType.Dashboards).tags([OUR_TAG]).asDropdown(true).includeVars(true).keepTime(true)))
    .annotation(abovePanels(new AnnotationQueryBuilder()
      .name('Annotations & Alerts').builtIn(1).type('dashboard').datasource({ type: 'grafana', uid: '-- Grafana --' })
      .enable(true).hide(true).iconColor('rgba(0, 211, 255, 1)')))
    .withVariable(datasourceVariable(PROM_VAR, DATASOURCES.prometheus));
  if (parts.rows.some((row) => row.panels.some((p) => p instanceof logs.PanelBuilder))) builder.withVariable(datasourceVariable(LOKI_VAR, DATASOURCES.loki));
  for (const variable of [...fleetVariables(), ...parts.variables]) builder.withVariable(variable);
  let id = 0;
  for (const row of parts.rows) {
    builder.withRow(new RowBuilder(row.title).id(++id));
    for (const panel of row.panels) builder.withPanel(panel.id(++id));
  }
  return builder.build();
}
