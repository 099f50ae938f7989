// The built-in alert rules: our conventions, a runbook section per alert, promtool check rules on
// every file, and promtool unit tests (rules/tests/) that show every alert firing and not firing.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { load } from 'js-yaml';
import { ALL_RULE_SPECS, allRuleFiles, ruleFilesFor } from '../cli/artifacts/rules.js';
import { alertsOf, recordsOf } from '../profiles/kit/rule-kit.js';
import { prometheusBuilds } from './support/prometheus-builds.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ROOT = join(import.meta.dirname, '..');
const RULES = join(ROOT, 'rules');
const TESTS = join(RULES, 'tests');
const alerts = Object.values(ALL_RULE_SPECS).flatMap((s) => alertsOf(s.groups));

describe('alert rules follow our conventions', () => {
  it('has CamelCase names, unique across every file', () => {
    const names = alerts.map((a) => a.alert);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^[A-Z][A-Za-z0-9]*$/);
  });

  it('covers what issue 4 asks for', () => {
    expect(alerts.map((a) => a.alert)).toEqual(expect.arrayContaining([
      'FibreExporterDown', 'FibreExporterWithoutProbes', 'FibreNoBlockConnected', 'NodeosLibNotAdvancing', 'MinerHashrateDrop',
      'MinerTemperatureHigh', 'MinerLogStale', 'LokiDown', 'AlertmanagerDown', 'PrometheusRuleEvaluationFailures',
    ]));
  });

  it('gives every alert a runbook section in docs/runbooks.md', () => {
    const headings = new Set([...readFileSync(join(ROOT, 'docs', 'runbooks.md'), 'utf8').matchAll(/^#{2,4} (\S+)$/gm)].map((m) => m[1]));
    for (const a of alerts) expect(headings.has(a.alert), `## ${a.alert}`).toBe(true);
  });

  it('puts the stack rules in every stack, and one file per chosen profile', () => {
    expect(ruleFilesFor([]).map((r) => r.file)).toEqual(['stack.yml', 'host.yml']);
    expect(ruleFilesFor(['nodeos', 'scrape']).map((r) => r.file)).toEqual(['stack.yml', 'host.yml', 'nodeos.yml', 'scrape.yml']);
  });

  it("keeps the machine (site and host) wherever it keeps a node, instance or mount point: on a fleet hub two machines may have one of the same name", () => {
    const rules = Object.values(ALL_RULE_SPECS).flatMap((s) => [...alertsOf(s.groups), ...recordsOf(s.groups)]);
    const clauses = rules.flatMap((r) => [...r.expr.matchAll(/\b(?:by|on|without|ignoring)\s*\(([^)]*)\)/g)].map((m) => ({ rule: 'alert' in r ? r.alert : r.record, labels: m[1].split(',').map((l) => l.trim()) })));
    const keepingOne = clauses.filter((c) => c.labels.some((l) => ['node', 'instance', 'mountpoint'].includes(l)));
    expect(keepingOne.length).toBeGreaterThan(15);
    for (const c of keepingOne) expect(c.labels, c.rule).toEqual(expect.arrayContaining(['site', 'host']));
  });

  it('names recording rules level:metric:operations', () => {
    for (const r of Object.values(ALL_RULE_SPECS).flatMap((s) => recordsOf(s.groups))) expect(r.record).toMatch(/^[a-z_]+:[a-z0-9_]+:[a-z0-9_]+$/);
  });
});

describe('unit tests cover every alert firing and not firing', () => {
  const testFiles = readdirSync(TESTS).filter((f) => f.endsWith('.yml'));
  const cases = testFiles.flatMap((f) => {
    const doc = load(readFileSync(join(TESTS, f), 'utf8')) as Json;
    return (doc.tests as Json[]).flatMap((t) => (t.alert_rule_test ?? []) as Json[]);
  });

  it('has a test file for every rule file we ship', () => {
    expect(testFiles.sort()).toEqual(allRuleFiles().map((r) => r.file.replace('.yml', '.test.yml')).sort());
  });

  it.each(alerts.map((a) => a.alert))('%s', (name) => {
    const mine = cases.filter((c) => c.alertname === name);
    expect(mine.some((c) => (c.exp_alerts ?? []).length > 0), 'a firing case').toBe(true);
    expect(mine.some((c) => (c.exp_alerts ?? []).length === 0), 'a not-firing case').toBe(true);
  });
});

// Debian 12's promtool (2.42) and trixie's (2.53): a rule file must load in both.
describe.each(prometheusBuilds('promtool rules', ['promtool']))('promtool of $name', (build) => {
  const ruleFiles = readdirSync(RULES).filter((f) => f.endsWith('.yml')).map((f) => join(RULES, f));

  it('check rules accepts every rule file, without lint complaints', () => {
    const r = build.run('promtool', ['check', 'rules', '--lint-fatal', ...ruleFiles], { reads: [RULES] });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.match(/SUCCESS/g)).toHaveLength(ruleFiles.length);
  });

  it('test rules passes every unit test', () => {
    const files = readdirSync(TESTS).filter((f) => f.endsWith('.yml'));
    const r = build.run('promtool', ['test', 'rules', ...files], { cwd: TESTS, reads: [RULES] });
    expect(r.stdout + r.stderr).not.toMatch(/FAILED/);
    expect(r.status).toBe(0);
  });

  it('test rules fails when an expectation is wrong (the tests can fail)', () => {
    const text = readFileSync(join(TESTS, 'scrape.test.yml'), 'utf8')
      .replace('rule_files: [../scrape.yml]', `rule_files: [${join(RULES, 'scrape.yml')}]`)
      .replace('severity: warning', 'severity: critical');
    const dir = mkdtempSync(join(tmpdir(), 'rules-test-'));
    writeFileSync(join(dir, 'scrape.test.yml'), text);
    const r = build.run('promtool', ['test', 'rules', 'scrape.test.yml'], { cwd: dir, reads: [RULES] });
    expect(r.stdout + r.stderr).not.toMatch(/no file match/);
    expect(r.stdout + r.stderr).toMatch(/exp:[\s\S]*severity="critical"[\s\S]*got:[\s\S]*severity="warning"/);
    expect(r.status).toBe(1);
  });
});
