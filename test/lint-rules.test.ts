// The rule-file linter on small files written for one finding each: which rule fires, where it
// points, its words, and its severity: an error in a file fibre-stack generated (its header says
// so), a warning in someone else's file for our conventions, an error in any file for what
// Prometheus itself refuses.
import { describe, expect, it } from 'vitest';
import { lintRuleText } from '../cli/lint/rules.js';
import { GENERATED_MARK } from '../core/generated.js';

const OURS = `# ${GENERATED_MARK} for this test\n`;

/** Findings as [severity, rule, where, message]. */
function lint(text: string) {
  const { findings, kind } = lintRuleText('r.yml', text);
  expect(findings.every((f) => f.file === 'r.yml')).toBe(true);
  return { kind, findings: findings.map((f) => [f.severity, f.rule, f.where, f.message]) };
}

/** A group of one alert with everything our rules ask for, with changes. */
function alertFile(alert: Record<string, string | object | undefined>, header = OURS): string {
  const rule = {
    alert: 'FibreExporterDown',
    expr: 'up{job="fibre"} == 0',
    for: '5m',
    labels: { severity: 'critical' },
    annotations: { summary: 's', description: 'd', runbook_url: 'https://x/runbook' },
    ...alert,
  };
  return header + JSON.stringify({ groups: [{ name: 'g', rules: [rule] }] });
}

describe('files that are not rule files', () => {
  it('names the Prometheus 1.x format', () => {
    expect(lint('ALERT InstanceDown\n  IF up == 0\n  FOR 5m\n')).toEqual({
      kind: 'other',
      findings: [['error', 'rule-file-format', '', 'Prometheus 1.x rule format (ALERT ... IF ...), which Prometheus 2 and later cannot load; rewrite it as YAML groups (the promtool of early Prometheus 2 releases converted such files with `promtool update rules`)']],
    });
    // The words alone, not at the start of their lines, are not that format.
    expect(lint('# ALERT InstanceDown\n# IF up == 0\ngroups: []\n')).toEqual({ kind: 'prometheus', findings: [] });
  });

  it('says what YAML it cannot read, in one line', () => {
    expect(lint('groups:\n  - name: a\n   rules: [')).toEqual({ kind: 'other', findings: [['error', 'invalid-yaml', '', expect.stringMatching(/^not valid YAML: [^\n]+$/)]] });
  });

  it('warns of a rule file with nothing in it, which Prometheus loads', () => {
    for (const text of ['', '# rules to come\n', '~\n']) {
      expect(lint(text)).toEqual({ kind: 'prometheus', findings: [['warning', 'empty-rule-file', '', 'holds no rule groups (Prometheus loads it, with nothing in it)']] });
    }
  });

  it('leaves promtool test files alone', () => {
    expect(lint('rule_files: [a.yml]\ntests: []\n')).toEqual({ kind: 'promtool-test', findings: [] });
    // Recognised by their top-level keys without parsing, or after parsing when spelled otherwise.
    expect(lint('rule_files: [a.yml]\ntests:\n  - input_series: [\n')).toEqual({ kind: 'promtool-test', findings: [] });
    expect(lint('{"rule_files": ["a.yml"], "tests": []}\n')).toEqual({ kind: 'promtool-test', findings: [] });
    // Keys indented under another are not top-level.
    expect(lint('x:\n  rule_files: []\n  tests: []\n').kind).toBe('other');
  });

  it.each([
    ['- a\n- b\n', 'a list'],
    ['a: 1\nb: 2\nc: 3\nd: 4\ne: 5\nf: 6\n', 'keys a, b, c, d, e'],
    ['groups: {}\n', 'keys groups'],
    ['42\n', 'a number'],
    ['rule_files: []\n', 'keys rule_files'],
  ])('refuses %j: found %s', (text, found) => {
    expect(lint(text)).toEqual({ kind: 'other', findings: [['error', 'not-a-rule-file', '', `not a Prometheus rule file: expected a top-level "groups:" list, found ${found}`]] });
  });

  it.each(['apiVersion: 1\ngroups: []\n', 'groups:\n  - name: g\n    folder: f\n    rules: []\n', 'groups:\n  - orgId: 1\n    name: g\n'])('names a Grafana alerting file: %j', (text) => {
    expect(lint(text)).toEqual({
      kind: 'other',
      findings: [['error', 'not-a-rule-file', '', 'a Grafana-managed alerting provisioning file (apiVersion, groups[].folder, rules[].uid/condition/data), not a Prometheus rule file; provision it into Grafana, not Prometheus']],
    });
  });
});

