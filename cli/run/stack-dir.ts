// A generated stack folder as the run commands see it: its spec and its .env.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { StackSpec } from '../spec/types.js';
import { readSpec } from '../io/spec-io.js';
import { ENV_FILE } from '../render/env.js';

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

/** .env as fibre-stack writes it (cli/encode/env.ts): NAME=value lines, never quoted. */
export function readDotenv(path: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return {};
  }
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m) env[m[1]] = m[2].trim();
  }
  return env;
}
