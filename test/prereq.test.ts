// The promise that CI fails when a prerequisite is missing: which CI values count, the same in
// TypeScript and in the shell scripts, and prerequisites() failing rather than skipping in CI,
// for a missing command and for a docker engine that does not answer.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ciSet, prerequisites } from './support/prereq.js';
import { ROOT } from './support/cli.js';

const VALUES: [string | undefined, boolean][] = [
  [undefined, false],
  ['', false],
  ['false', false],
  ['0', false],
  ['true', true],
  ['1', true],
  ['yes', true],
  ['woodpecker', true],
];

/** What scripts/lib/ci.sh's in_ci says for this value of CI (unset when undefined). */
function shellInCi(value: string | undefined): boolean {
  const env = { ...process.env };
  delete env.CI;
  if (value !== undefined) env.CI = value;
  const r = spawnSync('bash', ['-c', 'source scripts/lib/ci.sh && in_ci'], { cwd: ROOT, env });
  expect([0, 1], `in_ci exit for CI=${value}`).toContain(r.status);
  return r.status === 0;
}

describe('CI', () => {
  it.each(VALUES)('CI=%j counts as CI: %s, in prereq.ts and in scripts/lib/ci.sh', (value, expected) => {
    expect(ciSet(value)).toBe(expected);
    expect(shellInCi(value)).toBe(expected);
  });
});

describe('prerequisites', () => {
  const dockerHost = process.env.DOCKER_HOST;
  afterEach(() => {
    if (dockerHost === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = dockerHost;
  });

  it('in CI, throws naming every missing part', () => {
    expect(() => prerequisites('suite x', { commands: ['no-such-command-fibre-stack'], check: () => 'a corpus' }, true)).toThrow(
      new Error('suite x: missing command no-such-command-fibre-stack, a corpus (npm test installs them when run as root)'),
    );
  });

  it('outside CI, skips (returns false); with nothing missing, runs (returns true)', () => {
    expect(prerequisites('suite x', { commands: ['no-such-command-fibre-stack'] }, false)).toBe(false);
    expect(prerequisites('suite y', { commands: ['sh'] }, true)).toBe(true);
  });

  it.runIf(prerequisites('docker engine check', { commands: ['docker'] }))('in CI, fails when the docker engine does not answer, not only when docker is not installed', () => {
    process.env.DOCKER_HOST = `unix://${join(ROOT, 'no-docker-here.sock')}`;
    expect(() => prerequisites('docker suite', { docker: true }, true)).toThrow(
      new Error('docker suite: missing a docker engine answering (start dockerd) (npm test installs them when run as root)'),
    );
  });
});