describe('groups', () => {
  it('finds every group mistake Prometheus refuses, in any file', () => {
    const text = JSON.stringify({
      groups: [
        'not a group',
        { rules: [] },
        { name: 'a', rules: [] },
        { name: 'a', interval: '1 minute', colour: 'blue', rules: [] },
        { name: 'b', interval: '30s', limit: 5, query_offset: '1m', labels: {} },
      ],
    });
    expect(lint(text).findings).toEqual([
      ['error', 'rule-group', 'group #1', 'a group must be a mapping with name and rules'],
      ['error', 'rule-group', 'group #2', 'group has no name'],
      ['error', 'rule-group', 'group "a"', 'group name "a" is repeated in the file; Prometheus refuses it'],
      ['error', 'rule-group', 'group "a"', 'unknown group field "colour"'],
      ['error', 'rule-duration', 'group "a"', 'interval: "1 minute" is not a Prometheus duration (e.g. 5m, 1h30m)'],
      ['error', 'rule-group', 'group "b"', 'group has no rules list'],
    ]);
  });
});

describe('rules', () => {
  it('finds every shape mistake, naming the rule by kind and name or place', () => {
    const text = JSON.stringify({
      groups: [{
        name: 'g',
        rules: [
          'not a rule',
          { expr: 'up' },
          { alert: 'A', record: 'b', expr: 'up' },
          { record: 'job:up:sum', expr: 'sum by (job) (up)', for: '5m', annotations: {}, colour: 1 },
          { record: 'bad-name', expr: 1 },
          { record: 'no_expr' },
          { record: 'labelled', expr: 'up', labels: { 'bad-label': 'x', list: ['x'], n: 1, b: true } },
          { record: 'labels_list', expr: 'up', labels: ['x'] },
        ],
      }],
    });
    expect(lint(text).findings).toEqual([
      ['error', 'rule-shape', 'group "g" › rule 1', 'a rule must be a mapping'],
      ['error', 'rule-shape', 'group "g" › rule 2', 'a rule needs exactly one of "alert" and "record"'],
      ['error', 'rule-shape', 'group "g" › alert "A"', 'a rule needs exactly one of "alert" and "record"'],
      ['error', 'rule-shape', 'group "g" › record "job:up:sum"', 'unknown rule field "colour"'],
      ['error', 'rule-shape', 'group "g" › record "job:up:sum"', 'a recording rule cannot have "for"'],
      ['error', 'rule-shape', 'group "g" › record "job:up:sum"', 'a recording rule cannot have "annotations"'],
      ['error', 'rule-shape', 'group "g" › record "bad-name"', '"bad-name" is not a valid metric name'],
      ['error', 'rule-shape', 'group "g" › record "no_expr"', 'rule has no expr'],
      ['error', 'rule-shape', 'group "g" › record "labelled"', '"bad-label" is not a valid label name'],
      ['error', 'rule-shape', 'group "g" › record "labelled"', 'label list must be a string'],
      ['error', 'rule-shape', 'group "g" › record "labels_list"', 'labels must be a mapping'],
    ]);
  });

  it('finds a rule written twice with the same labels, not one whose labels differ', () => {
    const rule = (labels: object) => ({ record: 'job:up:sum', expr: 'sum by (job) (up)', labels });
    const text = JSON.stringify({ groups: [{ name: 'g', rules: [rule({ a: '1', b: '2' }), rule({ b: '2', a: '1' }), rule({ a: '2' }), rule({ b: '2', a: '1' })] }] });
    const duplicate = ['rule-duplicate', 'group "g" › record "job:up:sum"', 'recording rule job:up:sum is defined more than once in this group with the same labels; promtool reports it as a duplicate rule (its results can overwrite each other)'];
    expect(lint(OURS + text).findings).toEqual([['error', ...duplicate]]);
    expect(lint(text).findings).toEqual([['warning', ...duplicate]]);
  });

  it('reports what the PromQL parser finds, and the catalog\'s verdict on each series', () => {
    const text = OURS + JSON.stringify({
      groups: [{
        name: 'g',
        rules: [
          { record: 'a:b:c', expr: 'sum(rate(x[5m])' },
          { record: 'job:raw:sum', expr: 'sum(fibre_blocks_reconstructed_total)' },
          { record: 'job:old:max', expr: 'max(temperature)' },
          { record: 'job:unknown:max', expr: 'max(no_such_metric)' },
        ],
      }],
    });
    expect(lint(text).findings).toEqual([
      ['error', 'promql-parse', 'group "g" › record "a:b:c"', 'PromQL "sum(rate(x[5m])": syntax error at column 16 near "end of query"'],
      ['error', 'counter-without-rate', 'group "g" › record "job:raw:sum"', 'fibre_blocks_reconstructed_total is a counter used without rate()/increase(): its raw value only grows and drops to 0 when the exporter restarts'],
      ['error', 'metric-deprecated', 'group "g" › record "job:old:max"', 'metric temperature is deprecated since 0.1.0; use fpga_miner_temperature_celsius'],
      ['error', 'metric-unknown', 'group "g" › record "job:unknown:max"', 'metric no_such_metric is not in the fibre-stack metric catalog'],
    ]);
  });

  it('gathers the unknown metrics of someone else\'s file into one warning', () => {
    const names = ['m_a', 'm_b', 'm_c', 'm_d', 'm_e', 'm_f', 'm_g', 'm_h', 'm_i', 'm_j'];
    const rules = names.map((m) => ({ record: `job:${m}:max`, expr: `max(${m}) + max(m_a)` }));
    expect(lint(JSON.stringify({ groups: [{ name: 'g', rules }] })).findings).toEqual([
      ['warning', 'metric-unknown', '', "10 metric(s) not in the fibre-stack catalog (fine for other exporters' rules): m_a, m_b, m_c, m_d, m_e, m_f, m_g, m_h and 2 more"],
    ]);
    expect(lint(JSON.stringify({ groups: [{ name: 'g', rules: rules.slice(0, 8) }] })).findings).toEqual([
      ['warning', 'metric-unknown', '', "8 metric(s) not in the fibre-stack catalog (fine for other exporters' rules): m_a, m_b, m_c, m_d, m_e, m_f, m_g, m_h"],
    ]);
  });
});

