// vitest's global setup: bundles the CLI into dist/ (scripts/build.mjs, about a second) before any
// test runs it, so a test never runs a bundle older than the sources it is meant to test.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export default function setup(): void {
  execFileSync(process.execPath, [join(import.meta.dirname, '..', '..', 'scripts', 'build.mjs')], { stdio: 'inherit' });
}
