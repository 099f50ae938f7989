// Prerequisites of the tests that use real parts. Locally a missing tool skips its suite with a
// reason; in CI it fails the run, so a green CI never hides a test that did not run. Every check
// of a real part (a command, root, the docker engine answering) goes through prerequisites().
import { execFileSync, spawnSync } from 'node:child_process';

/**
 * Whether the CI variable says this is a CI run: any non-empty value but "false" and "0".
 * CI systems do not agree on the value (GitHub Actions and GitLab set "true", others "1", some
 * their own name), so anything set counts, except the two ways of saying "no".
 * scripts/lib/ci.sh applies the same rule for the shell scripts.
 */
export function ciSet(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== 'false' && value !== '0';
}

export const IN_CI = ciSet(process.env.CI);

export function hasCommand(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v "$1"`, 'sh', cmd], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Why the docker engine cannot be used, or undefined when `docker info` gets its answer. */
function dockerEngineProblem(): string | undefined {
  if (!hasCommand('docker')) return 'command docker';
  // docker info exits non-zero when the CLI reaches no engine (DOCKER_HOST or the default socket).
  const r = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8', timeout: 30_000 });
  return r.status === 0 ? undefined : 'a docker engine answering (start dockerd)';
}

export interface Needs {
  commands?: string[];
  root?: boolean;
  /** The docker engine must answer, not only be installed. */
  docker?: boolean;
  check?: () => string | undefined;
}

/**
 * Whether a suite can run. Returns false (skip) when something is missing outside CI; throws
 * in CI so the run fails loudly and names what is missing.
 */
export function prerequisites(suite: string, needs: Needs, inCi = IN_CI): boolean {
  const missing: string[] = [];
  for (const c of needs.commands ?? []) if (!hasCommand(c)) missing.push(`command ${c}`);
  if (needs.root && !isRoot()) missing.push('root privileges');
  const engine = needs.docker ? dockerEngineProblem() : undefined;
  if (engine) missing.push(engine);
  const extra = needs.check?.();
  if (extra) missing.push(extra);
  if (missing.length === 0) return true;
  const msg = `${suite}: missing ${missing.join(', ')} (npm test installs them when run as root)`;
  if (inCi) throw new Error(msg);
  console.warn(`skipping ${msg}`);
  return false;
}
