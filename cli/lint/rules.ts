// Lints one Prometheus rule file. Files fibre-stack generates (they say so in their header) must
// meet every rule of ours: errors. Files from elsewhere get errors only for what Prometheus itself
// would refuse or mis-evaluate (YAML, shape, PromQL, durations, templates, duplicates that
// clash), and warnings for our conventions: a missing summary/description, non-CamelCase alert
// names, counters read raw, metrics outside our catalog. runbook_url is required of our own rules
// only. The severity label is load-bearing: Alertmanager routes by it (cli/render/alertmanager.ts),
// so an alert without one reaches nobody, an error in any file; a value outside critical, warning
// and info is an error in ours and a warning in others' (a route of their own may take it).
import { parseYaml } from '../../core/encode/yaml.js';
import { GENERATED_MARK } from '../../core/generated.js';
import { FindingSink, type Finding } from './findings.js';
import { analysePromql } from './promql.js';
import { checkSelectors } from './catalog-check.js';
import { goTemplateErrors } from './go-template.js';
import { SEVERITIES } from '../spec/alerting.js';

type Json = Record<string, unknown>;

const GROUP_KEYS = new Set(['name', 'interval', 'limit', 'rules', 'query_offset', 'labels']);
const RULE_KEYS = new Set(['record', 'alert', 'expr', 'for', 'keep_firing_for', 'labels', 'annotations']);
const REQUIRED_ANNOTATIONS = ['summary', 'description', 'runbook_url'];
/** Prometheus' duration syntax (model.ParseDuration): units largest first, each at most once. */
const DURATION = /^(?:\d+y)?(?:\d+w)?(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?(?:\d+ms)?$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const CAMEL_CASE = /^[A-Z][A-Za-z0-9]*$/;

/**
 * A promtool unit-test file, by its top-level keys (`rule_files:` and `tests:` at the start of a
 * line, no `groups:`): it is left to `promtool test rules`, so it is recognised without parsing.
 * Parsing our 56 KB of test files only to recognise them was a sixth of `lint` (docs/startup.md).
 * Other spellings (flow style, quoted keys) are recognised after parsing.
 */
function looksLikePromtoolTests(text: string): boolean {
  return /^rule_files\s*:/m.test(text) && /^tests\s*:/m.test(text) && !/^groups\s*:/m.test(text);
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export type RuleFileKind = 'prometheus' | 'promtool-test' | 'other';

export interface RuleLint {
  findings: Finding[];
  /** Only `prometheus` files are worth handing to promtool check rules. */
  kind: RuleFileKind;
}

export function lintRuleText(file: string, text: string): RuleLint {
  const sink = new FindingSink(file);
  const own = text.includes(GENERATED_MARK);
  if (/^\s*ALERT\s+[A-Za-z_]\w*\s*$/m.test(text) && /^\s*IF\s/m.test(text)) {
    sink.add('error', 'rule-file-format', '', 'Prometheus 1.x rule format (ALERT ... IF ...), which Prometheus 2 and later cannot load; rewrite it as YAML groups (the promtool of early Prometheus 2 releases converted such files with `promtool update rules`)');
    return { findings: sink.findings, kind: 'other' };
  }
  if (looksLikePromtoolTests(text)) return { findings: [], kind: 'promtool-test' };
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (err) {
    sink.add('error', 'invalid-yaml', '', `not valid YAML: ${(err as Error).message.split('\n')[0]}`);
    return { findings: sink.findings, kind: 'other' };
  }
  if (isObject(data) && 'rule_files' in data && 'tests' in data) return { findings: [], kind: 'promtool-test' };
  if (data === null) {
    // Prometheus loads a rule file of nothing (or only comments) as holding no groups.
    sink.add('warning', 'empty-rule-file', '', 'holds no rule groups (Prometheus loads it, with nothing in it)');
    return { findings: sink.findings, kind: 'prometheus' };
  }
  if (!isObject(data) || !Array.isArray(data.groups)) {
    sink.add('error', 'not-a-rule-file', '', `not a Prometheus rule file: expected a top-level "groups:" list, found ${describe(data)}`);
    return { findings: sink.findings, kind: 'other' };
  }
  if ('apiVersion' in data || data.groups.some((g) => isObject(g) && ('orgId' in g || 'folder' in g))) {
    sink.add('error', 'not-a-rule-file', '', 'a Grafana-managed alerting provisioning file (apiVersion, groups[].folder, rules[].uid/condition/data), not a Prometheus rule file; provision it into Grafana, not Prometheus');
    return { findings: sink.findings, kind: 'other' };
  }
  new RuleFileLinter(sink, own).run(data.groups);
  return { findings: sink.findings, kind: 'prometheus' };
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return 'an empty document';
  if (Array.isArray(v)) return 'a list';
  if (isObject(v)) return `keys ${Object.keys(v).slice(0, 5).join(', ')}`;
  return `a ${typeof v}`;
}

class RuleFileLinter {
  private readonly unknownMetrics = new Set<string>();
  private readonly alertNames = new Map<string, string>();

  constructor(private readonly sink: FindingSink, private readonly own: boolean) {}

  private add(ownSeverity: 'error' | 'warning', rule: string, where: string, message: string): void {
    this.sink.add(this.own ? ownSeverity : 'warning', rule, where, message);
  }

  run(groups: unknown[]): void {
    const groupNames = new Set<string>();
    groups.forEach((g, gi) => {
      const gname = isObject(g) && typeof g.name === 'string' ? g.name : '';
      const where = `group ${gname ? `"${gname}"` : `#${gi + 1}`}`;
      if (!isObject(g)) return this.sink.add('error', 'rule-group', where, 'a group must be a mapping with name and rules');
      if (!gname) this.sink.add('error', 'rule-group', where, 'group has no name');
      else if (groupNames.has(gname)) this.sink.add('error', 'rule-group', where, `group name "${gname}" is repeated in the file; Prometheus refuses it`);
      groupNames.add(gname);
      for (const k of Object.keys(g)) if (!GROUP_KEYS.has(k)) this.sink.add('error', 'rule-group', where, `unknown group field "${k}"`);
      if (g.interval !== undefined) this.duration(g.interval, where, 'interval');
      if (!Array.isArray(g.rules)) return this.sink.add('error', 'rule-group', where, 'group has no rules list');
      const seen = new Map<string, number>();
      g.rules.forEach((r, ri) => this.rule(r, ri, where, seen));
    });
    if (this.unknownMetrics.size > 0) {
      const names = [...this.unknownMetrics].sort();
      this.sink.add('warning', 'metric-unknown', '', `${names.length} metric(s) not in the fibre-stack catalog (fine for other exporters' rules): ${names.slice(0, 8).join(', ')}${names.length > 8 ? ` and ${names.length - 8} more` : ''}`);
    }
  }

  private rule(r: unknown, index: number, groupWhere: string, seen: Map<string, number>): void {
    if (!isObject(r)) return this.sink.add('error', 'rule-shape', `${groupWhere} › rule ${index + 1}`, 'a rule must be a mapping');
    const isAlert = typeof r.alert === 'string';
    const isRecord = typeof r.record === 'string';
    const name = (isAlert ? r.alert : r.record) as string | undefined;
    const where = `${groupWhere} › ${isAlert ? 'alert' : isRecord ? 'record' : 'rule'} ${name ? `"${name}"` : index + 1}`;
    if (isAlert === isRecord) return this.sink.add('error', 'rule-shape', where, 'a rule needs exactly one of "alert" and "record"');
    for (const k of Object.keys(r)) if (!RULE_KEYS.has(k)) this.sink.add('error', 'rule-shape', where, `unknown rule field "${k}"`);
    if (typeof r.expr !== 'string' && typeof r.expr !== 'number') this.sink.add('error', 'rule-shape', where, 'rule has no expr');
    else this.expr(String(r.expr), where);
    if (r.labels !== undefined) this.labels(r.labels, where);

    // Same name and same static labels in one group: the rules write the same series (promtool's duplicate check).
    const key = `${isAlert ? 'alert' : 'record'}:${name}:${JSON.stringify(sortedEntries(r.labels))}`;
    const count = (seen.get(key) ?? 0) + 1;
    seen.set(key, count);
    if (count === 2) {
      this.add('error', 'rule-duplicate', where, `${isAlert ? 'alert' : 'recording rule'} ${name} is defined more than once in this group with the same labels; promtool reports it as a duplicate rule (its results can overwrite each other)`);
    }

    if (isRecord) {
      if (!METRIC_NAME.test(name!)) this.sink.add('error', 'rule-shape', where, `"${name}" is not a valid metric name`);
      for (const k of ['for', 'keep_firing_for', 'annotations']) if (k in r) this.sink.add('error', 'rule-shape', where, `a recording rule cannot have "${k}"`);
      return;
    }
    this.alert(r, name!, where);
  }

  private alert(r: Json, name: string, where: string): void {
    if (!CAMEL_CASE.test(name)) this.add('error', 'alert-name', where, `alert name "${name}" is not CamelCase`);
    const earlier = this.alertNames.get(name);
    if (earlier !== undefined && this.own) this.sink.add('error', 'alert-duplicate-name', where, `alert name ${name} is already used in ${earlier}; ours must be unique`);
    else this.alertNames.set(name, where);
    if (r.for !== undefined) this.duration(r.for, where, 'for');
    if (r.keep_firing_for !== undefined) this.duration(r.keep_firing_for, where, 'keep_firing_for');
    const labels = isObject(r.labels) ? r.labels : {};
    const severity = labels.severity;
    if (severity === undefined) this.sink.add('error', 'alert-severity', where, `alert has no severity label; Alertmanager routes alerts by it (${SEVERITIES.join(', ')}), so this one reaches no receiver`);
    else if (!(SEVERITIES as readonly unknown[]).includes(String(severity))) this.add('error', 'alert-severity', where, `severity "${String(severity)}" is not one of ${SEVERITIES.join(', ')}; no route of fibre-stack's Alertmanager takes it`);
    const annotations = r.annotations;
    if (annotations !== undefined && !isObject(annotations)) {
      this.sink.add('error', 'rule-shape', where, 'annotations must be a mapping');
      return;
    }
    const have = isObject(annotations) ? annotations : {};
    const missing = (this.own ? REQUIRED_ANNOTATIONS : ['summary', 'description']).filter((a) => typeof have[a] !== 'string' || have[a] === '');
    if (missing.length > 0) this.add('error', 'alert-annotations', where, `missing annotation(s): ${missing.join(', ')}`);
    for (const [k, v] of Object.entries(have)) {
      if (typeof v !== 'string') this.sink.add('error', 'rule-shape', where, `annotation ${k} must be a string`);
      else for (const e of goTemplateErrors(v)) this.sink.add('error', 'alert-template', where, `annotation ${k}: ${e}`);
    }
  }

  private labels(labels: unknown, where: string): void {
    if (!isObject(labels)) return this.sink.add('error', 'rule-shape', where, 'labels must be a mapping');
    for (const [k, v] of Object.entries(labels)) {
      if (!LABEL_NAME.test(k)) this.sink.add('error', 'rule-shape', where, `"${k}" is not a valid label name`);
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') this.sink.add('error', 'rule-shape', where, `label ${k} must be a string`);
      else for (const e of goTemplateErrors(String(v))) this.sink.add('error', 'alert-template', where, `label ${k}: ${e}`);
    }
  }

  private duration(value: unknown, where: string, field: string): void {
    const text = String(value);
    if (typeof value !== 'string' || text === '' || !DURATION.test(text)) {
      this.sink.add('error', 'rule-duration', where, `${field}: ${JSON.stringify(value)} is not a Prometheus duration (e.g. 5m, 1h30m)`);
    }
  }

  private expr(expr: string, where: string): void {
    const report = analysePromql(expr);
    for (const e of report.errors) this.sink.add('error', 'promql-parse', where, `PromQL ${JSON.stringify(expr.trim())}: ${e}`);
    for (const p of checkSelectors(report.selectors, this.own)) {
      if (p.kind === 'unknown' && !this.own) this.unknownMetrics.add(p.metric);
      else this.add('error', p.kind === 'unknown' ? 'metric-unknown' : p.kind === 'deprecated' ? 'metric-deprecated' : 'counter-without-rate', where, p.message);
    }
  }
}

function sortedEntries(v: unknown): [string, unknown][] {
  return isObject(v) ? Object.entries(v).sort(([a], [b]) => a.localeCompare(b)) : [];
}
