// The dashboard linter on small dashboards written for the findings they should give: which rule
// fires, where it points, its words, and its severity. A dashboard tagged fibre-stack is ours and
// held to our rules (errors); others get errors only for what breaks them in a fibre-stack Grafana,
// and their style warnings summed up once per dashboard.
import { describe, expect, it } from 'vitest';
import { lintDashboardText, promqlOfVariableQuery } from '../cli/lint/dashboard.js';

type Json = Record<string, unknown>;

const PROM = { type: 'prometheus', uid: '${datasource}' };
const LOKI = { type: 'loki', uid: '${loki}' };
const dsVar = (name: string, query: string) => ({ type: 'datasource', name, query });

/** A panel of ours with everything our rules ask for, with changes. */
const ourPanel = (id: number, change: Json = {}): Json => ({
  id,
  type: 'timeseries',
  title: `P${id}`,
  description: 'd',
  datasource: PROM,
  fieldConfig: { defaults: { unit: 's' } },
  targets: [{ refId: 'A', expr: 'sum(rate(fibre_blocks_reconstructed_total[$__rate_interval]))' }],
  ...change,
});

/** One of our dashboards: tagged, not editable, with the datasource variables. */
const ours = (panels: Json[], change: Json = {}): Json => ({
  uid: 'u',
  title: 'Ours',
  tags: ['fibre-stack'],
  editable: false,
  templating: { list: [dsVar('datasource', 'prometheus'), dsVar('loki', 'loki')] },
  panels,
  ...change,
});

/** Someone else's dashboard, with a Prometheus datasource variable. */
const theirs = (panels: Json[], change: Json = {}): Json => ({ uid: 't', title: 'Theirs', templating: { list: [dsVar('ds', 'prometheus')] }, panels, ...change });

/** Findings as [severity, rule, where, message]. */
function lint(d: unknown) {
  const result = lintDashboardText('d.json', typeof d === 'string' ? d : JSON.stringify(d));
  expect(result.findings.every((f) => f.file === 'd.json')).toBe(true);
  return result.findings.map((f) => [f.severity, f.rule, f.where, f.message]);
}

describe('files that are not dashboards', () => {
  it('gives the line and column of invalid JSON where the parser names a position', () => {
    expect(lint('{\n"panels": [],\n}')).toEqual([['error', 'invalid-json', '', 'not valid JSON: Expected double-quoted property name in JSON at position 16 (line 3 column 1)']]);
    expect(lint('{"a" 1}')).toEqual([['error', 'invalid-json', '', "not valid JSON: Expected ':' after property name in JSON at position 5 (line 1 column 6)"]]);
  });

  it.each(['[]', '{"title": "x"}', '{"dashboard": {"title": "x"}}', '"text"'])('refuses %s', (text) => {
    expect(lint(text)).toEqual([['error', 'not-a-dashboard', '', 'not a Grafana dashboard (no panels[] or rows[])']]);
  });

  it('reads the HTTP API export shape, and legacy rows[]', () => {
    const result = lintDashboardText('d.json', JSON.stringify({ dashboard: ours([ourPanel(1)]), meta: {} }));
    expect(result).toEqual({ findings: [], uid: 'u', title: 'Ours' });
    expect(lint(ours([], { panels: undefined, rows: [{ panels: [ourPanel(1, { type: 'graph' })] }] }))).toEqual([
      ['error', 'panel-type', 'dashboard "Ours" › panel "P1" (id 1)', 'panel type graph is not one of ours (timeseries, stat, table, bargauge, logs, row)'],
    ]);
  });
});

