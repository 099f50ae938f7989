// Reading fibre-stack.yml and the secrets beside it.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load, YAMLException } from 'js-yaml';
import type { StackSecrets, StackSpec } from '../spec/types.js';
import { SpecError, validateSpec } from '../spec/validate.js';
import { ENV_FILE, parseSecrets } from '../render/env.js';
import { SPEC_FILE } from '../render/spec-file.js';
import { UserError } from '../../core/errors.js';

export function readSpec(dir: string): StackSpec {
  const path = join(dir, SPEC_FILE);
  if (!existsSync(path)) {
    throw new UserError(`no ${SPEC_FILE} in ${dir}: create a stack with \`fibre-stack create ${dir}\`, or pass --dir to the folder that has one`);
  }
  let raw: unknown;
  try {
    raw = load(readFileSync(path, 'utf8'));
  } catch (err) {
    const reason = err instanceof YAMLException ? err.message : String(err);
    throw new SpecError([{ key: '(file)', problem: `not valid YAML: ${reason}` }], path);
  }
  return validateSpec(raw, path);
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
