// Reading fibre-stack.yml and the secrets beside it.
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { parseYaml } from '../../core/encode/yaml.js';
import type { StackSecrets, StackSpec } from '../spec/types.js';
import { SpecError } from '../../core/spec/reader.js';
import { readSpecDocument, type ReadOptions } from '../spec/validate.js';
import { ENV_FILE, parseSecrets } from '../render/env.js';
import { SPEC_FILE } from '../render/spec-file.js';
import { UserError } from '../../core/errors.js';
import { fleetTokenVar } from '../spec/fleet.js';
import { envLine } from '../../core/encode/env.js';

/**
 * The stack's fibre-stack.yml, read in the current version whatever version it is in, and the
 * version it was in (`generate` writes an older one back in the current version).
 */
export function readSpecFile(dir: string, options: Omit<ReadOptions, 'source'> = {}): { spec: StackSpec; fromVersion: number } {
  const path = join(dir, SPEC_FILE);
  if (!existsSync(path)) {
    throw new UserError(`no ${SPEC_FILE} in ${dir}: create a stack with \`fibre-stack create ${dir}\`, or pass --dir to the folder that has one`);
  }
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new SpecError([{ key: '(file)', problem: `not valid YAML: ${(err as Error).message}` }], path);
  }
  return readSpecDocument(raw, { ...options, source: path });
}

export function readSpec(dir: string): StackSpec {
  return readSpecFile(dir).spec;
}

/**
 * Before `generate` writes fibre-stack.yml anew in the current version: keeps the user's file of
 * an older version beside it, as fibre-stack.yml.v<version> (its comments, say), and says where.
 */
export function keepOlderSpecFile(dir: string, version: number): string {
  const kept = `${SPEC_FILE}.v${version}`;
  renameSync(join(dir, SPEC_FILE), join(dir, kept));
  return kept;
}

/** A fresh Grafana admin password: 32 random bytes, URL-safe base64 (safe in .env unquoted). */
export function newPassword(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The stack's secrets: kept from an existing .env, made fresh where there is none. For a fleet hub
 * (`spec`), a token for each of its nodes: 32 random bytes, URL-safe base64, like the password.
 */
export function loadOrCreateSecrets(dir: string, spec?: StackSpec): StackSecrets {
  const path = join(dir, ENV_FILE);
  const existing = existsSync(path) ? parseSecrets(readFileSync(path, 'utf8')) : {};
  const fleetTokens: Record<string, string> = { ...existing.fleetTokens };
  if (spec?.fleet?.role === 'hub') for (const host of spec.fleet.nodes) fleetTokens[fleetTokenVar(host)] ??= newPassword();
  return { grafanaAdminPassword: existing.grafanaAdminPassword ?? newPassword(), ...(Object.keys(fleetTokens).length ? { fleetTokens } : {}) };
}

/**
 * `generate` keeps .env as the user left it; a node added to a hub's fleet.nodes still needs its
 * token there (vmauth reads it from the environment). Appends a fresh token for each node .env
 * lacks, leaving every other line alone; returns the nodes it made tokens for.
 */
export function addFleetTokens(dir: string, spec: StackSpec): string[] {
  const path = join(dir, ENV_FILE);
  if (spec.fleet?.role !== 'hub' || !existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  const have = parseSecrets(text).fleetTokens ?? {};
  const missing = spec.fleet.nodes.filter((host) => !have[fleetTokenVar(host)]);
  if (missing.length) appendFileSync(path, (text.endsWith('\n') || !text ? '' : '\n') + missing.map((host) => envLine(fleetTokenVar(host), newPassword())).join('\n') + '\n');
  return missing;
}
