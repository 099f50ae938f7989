// Deliberately broken copies of good files: each break must be caught, with the right rule and
// the place named. The good files are our generated FIBRE dashboard and rules, and a clean
// third-party rule file from the corpus.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { load } from 'js-yaml';
import { dashboardsFor, dashboardText } from '../cli/artifacts/dashboards.js';
import { ruleFilesFor } from '../cli/artifacts/rules.js';
import { lintDashboardText } from '../cli/lint/dashboard.js';
import { lintRuleText } from '../cli/lint/rules.js';
import { lintPaths } from '../cli/lint/index.js';
import { dumpYaml } from '../core/encode/yaml.js';
import { goTemplateErrors } from '../cli/lint/go-template.js';
import { substituteVariables } from '../cli/lint/grafana-vars.js';
import { prerequisites } from './support/prereq.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const fibreDashboardFile = (await dashboardsFor(['fibre'])).find((d) => d.file === 'fibre.json')!;
const fibreDashboard = () => JSON.parse(dashboardText(fibreDashboardFile)) as Json;
const fibreRulesText = ruleFilesFor(['fibre']).find((r) => r.file === 'fibre.yml')!.content;
const HEADER = fibreRulesText.split('\n').slice(0, 2).join('\n');
const fibreRules = () => load(fibreRulesText) as Json;

/** The first panel of the given type, outside rows. */
const panel = (d: Json, type = 'timeseries') => d.panels.find((p: Json) => p.type === type);

function dashboardRules(d: Json) {
  const { findings } = lintDashboardText('broken.json', JSON.stringify(d));
  return findings.filter((f) => f.severity === 'error');
}

function ruleErrors(data: Json) {
  return lintRuleText('broken.yml', dumpYaml(data, HEADER)).findings.filter((f) => f.severity === 'error');
}

describe('the good files are clean', () => {
  it('has no finding at all on the generated FIBRE dashboard and rules', () => {
    expect(lintDashboardText('fibre.json', JSON.stringify(fibreDashboard())).findings).toEqual([]);
    expect(lintRuleText('fibre.yml', fibreRulesText).findings).toEqual([]);
  });
});

