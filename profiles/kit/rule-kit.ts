// Prometheus rule files as typed data: every alert gets the labels and annotations our linter
// requires (severity, summary, description, runbook_url), so a rule cannot ship without them.
import { dumpYaml } from '../../core/encode/yaml.js';
import { GENERATED_FROM_RULES_CODE } from '../../core/generated.js';

export type Severity = 'critical' | 'warning' | 'info';

export interface AlertSpec {
  /** CamelCase, unique across every rule file we ship. */
  alert: string;
  expr: string;
  for?: string;
  severity: Severity;
  /** Go templates ({{ $labels.x }}, {{ $value }}) are allowed in both texts. */
  summary: string;
  description: string;
}

export interface RecordSpec {
  /** level:metric:operations, as Prometheus' naming practice asks. */
  record: string;
  expr: string;
}

export interface RuleGroupSpec {
  name: string;
  interval?: string;
  rules: (AlertSpec | RecordSpec)[];
}

/** One rule file we ship: profiles/<id>/rules.ts exports one. */
export interface RuleFileSpec {
  title: string;
  groups: RuleGroupSpec[];
}

/** Where each alert's runbook section lives: docs/runbooks.md in this repository, one heading per alert. */
export const RUNBOOK_BASE = 'https://github.com/fibre-stack/fibre-stack/blob/main/docs/runbooks.md';

/** The anchor GitHub gives a `## AlertName` heading. */
export function runbookUrl(alert: string): string {
  return `${RUNBOOK_BASE}#${alert.toLowerCase()}`;
}

function ruleJson(r: AlertSpec | RecordSpec) {
  if ('record' in r) return { record: r.record, expr: r.expr };
  return {
    alert: r.alert,
    expr: r.expr,
    ...(r.for ? { for: r.for } : {}),
    labels: { severity: r.severity },
    annotations: { summary: r.summary, description: r.description, runbook_url: runbookUrl(r.alert) },
  };
}

/** A Prometheus 2.x rule file, YAML text. */
export function ruleFileYaml({ title, groups }: RuleFileSpec): string {
  const header = `# ${title}\n${GENERATED_FROM_RULES_CODE}`;
  return dumpYaml({ groups: groups.map((g) => ({ name: g.name, ...(g.interval ? { interval: g.interval } : {}), rules: g.rules.map(ruleJson) })) }, header);
}

export function alertsOf(groups: RuleGroupSpec[]): AlertSpec[] {
  return groups.flatMap((g) => g.rules.filter((r): r is AlertSpec => 'alert' in r));
}

export function recordsOf(groups: RuleGroupSpec[]): RecordSpec[] {
  return groups.flatMap((g) => g.rules.filter((r): r is RecordSpec => 'record' in r));
}
