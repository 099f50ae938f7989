// Prerequisites of the tests that use real parts. Locally a missing tool skips its suite with a
// reason; under CI=true it fails the run, so a green CI never hides a test that did not run.
import { execFileSync } from 'node:child_process';

export const IN_CI = process.env.CI === 'true';

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

/**
 * Whether a suite can run. Returns false (skip) when something is missing outside CI; throws
 * under CI=true so the run fails loudly and names what is missing.
 */
export function prerequisites(suite: string, needs: { commands?: string[]; root?: boolean; check?: () => string | undefined }): boolean {
  const missing: string[] = [];
  for (const c of needs.commands ?? []) if (!hasCommand(c)) missing.push(`command ${c}`);
  if (needs.root && !isRoot()) missing.push('root privileges');
  const extra = needs.check?.();
  if (extra) missing.push(extra);
  if (missing.length === 0) return true;
  const msg = `${suite}: missing ${missing.join(', ')} (npm test installs them when run as root)`;
  if (IN_CI) throw new Error(msg);
  console.warn(`skipping ${msg}`);
  return false;
}
