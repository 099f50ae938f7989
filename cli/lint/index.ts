// `fibre-stack lint`: collects dashboards (*.json) and rule files (*.yml, *.yaml, *.rules) from
// files and folders, lints each, checks dashboard uids across files, and runs promtool over the
// rule files it recognises.
import { readFileSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { Finding } from './findings.js';
import { parsePromtoolOutput, runPromtoolCheckRules } from './promtool.js';
import { applyLintConfigs, readLintConfig } from './config.js';
import { SPEC_FILE } from '../render/spec-file.js';

const DASHBOARD_EXT = new Set(['.json']);
const RULE_EXT = new Set(['.yml', '.yaml', '.rules']);

export interface LintOptions {
  /** Run promtool check rules when it is on PATH (default true). */
  promtool?: boolean;
  /** A lint configuration file for every file; else each file's folder's `.lint`, if any (config.ts). */
  config?: string;
}

export interface LintReport {
  /** Files read; promtool unit-test files (rules/tests/) are recognised and left to `promtool test rules`. */
  files: { dashboards: number; rules: number; unitTests: number };
  findings: Finding[];
  /** promtool check rules: ran, not on PATH, or not needed (no Prometheus rule file, or --no-promtool). */
  promtool: 'ran' | 'missing' | 'not-run';
}

/** Thrown for a path that does not exist: a usage problem, not a finding. */
export class MissingPathError extends Error {}

/** What a stack folder holds for the linter: its dashboards and its rule files. */
const STACK_LINTED = ['grafana/dashboards', 'prometheus/rules'];
const ignoreMissing = (err: unknown) => {
  if (!(err instanceof MissingPathError)) throw err;
};

export async function collectFiles(paths: readonly string[]): Promise<{ dashboards: string[]; rules: string[] }> {
  const dashboards: string[] = [];
  const rules: string[] = [];
  const visit = async (path: string, explicit: boolean): Promise<void> => {
    let info;
    try {
      info = await stat(path);
    } catch {
      throw new MissingPathError(`no such file or folder: ${path}`);
    }
    if (info.isDirectory()) {
      const entries = (await readdir(path)).filter((e) => !e.startsWith('.')).sort();
      // A stack folder: only its dashboards and rules are for the linter (its other YAML and JSON are configs).
      if (entries.includes(SPEC_FILE)) {
        for (const part of STACK_LINTED) if (entries.includes(part.split('/')[0])) await visit(join(path, part), false).catch(ignoreMissing);
        return;
      }
      for (const e of entries) await visit(join(path, e), false);
      return;
    }
    const ext = extname(path).toLowerCase();
    if (DASHBOARD_EXT.has(ext)) dashboards.push(path);
    else if (RULE_EXT.has(ext)) rules.push(path);
    else if (explicit) throw new MissingPathError(`${path}: not a dashboard (.json) or rule file (.yml, .yaml, .rules)`);
  };
  for (const p of paths) await visit(p, true);
  return { dashboards, rules };
}

export async function lintPaths(paths: readonly string[], opts: LintOptions = {}): Promise<LintReport> {
  // Read first: a configuration named but unreadable is a usage problem before any work.
  const config = opts.config === undefined ? undefined : readLintConfig(opts.config, true);
  const { dashboards, rules } = await collectFiles(paths);
  // promtool (a process of its own, and most of a lint's wall time) starts first, on every rule
  // file, and checks them while we lint; only its report on the files that turn out to be
  // Prometheus rule files is kept (a promtool test file, for one, is no rule file to it).
  const promtoolRun = opts.promtool !== false && rules.length > 0 ? runPromtoolCheckRules(rules) : Promise.resolve(undefined);
  // Awaited below; marked handled now, so a file that throws first leaves no stray rejection.
  promtoolRun.catch(() => undefined);
  // The linters (the PromQL and LogQL parsers among them) load once promtool is on its way.
  const [{ lintRuleText }, { lintDashboardText }] = await Promise.all([import('./rules.js'), import('./dashboard.js')]);
  const ruleFindings: Finding[] = [];
  const promRuleFiles: string[] = [];
  let unitTests = 0;
  for (const file of rules) {
    const result = lintRuleText(file, readFileSync(file, 'utf8'));
    ruleFindings.push(...result.findings);
    if (result.kind === 'prometheus') promRuleFiles.push(file);
    if (result.kind === 'promtool-test') unitTests++;
  }
  const findings: Finding[] = [];
  const uids = new Map<string, string>();
  for (const file of dashboards) {
    const result = lintDashboardText(file, readFileSync(file, 'utf8'));
    findings.push(...result.findings);
    if (result.uid) {
      const first = uids.get(result.uid);
      if (first) findings.push({ severity: 'error', rule: 'dashboard-uid-duplicate', file, where: `dashboard "${result.title ?? ''}"`, message: `uid "${result.uid}" is also the uid of ${first}; Grafana keeps only one of them` });
      else uids.set(result.uid, file);
    }
  }
  findings.push(...ruleFindings);
  const output = promRuleFiles.length > 0 ? await promtoolRun : undefined;
  const fromPromtool = output === undefined ? undefined : parsePromtoolOutput(output, promRuleFiles);
  if (fromPromtool) findings.push(...fromPromtool);
  const promtool = fromPromtool ? 'ran' : opts.promtool !== false && promRuleFiles.length > 0 ? 'missing' : 'not-run';
  return { files: { dashboards: dashboards.length, rules: rules.length - unitTests, unitTests }, findings: applyLintConfigs(findings, config), promtool };
}
