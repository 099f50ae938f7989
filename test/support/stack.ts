// Rendering stacks into temporary folders for tests.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderStack } from '../../cli/render/index.js';
import type { HostFacts, RenderedFile } from '../../cli/render/types.js';
import { loadPackageSources } from '../../cli/io/templates.js';
import { writeStack } from '../../cli/io/stack-writer.js';
import { defaultAnswers, specFromAnswers, type CreateAnswers } from '../../cli/spec/from-answers.js';
import type { StackSecrets, StackSpec } from '../../cli/spec/types.js';
import { fleetTokenVar } from '../../cli/spec/fleet.js';

export const TEST_SECRETS = { grafanaAdminPassword: 'test-password-not-a-default' };

export function tempDir(prefix = 'fibre-stack-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function specFor(overrides: Partial<CreateAnswers>): StackSpec {
  return specFromAnswers({ ...defaultAnswers('/tmp/stack'), ...overrides });
}

/** The test secrets, with a token for each node of a fleet hub (`token-<host>`). */
export function secretsFor(spec: StackSpec): StackSecrets {
  if (spec.fleet?.role !== 'hub') return TEST_SECRETS;
  return { ...TEST_SECRETS, fleetTokens: Object.fromEntries(spec.fleet.nodes.map((host) => [fleetTokenVar(host), `token-${host}`])) };
}

/** The stack's files; with `host`, as `generate` renders them on a host with those facts. */
export function render(spec: StackSpec, host: HostFacts = {}): RenderedFile[] {
  return renderStack(spec, secretsFor(spec), loadPackageSources(), host);
}

/** Renders and writes a stack; returns its folder. */
export function writeTempStack(spec: StackSpec, host: HostFacts = {}): string {
  const dir = tempDir();
  writeStack(dir, render(spec, host));
  return dir;
}

export function fileOf(files: RenderedFile[], path: string): string {
  const f = files.find((x) => x.path === path);
  if (!f) throw new Error(`no ${path} among ${files.map((x) => x.path).join(', ')}`);
  return f.content;
}
