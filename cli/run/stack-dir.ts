// A generated stack folder as the run commands see it: its spec and its .env.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { StackSpec } from '../spec/types.js';
import { readSpec } from '../io/spec-io.js';
import { ENV_FILE } from '../render/env.js';
import { parseEnvText } from '../../core/encode/env.js';

export interface StackDir {
  dir: string;
  spec: StackSpec;
  /** Variables of the stack's .env (Grafana's admin credentials, the compose project name). */
  env: Record<string, string>;
}

export function loadStack(dir: string): StackDir {
  const abs = resolve(dir);
  return { dir: abs, spec: readSpec(abs), env: readDotenv(join(abs, ENV_FILE)) };
}

/** The stack's .env, or nothing when it has none. */
export function readDotenv(path: string): Record<string, string> {
  try {
    return parseEnvText(readFileSync(path, 'utf8'));
  } catch {
    return {};
  }
}