describe('our dashboards', () => {
  it('pass with everything in place, panels nested in rows included', () => {
    expect(lint(ours([{ id: 9, type: 'row', title: 'R', panels: [ourPanel(1), ourPanel(2, { type: 'logs', datasource: LOKI, targets: [{ refId: 'A', expr: '{job="bitcoind"} |= "UDP"' }] })] }]))).toEqual([]);
  });

  it('name each dashboard-level rule broken', () => {
    const d = ours([ourPanel(1, { type: 'logs', datasource: LOKI, targets: [] })], { uid: undefined, editable: true, templating: { list: [dsVar('datasource', 'loki')] } });
    expect(lint(d)).toEqual([
      ['error', 'dashboard-uid', 'dashboard "Ours"', 'no uid: Grafana gives a provisioned dashboard a new random uid, and links to it break'],
      ['error', 'uneditable-dashboard', 'dashboard "Ours"', 'our dashboards are provisioned from code and must set editable: false'],
      ['error', 'template-datasource-rule', 'dashboard "Ours"', 'needs a datasource variable named datasource of type prometheus'],
      ['error', 'template-datasource-rule', 'dashboard "Ours"', 'has logs panels and so needs a datasource variable named loki of type loki'],
      ['error', 'panel-datasource-rule', 'dashboard "Ours" › panel "P1" (id 1)', 'panels of our dashboards must use a datasource variable'],
      ['error', 'datasource-unresolved', 'dashboard "Ours"', '"${loki}" refers to variable loki, which the dashboard does not define (1 reference(s): panel "P1" (id 1))'],
    ]);
  });

  it('name each panel rule broken, where it is broken', () => {
    const d = ours([
      ourPanel(1, { datasource: { type: 'prometheus', uid: 'prometheus' }, fieldConfig: {}, description: '', title: '' }),
      ourPanel(2, { type: 'gauge', targets: [{ refId: 'B', datasource: 'prometheus', expr: 'max(fpga_miner_temperature_celsius)' }] }),
      ourPanel(2, { title: 'Again' }),
      { id: 4, title: 'No type' },
    ]);
    expect(lint(d)).toEqual([
      ['error', 'panel-datasource-rule', 'dashboard "Ours" › panel "" (id 1)', 'panels of our dashboards must use a datasource variable'],
      ['error', 'panel-units-rule', 'dashboard "Ours" › panel "" (id 1)', 'panel has no unit (fieldConfig.defaults.unit)'],
      ['error', 'panel-title-description-rule', 'dashboard "Ours" › panel "" (id 1)', 'panel has no description'],
      ['error', 'panel-title-description-rule', 'dashboard "Ours" › panel "" (id 1)', 'panel has no title'],
      ['error', 'panel-type', 'dashboard "Ours" › panel "P2" (id 2)', 'panel type gauge is not one of ours (timeseries, stat, table, bargauge, logs, row)'],
      ['error', 'panel-datasource-rule', 'dashboard "Ours" › panel "P2" (id 2) › target B', 'targets of our dashboards must use a datasource variable'],
      ['error', 'panel-id-duplicate', 'dashboard "Ours" › panel "Again" (id 2)', 'panel id 2 is also used by panel "P2"; Grafana links, view mode and repeats need unique ids'],
      ['error', 'panel-type', 'dashboard "Ours" › panel "No type" (id 4)', 'panel has no type'],
    ]);
  });

  it('name each query problem of a target', () => {
    const target = (expr: string, more: Json = {}) => ourPanel(1, { title: `T${expr}`, targets: [{ expr, ...more }] });
    const d = ours([
      target('sum(rate(x_total[5m])'),
      target('rate(fibre_blocks_reconstructed_total[5m])'),
      target('max(fibre_blocks_relayed)'),
      target('max(temperature)'),
      target('{job="x" |= "a"', { datasource: LOKI }),
      target('   '),
      target('', { hide: true }),
    ]);
    const at = (expr: string) => `dashboard "Ours" › panel "T${expr}" (id 1) › target #1`;
    expect(lint(d).filter(([, rule]) => rule !== 'panel-id-duplicate')).toEqual([
      ['error', 'promql-parse', at('sum(rate(x_total[5m])'), 'PromQL "sum(rate(x_total[5m])": syntax error at column 22 near "end of query"'],
      ['error', 'target-rate-interval-rule', at('rate(fibre_blocks_reconstructed_total[5m])'), 'rate()/irate() should use [$__rate_interval]'],
      ['error', 'metric-unknown', at('max(fibre_blocks_relayed)'), 'metric fibre_blocks_relayed is not in the fibre-stack metric catalog'],
      ['error', 'metric-deprecated', at('max(temperature)'), 'metric temperature is deprecated since 0.1.0; use fpga_miner_temperature_celsius'],
      ['error', 'logql-parse', at('{job="x" |= "a"'), expect.stringMatching(/^LogQL "\{job=\\"x\\" \|= \\"a\\"": syntax error at column \d+/)],
      ['warning', 'target-empty', at('   '), 'target has an empty query'],
    ]);
  });

  it('checks the PromQL of variable queries, names only', () => {
    const variable = (name: string, query: unknown, datasource: unknown = PROM) => ({ type: 'query', name, datasource, query });
    const d = ours([ourPanel(1)], {
      templating: {
        list: [
          dsVar('datasource', 'prometheus'),
          variable('node', { query: 'label_values(fibre_last_block_height{job="fibre"}, node)' }),
          variable('raw', 'label_values(fibre_blocks_reconstructed_total, node)'),
          variable('bad', 'query_result(sum(x)'),
          variable('gone', 'label_values(nonexistent_metric, node)'),
          variable('logs', 'label_values(job)', LOKI),
          variable('names', 'label_names()'),
          { type: 'custom', name: 'c', query: 'a,b' },
        ],
      },
    });
    expect(lint(d)).toEqual([
      ['error', 'promql-parse', 'dashboard "Ours" › variable bad', 'variable query "query_result(sum(x)": syntax error at column 6 near "end of query"'],
      ['error', 'metric-unknown', 'dashboard "Ours" › variable gone', 'metric nonexistent_metric is not in the fibre-stack metric catalog'],
      ['error', 'datasource-unresolved', 'dashboard "Ours"', '"${loki}" refers to variable loki, which the dashboard does not define (1 reference(s): variable logs)'],
    ]);
  });
});