describe('broken dashboards are caught', () => {
  const cases: [string, (d: Json) => void, string, RegExp?][] = [
    ['PromQL that does not parse', (d) => { panel(d).targets[0].expr = 'sum(rate(fibre_chunks_used_total[$__rate_interval])'; }, 'promql-parse', /syntax error/],
    ['LogQL that does not parse', (d) => { panel(d, 'logs').targets[0].expr = '{job="bitcoind" |= "UDP"'; }, 'logql-parse'],
    ['a datasource uid nobody provisioned', (d) => { panel(d).datasource = { type: 'prometheus', uid: 'P1809F7CD0C75ACF3' }; }, 'datasource-unresolved', /P1809F7CD0C75ACF3/],
    ['a datasource variable that does not exist', (d) => { panel(d).targets[0].datasource = { type: 'prometheus', uid: '${prom}' }; }, 'datasource-unresolved', /prom/],
    ['a provisioned uid of the wrong type', (d) => { panel(d).datasource = { type: 'loki', uid: 'prometheus' }; }, 'datasource-unresolved'],
    ['a duplicate panel id', (d) => { d.panels[3].id = d.panels[2].id; }, 'panel-id-duplicate'],
    ['a counter without rate()', (d) => { panel(d).targets[0].expr = 'sum(fibre_chunks_used_total{node=~"$node"})'; }, 'counter-without-rate', /fibre_chunks_used_total/],
    ['a histogram\'s buckets without rate()', (d) => { panel(d).targets[0].expr = 'histogram_quantile(0.9, sum by (le) (fibre_block_reconstruction_duration_seconds_bucket{node=~"$node"}))'; }, 'counter-without-rate', /^fibre_block_reconstruction_duration_seconds_bucket is a counter/],
    ['a histogram\'s sum without rate()', (d) => { panel(d).targets[0].expr = 'sum(fibre_block_chunks_used_sum{node=~"$node"})'; }, 'counter-without-rate', /^fibre_block_chunks_used_sum is a counter/],
    ['a histogram\'s count without rate()', (d) => { panel(d).targets[0].expr = 'max(fibre_race_margin_seconds_count{node=~"$node"})'; }, 'counter-without-rate', /^fibre_race_margin_seconds_count is a counter/],
    ['a deprecated metric', (d) => { panel(d).targets[0].expr = 'max(hashrate{card="fpga0"})'; }, 'metric-deprecated', /fpga_miner_hashrate_hashes_per_second/],
    ['a metric not in the catalog', (d) => { panel(d).targets[0].expr = 'max(fibre_blocks_relayed{node=~"$node"})'; }, 'metric-unknown', /fibre_blocks_relayed/],
    ['a recorded series no rule makes', (d) => { panel(d).targets[0].expr = 'node:fibre_wins:rate5m'; }, 'metric-unknown'],
    ['rate() over a fixed range', (d) => { panel(d).targets[0].expr = 'sum by (node) (rate(fibre_chunks_received_total{node=~"$node"}[5m]))'; }, 'target-rate-interval-rule'],
    ['a panel without unit', (d) => { delete panel(d).fieldConfig.defaults.unit; }, 'panel-units-rule'],
    ['a panel without description', (d) => { delete panel(d).description; }, 'panel-title-description-rule'],
    ['an unknown panel type', (d) => { panel(d).type = 'graph'; }, 'panel-type'],
    ['an editable dashboard', (d) => { d.editable = true; }, 'uneditable-dashboard'],
    ['no datasource variable', (d) => { d.templating.list = d.templating.list.filter((v: Json) => v.name !== 'datasource'); }, 'template-datasource-rule'],
    ['a variable query that does not parse', (d) => { d.templating.list.find((v: Json) => v.name === 'node').query.query = 'label_values(fibre_last_block_height{, node)'; }, 'promql-parse'],
    ['no uid', (d) => { delete d.uid; }, 'dashboard-uid'],
  ];
  for (const [what, breakIt, rule, message] of cases) {
    it(`catches ${what}`, () => {
      const d = fibreDashboard();
      breakIt(d);
      const errors = dashboardRules(d);
      const hit = errors.find((f) => f.rule === rule);
      expect(hit, `${rule} in ${JSON.stringify(errors)}`).toBeDefined();
      if (message) expect(hit!.message).toMatch(message);
      expect(hit!.where).toContain('FIBRE Block Relay');
    });
  }

  it('catches invalid JSON', () => {
    const text = dashboardText(fibreDashboardFile).replace('"editable": false,', '"editable": false');
    expect(lintDashboardText('broken.json', text).findings.map((f) => f.rule)).toEqual(['invalid-json']);
  });
});

