// A generated stack folder as the run commands see it: its spec and its .env, and the paths inside
// it that the native runner writes and deletes (checked to really be inside it).
import { existsSync, lstatSync, mkdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, relative, resolve, isAbsolute } from 'node:path';
import type { StackSpec } from '../spec/types.js';
import { readSpec } from '../io/spec-io.js';
import { ENV_FILE } from '../render/env.js';
import { parseEnvText } from '../../core/encode/env.js';
import { UserError } from '../../core/errors.js';

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

const within = (root: string, path: string) => {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

/**
 * The absolute path of `rel` in the stack folder, after checking that it really is there: the
 * deepest part of it that exists, symlinks resolved, must lie inside the folder's own real path.
 * A `data` or `logs` that is a symlink to elsewhere is refused, so that nothing the runner writes
 * or deletes (down --volumes) lands outside the stack.
 */
export function pathInStack(stackDir: string, rel: string): string {
  const root = realpathSync(stackDir);
  const path = resolve(stackDir, rel);
  if (!within(resolve(stackDir), path)) throw new UserError(`${rel} is not a path inside the stack folder ${stackDir}`);
  let existing = path;
  while (!existsSync(existing) && !isLinkAt(existing)) existing = dirname(existing);
  let real: string;
  try {
    real = realpathSync(existing);
  } catch {
    // A dangling symlink: it points nowhere, so nowhere inside.
    real = '(a dangling symlink)';
  }
  if (!within(root, real)) {
    throw new UserError(`${existing} leads to ${real}, outside the stack folder ${root}; fibre-stack only writes and deletes inside it: replace the symlink with a folder`);
  }
  return path;
}

function isLinkAt(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** pathInStack, then creates the folder (mode 0755). */
export function folderInStack(stackDir: string, rel: string): string {
  const path = pathInStack(stackDir, rel);
  mkdirSync(path, { recursive: true, mode: 0o755 });
  return pathInStack(stackDir, rel);
}
