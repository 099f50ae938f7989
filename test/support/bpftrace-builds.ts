// The bpftrace builds the eBPF exporter suites run on: the host's (0.17 on Debian 12) and Debian
// trixie's 0.23, run chrooted from a cached debootstrapped root (scripts/lib/bpftrace-trixie.sh,
// a few minutes cold, instant warm). 0.20 and 0.24+ cannot run here; they are handled from their
// source (exporter/bpftrace-version.ts) and said so in the README.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseBpftraceVersion, versionText } from '../../exporter/bpftrace-version.js';
import { hasCommand, isRoot, prerequisites } from './prereq.js';

export interface BpftraceBuild {
  /** e.g. `0.17.0 (host)`. */
  name: string;
  /** What --bpftrace gets. */
  path: string;
}

const TRIXIE_SCRIPT = join(__dirname, '..', '..', 'scripts', 'lib', 'bpftrace-trixie.sh');

function version(path: string): string {
  const v = parseBpftraceVersion(spawnSync(path, ['--version'], { encoding: 'utf8' }).stdout ?? '');
  return v ? versionText(v) : 'unknown version';
}

/** The trixie wrapper, built if needed; undefined (with the reason) when it cannot be. */
function trixie(): { path?: string; problem?: string } {
  if (!isRoot()) return { problem: 'root privileges (for bpftrace 0.23 from trixie)' };
  if (!hasCommand('debootstrap')) return { problem: 'command debootstrap (for bpftrace 0.23 from trixie)' };
  const r = spawnSync('bash', [TRIXIE_SCRIPT], { encoding: 'utf8', timeout: 15 * 60_000 });
  if (r.status !== 0) return { problem: `bpftrace 0.23 from trixie (scripts/lib/bpftrace-trixie.sh failed: ${(r.stderr || '').trim().split('\n').slice(-3).join(' | ')})` };
  return { path: r.stdout.trim().split('\n').pop() };
}

/** Every build this machine can run for the suite; in CI a missing one fails the suite (prerequisites). */
export function bpftraceBuilds(suite: string): BpftraceBuild[] {
  const builds: BpftraceBuild[] = [];
  if (prerequisites(`${suite} on the host's bpftrace`, { commands: ['bpftrace', 'gcc', 'taskset'], root: true })) {
    const path = spawnSync('sh', ['-c', 'command -v bpftrace'], { encoding: 'utf8' }).stdout.trim();
    builds.push({ name: `${version(path)} (host)`, path });
  }
  let t: { path?: string; problem?: string } = {};
  if (prerequisites(`${suite} on trixie's bpftrace`, { commands: ['gcc', 'unshare', 'taskset'], root: true, check: () => (t = trixie()).problem })) {
    builds.push({ name: `${version(t.path!)} (Debian trixie root)`, path: t.path! });
  }
  return builds;
}
