// The lint configuration file (.lint, dashboard-linter's shape): exclusions drop findings, warnings
// demote them, per rule and per file, dashboard, panel, group or alert; read from each file's
// folder or given with --config; a broken one is a usage error.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LintConfigError, applyLintConfig, parseLintConfig } from '../cli/lint/config.js';
import { lintPaths } from '../cli/lint/index.js';
import type { Finding } from '../cli/lint/findings.js';
import { GENERATED_MARK } from '../core/generated.js';
import { runCli } from './support/cli.js';
import { tempDir } from './support/stack.js';

const finding = (rule: string, file: string, where: string): Finding => ({ severity: 'error', rule, file, where, message: 'm' });
const panelFinding = finding('panel-units-rule', '/s/dash/a.json', 'dashboard "Relay" › panel "Race" (id 3)');
const alertFinding = finding('alert-severity', '/s/rules/r.yml', 'group "g" › alert "NoSeverity"');
const config = (yaml: string) => parseLintConfig(yaml, '/s/.lint');
const verdicts = (yaml: string, findings = [panelFinding, alertFinding]) => applyLintConfig(findings, config(yaml)).map((f) => `${f.rule}:${f.severity}`);

describe('applying a lint configuration', () => {
  it('with nothing in it changes nothing', () => {
    expect(verdicts('')).toEqual(['panel-units-rule:error', 'alert-severity:error']);
    expect(verdicts('exclusions: {}\nwarnings:\n')).toEqual(['panel-units-rule:error', 'alert-severity:error']);
  });

  it('a rule listed without entries is excluded (or a warning) everywhere', () => {
    expect(verdicts('exclusions:\n  panel-units-rule:\n    reason: not ours\n')).toEqual(['alert-severity:error']);
    expect(verdicts('exclusions:\n  panel-units-rule:\n')).toEqual(['alert-severity:error']);
    expect(verdicts('warnings:\n  alert-severity: {reason: routed elsewhere}\n')).toEqual(['panel-units-rule:error', 'alert-severity:warning']);
  });

  it.each([
    ['its dashboard', 'dashboard: Relay', true],
    ['its dashboard and panel', 'dashboard: Relay\n        panel: Race', true],
    ['another panel', 'panel: Blocks', false],
    ['its file, relative to the .lint', 'file: dash/a.json', true],
    ['its file by name', 'file: a.json', true],
    ['another file', 'file: b.json', false],
  ])('an entry naming %s matches: %s', (_what, entry, hit) => {
    const yaml = `exclusions:\n  panel-units-rule:\n    entries:\n      - ${entry}\n`;
    expect(verdicts(yaml, [panelFinding])).toEqual(hit ? [] : ['panel-units-rule:error']);
  });

  it.each([
    ['its alert', 'alert: NoSeverity', true],
    ['its group and alert', 'group: g\n        alert: NoSeverity', true],
    ['another alert', 'alert: Other', false],
    ['another group', 'group: h', false],
  ])('an alert entry naming %s matches: %s', (_what, entry, hit) => {
    const yaml = `warnings:\n  alert-severity:\n    entries:\n      - ${entry}\n`;
    expect(verdicts(yaml, [alertFinding])).toEqual([`alert-severity:${hit ? 'warning' : 'error'}`]);
  });

  it('an exclusion wins over a warning for the same finding', () => {
    expect(verdicts('exclusions:\n  alert-severity:\nwarnings:\n  alert-severity:\n', [alertFinding])).toEqual([]);
  });

  it.each([
    ['a list', '- x', 'expected a mapping with exclusions and warnings'],
    ['an unknown key', 'ignore: {}', 'unknown key ignore; allowed: exclusions, warnings'],
    ['a rule as a list', 'exclusions: [a]', 'exclusions must be a mapping of rule names'],
    ['entries that are not a list', 'warnings:\n  r:\n    entries: x', 'warnings.r must be a mapping with reason and entries (a list)'],
    ['an unknown entry field', 'warnings:\n  r:\n    entries:\n      - targetIdx: "1"', 'warnings.r.entries[0].targetIdx: unknown field; allowed: file, dashboard, panel, group, alert, reason'],
    ['an entry value that is not a string', 'warnings:\n  r:\n    entries:\n      - panel: 3', 'warnings.r.entries[0].panel must be a string'],
    ['broken YAML', 'exclusions: [', 'not valid YAML'],
  ])('refuses %s, naming it', (_what, yaml, message) => {
    expect(() => config(yaml)).toThrow(LintConfigError);
    expect(() => config(yaml)).toThrow(message);
  });
});

describe('lint with a configuration file', () => {
  const ruleFile = `# ${GENERATED_MARK} for this test\ngroups:\n  - name: g\n    rules:\n      - alert: NoSeverity\n        expr: up == 0\n        annotations: {summary: s, description: d, runbook_url: u}\n`;

  it('reads the .lint beside the files, and --config names one for all; exit codes follow what is left', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'rules'));
    writeFileSync(join(dir, 'rules', 'r.yml'), ruleFile);
    const bare = runCli(['lint', '--no-promtool', join(dir, 'rules')]);
    expect(bare.code).toBe(1);
    expect(bare.stdout).toContain('[alert-severity] alert has no severity label');
    writeFileSync(join(dir, 'rules', '.lint'), 'warnings:\n  alert-severity:\n    reason: a route of its own\n    entries:\n      - alert: NoSeverity\n');
    const relaxed = runCli(['lint', '--no-promtool', join(dir, 'rules')]);
    expect(relaxed.code).toBe(0);
    expect(relaxed.stdout).toContain('warning [alert-severity]');
    writeFileSync(join(dir, 'other.lint'), 'exclusions:\n  alert-severity:\n');
    const excluded = runCli(['lint', '--no-promtool', '--config', join(dir, 'other.lint'), join(dir, 'rules')]);
    expect(excluded.code).toBe(0);
    expect(excluded.stdout).not.toContain('alert-severity');
    const missing = runCli(['lint', '--no-promtool', '--config', join(dir, 'none.lint'), join(dir, 'rules')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`cannot read ${join(dir, 'none.lint')}: ENOENT`);
    // A FIFO where the .lint is looked for is refused at once, not read (it would block forever).
    rmSync(join(dir, 'rules', '.lint'));
    expect(spawnSync('mkfifo', [join(dir, 'rules', '.lint')]).status).toBe(0);
    const fifo = runCli(['lint', '--no-promtool', join(dir, 'rules')]);
    expect(fifo.code).toBe(2);
    expect(fifo.stderr).toContain(`cannot read ${join(dir, 'rules', '.lint')}: not a regular file`);
  });

  it('lintPaths applies the .lint of each file\'s own folder only', async () => {
    const dir = tempDir();
    for (const sub of ['a', 'b']) {
      mkdirSync(join(dir, sub));
      writeFileSync(join(dir, sub, 'r.yml'), ruleFile);
    }
    writeFileSync(join(dir, 'a', '.lint'), 'exclusions:\n  alert-severity:\n');
    const report = await lintPaths([dir], { promtool: false });
    expect(report.findings.filter((f) => f.rule === 'alert-severity').map((f) => f.file)).toEqual([join(dir, 'b', 'r.yml')]);
  });
});
