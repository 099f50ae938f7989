// What the linter reports. A finding names the file, where in it (dashboard/panel or
// group/rule), the rule that fired and what is wrong.

export type Severity = 'error' | 'warning';

export interface Finding {
  severity: Severity;
  /** Rule id, e.g. `promql-parse`, `datasource-unresolved`, `panel-units-rule`. */
  rule: string;
  file: string;
  /** `dashboard "T" › panel "P" (id 3)` or `group "g" › alert "A"`; empty for the whole file. */
  where: string;
  message: string;
}

/** Collects findings for one place in one file. */
export class FindingSink {
  readonly findings: Finding[] = [];
  constructor(readonly file: string) {}

  add(severity: Severity, rule: string, where: string, message: string): void {
    this.findings.push({ severity, rule, file: this.file, where, message });
  }
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}

export function formatFinding(f: Finding): string {
  const where = f.where ? ` ${f.where}:` : '';
  return `${f.file}:${where} ${f.severity} [${f.rule}] ${f.message}`;
}