describe('broken rule files are caught', () => {
  const alert = (d: Json, name = 'FibreExporterDown') => d.groups.flatMap((g: Json) => g.rules).find((r: Json) => r.alert === name);
  const cases: [string, (d: Json) => void, string, RegExp?][] = [
    ['PromQL that does not parse', (d) => { alert(d).expr = 'up{job="fibre"} =='; }, 'promql-parse'],
    ['a missing runbook_url', (d) => { delete alert(d).annotations.runbook_url; }, 'alert-annotations', /runbook_url/],
    ['a missing summary', (d) => { delete alert(d).annotations.summary; }, 'alert-annotations', /summary/],
    ['a missing severity', (d) => { delete alert(d).labels.severity; }, 'alert-severity'],
    ['an unknown severity', (d) => { alert(d).labels.severity = 'page'; }, 'alert-severity'],
    ['an unbalanced template', (d) => { alert(d).annotations.summary = 'exporter {{ $labels.instance is down'; }, 'alert-template', /unclosed/],
    ['an undefined template variable', (d) => { alert(d).annotations.description = 'value {{ $valeu }}'; }, 'alert-template', /\$valeu/],
    ['an unknown template function', (d) => { alert(d).annotations.description = '{{ $value | humanise }}'; }, 'alert-template', /humanise/],
    ['an if without end', (d) => { alert(d).annotations.description = '{{ if gt $value 1.0 }}many'; }, 'alert-template', /end/],
    ['an invalid for duration', (d) => { alert(d).for = '5 minutes'; }, 'rule-duration'],
    ['a duplicate alert', (d) => { d.groups[1].rules.push({ ...alert(d) }); }, 'rule-duplicate'],
    ['an alert name used twice', (d) => { alert(d, 'FibreExporterErrors').alert = 'FibreExporterDown'; }, 'alert-duplicate-name'],
    ['a non-CamelCase name', (d) => { alert(d).alert = 'fibre_exporter_down'; }, 'alert-name'],
    ['a raw counter', (d) => { alert(d).expr = 'fibre_exporter_errors_total{job="fibre"} > 10'; }, 'counter-without-rate'],
    ['a deprecated metric', (d) => { alert(d).expr = 'temperature{card="fpga0"} > 80'; }, 'metric-deprecated'],
    ['an unknown field', (d) => { alert(d).severity = 'critical'; }, 'rule-shape', /severity/],
    ['a recording rule with annotations', (d) => { d.groups[0].rules[0].annotations = { summary: 'x' }; }, 'rule-shape'],
    ['a repeated group name', (d) => { d.groups[1].name = d.groups[0].name; }, 'rule-group'],
  ];
  for (const [what, breakIt, rule, message] of cases) {
    it(`catches ${what}`, () => {
      const d = fibreRules();
      breakIt(d);
      const errors = ruleErrors(d);
      const hit = errors.find((f) => f.rule === rule);
      expect(hit, `${rule} in ${JSON.stringify(errors)}`).toBeDefined();
      if (message) expect(hit!.message).toMatch(message);
    });
  }

  it('holds third-party files to Prometheus, and to our conventions only as warnings', () => {
    const d = fibreRules();
    // A severity outside ours: a warning in their file (none at all would be an error in any file).
    alert(d).labels.severity = 'page';
    alert(d).alert = 'fibre_down';
    const third = lintRuleText('theirs.yml', dumpYaml(d)).findings; // no generated header: not ours
    expect(third.filter((f) => f.severity === 'error')).toEqual([]);
    expect(third.map((f) => f.rule)).toEqual(expect.arrayContaining(['alert-severity', 'alert-name']));
    alert(d, 'fibre_down').expr = 'up ==';
    expect(lintRuleText('theirs.yml', dumpYaml(d)).findings.filter((f) => f.severity === 'error').map((f) => f.rule)).toEqual(['promql-parse']);
  });

  it('reports YAML that does not parse', () => {
    expect(lintRuleText('x.yml', 'groups:\n  - name: a\n   rules: [').findings.map((f) => f.rule)).toEqual(['invalid-yaml']);
  });

  it.runIf(prerequisites('lint with promtool', { commands: ['promtool'] }))('runs promtool over rule files and reports what it rejects', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lint-broken-'));
    const d = fibreRules();
    // An invalid label name: Prometheus refuses the file, and both promtool and our own check say so.
    d.groups[1].rules[0].labels = { 'bad-label': 'x', severity: 'critical' };
    writeFileSync(join(dir, 'fibre.yml'), dumpYaml(d, HEADER));
    const report = await lintPaths([dir]);
    expect(report.promtool).toBe('ran');
    expect(report.findings.some((f) => f.rule === 'promtool' && f.severity === 'error' && /bad-label/.test(f.message))).toBe(true);
    expect(report.findings.some((f) => f.rule === 'rule-shape' && /bad-label/.test(f.message))).toBe(true);
    expect(readFileSync(join(dir, 'fibre.yml'), 'utf8')).toContain('bad-label');
  });
});

describe('helpers', () => {
  it('substitutes Grafana variables by what fits where they stand', () => {
    expect(substituteVariables('rate(x{a=~"$node"}[$__rate_interval])')).toBe('rate(x{a=~"x"}[5m])');
    expect(substituteVariables('x{$selector, a="b"} offset $off')).toBe('x{grafana_variable="x", a="b"} offset 5m');
    expect(substituteVariables('topk(${n:raw}, [[metric]])')).toBe('topk(grafana_variable, grafana_variable)');
  });

  it('accepts the templates Prometheus rules use and rejects broken ones', () => {
    expect(goTemplateErrors('{{ $labels.instance }} at {{ printf "%.2f" $value }}% {{ $value | humanizePercentage }}')).toEqual([]);
    expect(goTemplateErrors('{{ range $k, $v := $labels }}{{ $k }}={{ $v }} {{ end }}')).toEqual([]);
    expect(goTemplateErrors('{{ with query "up" }}{{ . | first | value }}{{ else }}none{{ end }}')).toEqual([]);
    expect(goTemplateErrors('{{ "unterminated }}')).not.toEqual([]);
    expect(goTemplateErrors('{{ end }}')).not.toEqual([]);
    expect(goTemplateErrors('{{ (len $labels }}')).not.toEqual([]);
  });
});