describe('alerts', () => {
  it('takes an alert with everything, in our files and others\'', () => {
    expect(lint(alertFile({}))).toEqual({ kind: 'prometheus', findings: [] });
    expect(lint(alertFile({ annotations: { summary: 's', description: 'd' } }, ''))).toEqual({ kind: 'prometheus', findings: [] });
  });

  const where = 'group "g" › alert "FibreExporterDown"';
  it.each<[string, Record<string, string | object | undefined>, [string, string, string][]]>([
    ['a name that is not CamelCase', { alert: 'fibre_down' }, [['alert-name', 'group "g" › alert "fibre_down"', 'alert name "fibre_down" is not CamelCase']]],
    ['missing annotations', { annotations: { summary: '' } }, [['alert-annotations', where, 'missing annotation(s): summary, description, runbook_url']]],
    ['a raw counter', { expr: 'fibre_blocks_reconstructed_total > 10' }, [['counter-without-rate', where, 'fibre_blocks_reconstructed_total is a counter used without rate()/increase(): its raw value only grows and drops to 0 when the exporter restarts']]],
  ])('%s: an error in ours, a warning in others\'', (_what, change, expected) => {
    expect(lint(alertFile(change)).findings).toEqual(expected.map((f) => ['error', ...f]));
    expect(lint(alertFile(change, '')).findings.filter((f) => f[1] !== 'alert-annotations')).toEqual(expected.filter((f) => f[0] !== 'alert-annotations').map((f) => ['warning', ...f]));
  });

  it.each<[string, Record<string, string | object | undefined>, [string, string][]]>([
    ['bad durations', { for: '5 minutes', keep_firing_for: '' }, [
      ['rule-duration', 'for: "5 minutes" is not a Prometheus duration (e.g. 5m, 1h30m)'],
      ['rule-duration', 'keep_firing_for: "" is not a Prometheus duration (e.g. 5m, 1h30m)'],
    ]],
    ['a duration that is a number', { for: 300 as unknown as string }, [['rule-duration', 'for: 300 is not a Prometheus duration (e.g. 5m, 1h30m)']]],
    ['units out of order', { for: '5m1h' }, [['rule-duration', 'for: "5m1h" is not a Prometheus duration (e.g. 5m, 1h30m)']]],
    ['annotations that are not a mapping', { annotations: ['summary'] }, [['rule-shape', 'annotations must be a mapping']]],
    ['an annotation that is not a string', { annotations: { summary: 's', description: 'd', runbook_url: 'u', value: { a: 1 } } }, [['rule-shape', 'annotation value must be a string']]],
    ['a broken template in an annotation', { annotations: { summary: '{{ $valeu }}', description: 'd', runbook_url: 'u' } }, [['alert-template', 'annotation summary: {{ $valeu }}: undefined variable $valeu']]],
    ['a broken template in a label', { labels: { severity: 'critical', node: '{{ $labels.node' } }, [['alert-template', 'label node: unclosed action "{{ $labels.node"']]],
  ])('%s', (_what, change, expected) => {
    expect(lint(alertFile(change)).findings).toEqual(expected.map(([rule, message]) => ['error', rule, where, message]));
  });

  it('an alert without a severity is an error in any file: Alertmanager routes by it', () => {
    const expected = [['error', 'alert-severity', where, 'alert has no severity label; Alertmanager routes alerts by it (critical, warning, info), so this one reaches no receiver']];
    expect(lint(alertFile({ labels: {} })).findings).toEqual(expected);
    expect(lint(alertFile({ labels: { node: 'x' } }, '')).findings.filter((f) => f[1] !== 'alert-annotations')).toEqual(expected);
  });

  it('a severity outside critical, warning and info is an error in ours, a warning in others\'', () => {
    const message = 'severity "page" is not one of critical, warning, info; no route of fibre-stack\'s Alertmanager takes it';
    expect(lint(alertFile({ labels: { severity: 'page' } })).findings).toEqual([['error', 'alert-severity', where, message]]);
    expect(lint(alertFile({ labels: { severity: 'page' } }, '')).findings.filter((f) => f[1] !== 'alert-annotations')).toEqual([['warning', 'alert-severity', where, message]]);
    for (const severity of ['critical', 'warning', 'info']) expect(lint(alertFile({ labels: { severity } }, '')).findings.filter((f) => f[1] === 'alert-severity'), severity).toEqual([]);
  });

  it('accepts every duration form Prometheus does', () => {
    for (const d of ['1y2w3d4h5m6s7ms', '90s', '0s', '1h30m']) expect(lint(alertFile({ for: d })).findings, d).toEqual([]);
  });

  it('in our files, an alert name used twice across groups', () => {
    const rule = { alert: 'Same', expr: 'up == 0', labels: { severity: 'info' }, annotations: { summary: 's', description: 'd', runbook_url: 'u' } };
    const text = JSON.stringify({ groups: [{ name: 'a', rules: [rule] }, { name: 'b', rules: [rule] }] });
    expect(lint(OURS + text).findings).toEqual([['error', 'alert-duplicate-name', 'group "b" › alert "Same"', 'alert name Same is already used in group "a" › alert "Same"; ours must be unique']]);
    expect(lint(text).findings).toEqual([]);
  });
});
