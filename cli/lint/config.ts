// The lint configuration file: relaxes or excludes a rule per file, dashboard, panel, rule group or
// alert. Same name and shape as grafana/dashboard-linter's `.lint` (lint/configuration.go:
// `exclusions:` and `warnings:` by rule name, each with a `reason` and `entries`; an entry matches
// when every field it sets matches, a rule with no entries matches everywhere), read from the
// folder of each linted file, or given with `lint --config FILE` for every file. Our entries take
// `file`, `dashboard`, `panel`, `group` and `alert` (dashboard-linter's `targetIdx` has no use here).
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { parseYaml } from '../../core/encode/yaml.js';
import type { Finding } from './findings.js';

export const LINT_CONFIG_FILE = '.lint';

const ENTRY_FIELDS = ['file', 'dashboard', 'panel', 'group', 'alert', 'reason'] as const;
type Entry = Partial<Record<(typeof ENTRY_FIELDS)[number], string>>;

export interface LintConfig {
  /** Where it was read from: `file` entries are relative to its folder. */
  source: string;
  exclusions: ReadonlyMap<string, readonly Entry[]>;
  warnings: ReadonlyMap<string, readonly Entry[]>;
}

/** Thrown for a configuration file that cannot be read as one: a usage problem. */
export class LintConfigError extends Error {}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function section(doc: Record<string, unknown>, key: 'exclusions' | 'warnings', source: string): Map<string, Entry[]> {
  const out = new Map<string, Entry[]>();
  const raw = doc[key];
  if (raw === undefined || raw === null) return out;
  if (!isObject(raw)) throw new LintConfigError(`${source}: ${key} must be a mapping of rule names`);
  for (const [rule, value] of Object.entries(raw)) {
    const entries = isObject(value) ? value.entries ?? [] : value === null ? [] : undefined;
    if (!Array.isArray(entries)) throw new LintConfigError(`${source}: ${key}.${rule} must be a mapping with reason and entries (a list)`);
    out.set(rule, entries.map((e, i) => {
      if (!isObject(e)) throw new LintConfigError(`${source}: ${key}.${rule}.entries[${i}] must be a mapping`);
      for (const [k, v] of Object.entries(e)) {
        if (!(ENTRY_FIELDS as readonly string[]).includes(k)) throw new LintConfigError(`${source}: ${key}.${rule}.entries[${i}].${k}: unknown field; allowed: ${ENTRY_FIELDS.join(', ')}`);
        if (typeof v !== 'string') throw new LintConfigError(`${source}: ${key}.${rule}.entries[${i}].${k} must be a string`);
      }
      return e as Entry;
    }));
  }
  return out;
}

export function parseLintConfig(text: string, source: string): LintConfig {
  let doc: unknown = {};
  try {
    // An empty file configures nothing.
    if (text.trim()) doc = parseYaml(text);
  } catch (err) {
    throw new LintConfigError(`${source}: not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  if (doc === null || doc === undefined) doc = {};
  if (!isObject(doc)) throw new LintConfigError(`${source}: expected a mapping with exclusions and warnings`);
  for (const k of Object.keys(doc)) if (k !== 'exclusions' && k !== 'warnings') throw new LintConfigError(`${source}: unknown key ${k}; allowed: exclusions, warnings`);
  return { source, exclusions: section(doc, 'exclusions', source), warnings: section(doc, 'warnings', source) };
}

/** The names a finding's place gives: `dashboard "T" › panel "P" (id 3)`, `group "g" › alert "A"`. */
function placeOf(where: string): Entry {
  const named = (kind: string) => new RegExp(`(?:^| › )${kind} "((?:[^"\\\\]|\\\\.)*)"`).exec(where)?.[1];
  return { dashboard: named('dashboard'), panel: named('panel'), group: named('group'), alert: named('alert') };
}

function matches(entry: Entry, f: Finding, config: LintConfig): boolean {
  const place = placeOf(f.where);
  if (entry.file !== undefined) {
    const rel = relative(dirname(config.source), f.file);
    if (entry.file !== rel && entry.file !== basename(f.file)) return false;
  }
  return (['dashboard', 'panel', 'group', 'alert'] as const).every((k) => entry[k] === undefined || entry[k] === place[k]);
}

const listed = (rules: ReadonlyMap<string, readonly Entry[]>, f: Finding, config: LintConfig) => {
  const entries = rules.get(f.rule);
  return entries !== undefined && (entries.length === 0 || entries.some((e) => matches(e, f, config)));
};

/** The findings left once a configuration has excluded some and made others warnings. */
export function applyLintConfig(findings: readonly Finding[], config: LintConfig): Finding[] {
  return findings.flatMap((f) => {
    if (listed(config.exclusions, f, config)) return [];
    return [listed(config.warnings, f, config) ? { ...f, severity: 'warning' as const } : f];
  });
}

/** Applies the `.lint` of each finding's folder (read once per folder), or the one configuration given for all. */
export function applyLintConfigs(findings: readonly Finding[], given?: LintConfig): Finding[] {
  if (given) return applyLintConfig(findings, given);
  const byFolder = new Map<string, LintConfig | undefined>();
  const configFor = (file: string) => {
    const dir = dirname(file);
    if (!byFolder.has(dir)) byFolder.set(dir, readLintConfig(join(dir, LINT_CONFIG_FILE), false));
    return byFolder.get(dir);
  };
  return findings.flatMap((f) => {
    const config = configFor(f.file);
    return config ? applyLintConfig([f], config) : [f];
  });
}

/** Reads a configuration file; a missing one is undefined unless it was asked for by name. */
export function readLintConfig(path: string, required: boolean): LintConfig | undefined {
  let fd: number;
  try {
    // Opened without blocking: a FIFO (or device) named .lint is refused below, never waited on.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    if (!required && (err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new LintConfigError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    if (!fstatSync(fd).isFile()) throw new LintConfigError(`cannot read ${path}: not a regular file`);
    return parseLintConfig(readFileSync(fd, 'utf8'), path);
  } finally {
    closeSync(fd);
  }
}
