// Reading fibre-stack.yml and the secrets beside it.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { parseYaml } from '../../core/encode/yaml.js';
import type { StackSecrets, StackSpec } from '../spec/types.js';
import { SpecError } from '../../core/spec/reader.js';
import { readSpecDocument, type ReadOptions } from '../spec/validate.js';
import { ENV_FILE, parseSecrets } from '../render/env.js';
import { SPEC_FILE } from '../render/spec-file.js';
import { UserError } from '../../core/errors.js';

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

/** The stack's secrets: kept from an existing .env, made fresh where there is none. */
export function loadOrCreateSecrets(dir: string): StackSecrets {
  const path = join(dir, ENV_FILE);
  const existing = existsSync(path) ? parseSecrets(readFileSync(path, 'utf8')) : {};
  return { grafanaAdminPassword: existing.grafanaAdminPassword ?? newPassword() };
}
