// Mutation testing (`npm run mutation`, run by `npm test` after the suites): Stryker changes the
// modules where a silent break hurts most one small edit at a time, and each change must make a
// test of vitest.mutation.config.ts fail. A score under 80% fails the run.
//
// The modules are the `include` of tsconfig.mutation.json, which is also the TypeScript checker's
// project: mutants that do not compile are dropped before any test runs, and checking only these
// modules and what they import (not the whole CLI) makes that check take half the time.
//
// The incremental file is committed: a run on unchanged code and tests reuses its results and
// tests only the mutants of what changed. A full run takes about 20 minutes on two cores.
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The tests make their folders under os.tmpdir() and leave them to the run: `npm test` gives them
// one folder, removed at its end (test/support/build.ts, vitest's global setup, which Stryker's
// runs skip). Here the same, for Stryker's test runners, which inherit TMPDIR from this process:
// without it every mutant tested left folders in /tmp (670 in one run).
const testsTmp = mkdtempSync(join(tmpdir(), 'fibre-stack-mutation-'));
chmodSync(testsTmp, 0o1777);
process.env.TMPDIR = testsTmp;
process.once('exit', () => rmSync(testsTmp, { recursive: true, force: true }));

const { include: modules } = JSON.parse(readFileSync(new URL('./tsconfig.mutation.json', import.meta.url), 'utf8'));

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.mutation.json',
  coverageAnalysis: 'perTest',
  // A static mutant (in code run once at import: constant tables, module-level regexes) needs the
  // whole mutation suite run again in a fresh environment, which tripled a full run. What those
  // constants hold is still checked by the tests of the functions that use them.
  ignoreStatic: true,
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  concurrency: 2,
  mutate: modules,
  thresholds: { high: 90, low: 80, break: 80 },
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  ignorePatterns: ['dist', 'reports', 'coverage', '.cache', 'fibre-stack-demo'],
};
