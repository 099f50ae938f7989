// vitest's global setup: bundles the CLI into dist/ (scripts/build.mjs, about a second) before any
// test runs it, so a test never runs a bundle older than the sources it is meant to test; and
// gives the run one temporary folder, removed when the run ends.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  execFileSync(process.execPath, [join(import.meta.dirname, '..', '..', 'scripts', 'build.mjs')], { stdio: 'inherit' });
  // Tests make their stacks, logs and fixtures with mkdtemp under os.tmpdir() and most leave them
  // (a stack's processes may still hold them when a test ends): thousands of folders a day in
  // /tmp, which slowed every listing of it. The test processes inherit TMPDIR from here, so all of
  // them land in one folder, mode 1777 as /tmp is (services run as nobody reach their files).
  const root = mkdtempSync(join(tmpdir(), 'fibre-stack-tests-'));
  chmodSync(root, 0o1777);
  process.env.TMPDIR = root;
  return () => {
    try {
      rmSync(root, { recursive: true, force: true });
    } catch (err) {
      // Such as a tmpfs a failed test left mounted: the run's result stands, the folder is named.
      console.warn(`could not remove the tests' temporary folder ${root}: ${(err as Error).message}`);
    }
  };
}
