// The environment an eBPF exporter needs, checked up front so a user gets one clear sentence
// (exit code 2) instead of a bpftrace failure loop: the binary, its USDT notes, bpftrace, the
// privileges, and the bitcoind process to attach to.
import { accessSync, constants, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { UserError } from '../core/errors.js';
import { probeId, readUsdtProbes } from './usdt-notes.js';

/** Checks the binary and returns the `provider:name` of every USDT probe it declares. */
export function binaryProbes(binary: string): Set<string> {
  let isFile = false;
  try {
    isFile = statSync(binary).isFile();
  } catch {
    throw new UserError(`bitcoind binary not found: ${binary}. Give the path of the bitcoind executable with --bitcoind.`);
  }
  if (!isFile) throw new UserError(`--bitcoind ${binary} is not a file: give the path of the bitcoind executable.`);
  let probes;
  try {
    probes = readUsdtProbes(binary);
  } catch (err) {
    throw new UserError(`cannot read ${binary} as an ELF executable (${err instanceof Error ? err.message : String(err)}): give the bitcoind binary itself, not a wrapper script.`);
  }
  if (probes.length === 0) {
    throw new UserError(
      `${binary} has no USDT tracepoints, so there is nothing to attach to. Check with \`readelf -n ${binary} | grep -A4 stapsdt\`; ` +
        'bitcoind must be built with tracepoints (./configure --enable-usdt, or -DWITH_USDT=ON with CMake, and systemtap-sdt-dev installed).',
    );
  }
  return new Set(probes.map(probeId));
}

/** The bpftrace executable on PATH. */
export function findBpftrace(env: NodeJS.ProcessEnv = process.env): string {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'bpftrace');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this directory.
    }
  }
  throw new UserError('bpftrace is not installed (or not on PATH). Install it: `apt-get install bpftrace` (Debian/Ubuntu), version 0.17 or later.');
}

const CAP_SYS_ADMIN = 21n;
const CAP_PERFMON = 38n;
const CAP_BPF = 39n;

/** Root, CAP_SYS_ADMIN, or CAP_BPF with CAP_PERFMON: what loading uprobes with bpftrace takes. */
export function checkTracingPrivilege(): void {
  if (process.getuid?.() === 0) return;
  const capEff = /^CapEff:\s*([0-9a-f]+)/m.exec(readFileSync('/proc/self/status', 'utf8'));
  const caps = capEff ? BigInt(`0x${capEff[1]}`) : 0n;
  const has = (cap: bigint) => (caps >> cap) & 1n;
  if (has(CAP_SYS_ADMIN) || (has(CAP_BPF) && has(CAP_PERFMON))) return;
  throw new UserError(
    'not enough privilege to attach eBPF probes: run as root (sudo), or give the exporter CAP_SYS_ADMIN (or CAP_BPF and CAP_PERFMON); ' +
      'in a container: --pid=host --cap-add SYS_ADMIN --security-opt seccomp=unconfined.',
  );
}

/** Whether pid is a running process (a zombie is not: it will never fire a probe again). */
export function processAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state follows the command name, which is in parentheses and may itself hold spaces.
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** Checks an explicit --pid. */
export function checkPid(pid: number): void {
  if (!processAlive(pid)) throw new UserError(`no process with pid ${pid}: check --pid (\`pgrep -a bitcoind\`), or leave it out to find bitcoind by its binary.`);
}

/**
 * The processes running binary, oldest first. Compared by file identity (device and inode through
 * /proc/PID/exe) and by real path, so a bind-mounted binary in a container matches too.
 * `hidden` counts processes whose executable we may not inspect (another user's, without
 * CAP_SYS_PTRACE): bitcoind may be among them.
 */
export function processesRunning(binary: string): { pids: number[]; hidden: number } {
  const want = statSync(binary);
  let wantPath = binary;
  try {
    wantPath = realpathSync(binary);
  } catch {
    // stat succeeded, so the path exists; keep it as given.
  }
  const found: { pid: number; start: number }[] = [];
  let hidden = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    try {
      const exe = statSync(`/proc/${pid}/exe`);
      const same = (exe.dev === want.dev && exe.ino === want.ino) || realpathSync(`/proc/${pid}/exe`) === wantPath;
      if (same && processAlive(pid)) found.push({ pid, start: startTime(pid) });
    } catch (err) {
      // Gone meanwhile or a kernel thread (ENOENT), or not ours to inspect (EACCES/EPERM).
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EPERM') hidden++;
    }
  }
  return { pids: found.sort((a, b) => a.start - b.start || a.pid - b.pid).map((p) => p.pid), hidden };
}

/** Clock ticks after boot at which pid started (field 22 of /proc/PID/stat). */
function startTime(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
}
