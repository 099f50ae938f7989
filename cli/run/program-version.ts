// The version of a program found on PATH or in the cache, from its own `--version`: what native
// mode needs when a flag differs between the pinned release and an older packaged one (Debian's
// Prometheus 2.42 takes agent mode as a feature, v3 as a flag).
import { spawnSync } from 'node:child_process';

const seen = new Map<string, string | undefined>();

/** `prometheus, version 2.42.0+ds (branch: ...)` → `2.42.0`; undefined when the text names none. */
export function versionIn(text: string): string | undefined {
  return /\bversion v?(\d+\.\d+\.\d+)/.exec(text)?.[1];
}

/** The program's version (asked once per executable and run); undefined when it does not say. */
export function programVersion(executable: string): string | undefined {
  if (!seen.has(executable)) {
    const r = spawnSync(executable, ['--version'], { encoding: 'utf8', timeout: 10_000 });
    // Prometheus prints it on stdout, some Go programs on stderr.
    seen.set(executable, versionIn(`${r.stdout ?? ''}\n${r.stderr ?? ''}`));
  }
  return seen.get(executable);
}
