// A docker-mode stack run natively (Docker missing, or `up --native`): its configs name services
// by compose name, which nothing on the host resolves, so the same spec is rendered for native
// mode into .fibre-stack/native/ and run from there. That folder is derived: `up` rewrites it
// each time, and the user's files in the stack folder stay as they are.
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { renderStack } from '../render/index.js';
import { writeStack, type WriteResult } from '../io/stack-writer.js';
import { loadPackageSources } from '../io/templates.js';
import { loadOrCreateSecrets } from '../io/spec-io.js';
import { shareReceiverSecrets } from '../io/receiver-secrets.js';
import { loadStack, type StackDir } from './stack-dir.js';
import { runDir } from './pidfile.js';

export const NATIVE_VARIANT_DIR = '.fibre-stack/native';

/** Renders the stack's native twin and returns it, with what changed in it; its data, logs and pid files live inside it. */
export function writeNativeVariant(stack: StackDir): { twin: StackDir; results: WriteResult[] } {
  const dir = join(stack.dir, NATIVE_VARIANT_DIR);
  const results = writeStack(dir, renderStack({ ...stack.spec, mode: 'native' }, loadOrCreateSecrets(stack.dir, stack.spec), loadPackageSources()), { force: true });
  shareReceiverSecrets(stack.dir, dir);
  // A fleet stack's token, CA and certificates are made at the edge, not rendered: the twin's
  // services read them relative to the twin, so they are copied in (modes kept: keys stay 0600).
  if (existsSync(join(stack.dir, 'fleet'))) cpSync(join(stack.dir, 'fleet'), join(dir, 'fleet'), { recursive: true, force: true, preserveTimestamps: true });
  return { twin: loadStack(dir), results };
}

/** The stack's native twin when `up` started it there (the twin has a run/ folder). */
export function runningNativeTwin(stack: StackDir): StackDir | undefined {
  const twin = join(stack.dir, NATIVE_VARIANT_DIR);
  return existsSync(runDir(twin)) ? loadStack(twin) : undefined;
}