describe('someone else\'s dashboards', () => {
  it('warn once per dashboard for style, and name each panel only where it breaks', () => {
    const panel = (id: number, change: Json = {}): Json => ({ id, type: 'timeseries', title: `P${id}`, datasource: { uid: '$ds' }, targets: [], ...change });
    const d = theirs([
      panel(1, { targets: [{ expr: 'rate(a_total[5m])' }, { expr: 'rate(b_total[1m])' }] }),
      panel(2, { type: 'graph' }),
      panel(3, { type: 'graph' }),
      panel(4, { type: 'singlestat', description: 'has one' }),
      panel(5, { type: 'text' }),
      panel(6, { type: 'grafana-worldmap-panel', description: 'd' }),
      panel(7, { type: 'stat', fieldConfig: { defaults: { unit: 'none' } }, description: 'd', targets: [{ expr: 'max(fibre_blocks_reconstructed_total)' }] }),
    ]);
    expect(lint(d)).toEqual([
      ['warning', 'panel-units-rule', 'dashboard "Theirs" › panel "P1" (id 1)', 'panel has no unit (fieldConfig.defaults.unit)'],
      ['warning', 'panel-type-unknown', 'dashboard "Theirs" › panel "P6" (id 6)', 'panel type grafana-worldmap-panel is not a core Grafana panel; the plugin is not installed in a fibre-stack Grafana'],
      ['warning', 'counter-without-rate', 'dashboard "Theirs" › panel "P7" (id 7) › target #1', 'fibre_blocks_reconstructed_total is a counter used without rate()/increase(): its raw value only grows and drops to 0 when the exporter restarts'],
      ['warning', 'metric-unknown', 'dashboard "Theirs"', "2 metric(s) not in the fibre-stack catalog (fine for other exporters' dashboards): a_total, b_total"],
      ['warning', 'target-rate-interval-rule', 'dashboard "Theirs"', 'rate()/irate() without [$__rate_interval] in 2 target(s), panels: P1'],
      ['warning', 'panel-type-legacy', 'dashboard "Theirs"', '3 panel(s) of Angular-era types: graph (2) → timeseries, singlestat (1) → stat; Grafana 11+ migrates them on load and some options are lost'],
      ['warning', 'panel-title-description-rule', 'dashboard "Theirs"', '3 panel(s) without a description: P1, P2, P3'],
    ]);
  });

  it('errs on what breaks in a fibre-stack Grafana: datasources, grouped by problem with where they are', () => {
    const panel = (id: number, datasource: unknown): Json => ({ id, type: 'table', title: `P${id}`, description: 'd', fieldConfig: { defaults: { unit: 'none' } }, datasource });
    const d = theirs(
      [panel(1, 'Prometheus'), panel(2, 'Prometheus'), ...[3, 4, 5, 6, 7].map((id) => panel(id, 'P1809F7CD0C75ACF3')), panel(8, '${DS_X}')],
      { uid: undefined, title: undefined, templating: { list: [] }, __inputs: [{ type: 'datasource', name: 'DS_X', pluginId: 'prometheus' }] },
    );
    expect(lint(d)).toEqual([
      ['warning', 'dashboard-uid', 'dashboard "(untitled)"', 'no uid: Grafana gives a provisioned dashboard a new random uid, and links to it break'],
      ['warning', 'template-datasource-rule', 'dashboard "(untitled)"', 'no Prometheus datasource template variable; panels are tied to one datasource'],
      ['warning', 'datasource-by-name', 'dashboard "(untitled)"', 'datasource referenced by name "Prometheus": it resolves only while a datasource has that name. Use {type: "prometheus", uid: "prometheus"} or a datasource variable (2 reference(s): panel "P1" (id 1), panel "P2" (id 2))'],
      ['error', 'datasource-unresolved', 'dashboard "(untitled)"', 'datasource "P1809F7CD0C75ACF3" is not provisioned in a fibre-stack (uids: prometheus, loki, alertmanager); use one of those uids or a datasource variable (5 reference(s): panel "P3" (id 3), panel "P4" (id 4), panel "P5" (id 5), panel "P6" (id 6) and 1 more)'],
      ['error', 'datasource-unresolved', 'dashboard "(untitled)"', '"${DS_X}" is an export placeholder (__inputs); Grafana fills it in only on import through its UI, and a provisioned dashboard keeps it literally. Use a datasource variable instead (1 reference(s): panel "P8" (id 8))'],
    ]);
  });

  it('warns of targets that do not filter on the $job or $instance variable the dashboard has', () => {
    const panel = (id: number, expr: string): Json => ({ id, type: 'table', title: `P${id}`, description: 'd', fieldConfig: { defaults: { unit: 'none' } }, datasource: '$ds', targets: [{ expr }] });
    const vars = [dsVar('ds', 'prometheus'), { type: 'query', name: 'job' }, { type: 'query', name: 'instance' }];
    const d = theirs([panel(1, 'up{job="$job"}'), panel(2, 'up'), panel(3, 'up{instance="$instance",job="$job"}'), panel(4, 'vector(1)')], { templating: { list: vars } });
    expect(lint(d)).toEqual([
      ['warning', 'target-instance-rule', 'dashboard "Theirs"', 'the dashboard has a $instance variable but 2 target(s) do not filter on it, panels: P1, P2'],
      ['warning', 'target-job-rule', 'dashboard "Theirs"', 'the dashboard has a $job variable but 1 target(s) do not filter on it, panels: P2'],
    ]);
  });

  it('lists at most eight metrics or panels, and says how many more', () => {
    const panels = Array.from({ length: 10 }, (_, i) => ({ id: i + 1, type: 'table', title: `P${i + 1}`, fieldConfig: { defaults: { unit: 'none' } }, datasource: '$ds', targets: [{ expr: `max(m${i})` }] }));
    expect(lint(theirs(panels))).toEqual([
      ['warning', 'metric-unknown', 'dashboard "Theirs"', "10 metric(s) not in the fibre-stack catalog (fine for other exporters' dashboards): m0, m1, m2, m3, m4, m5, m6, m7 and 2 more"],
      ['warning', 'panel-title-description-rule', 'dashboard "Theirs"', '10 panel(s) without a description: P1, P2, P3, P4, P5, P6, P7, P8 and 2 more'],
    ]);
  });
});

describe('variable queries', () => {
  it.each([
    ['label_values(up{job="a"}, instance)', 'up{job="a"}'],
    ['  label_values(sum by (x) (rate(y[5m])),\n node )  ', 'sum by (x) (rate(y[5m]))'],
    ['query_result(topk(5, up))', 'topk(5, up)'],
    ['label_values(instance)', undefined],
    ['label_names()', undefined],
    ['metrics(fibre_.*)', undefined],
    ['label_values(up, 1x)', undefined],
  ])('the PromQL of %j is %j', (query, promql) => {
    expect(promqlOfVariableQuery(query)).toBe(promql);
  });
});
