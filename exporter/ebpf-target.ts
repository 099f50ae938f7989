// The environment an eBPF exporter needs, checked up front so a user gets one clear sentence
// (exit code 2) instead of a bpftrace failure loop: the binary, its USDT notes, bpftrace, the
// privileges, and the bitcoind process to attach to.
import { accessSync, closeSync, constants, openSync, readdirSync, readFileSync, readlinkSync, readSync, realpathSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import { probeId, readUsdtProbes, type UsdtProbe } from './usdt-notes.js';

/** Checks the binary and returns the `provider:name` of every USDT probe it declares. */
export function binaryProbes(binary: string): Set<string> {
  return new Set(binaryUsdtProbes(binary).map(probeId));
}

/** Checks the binary and returns every USDT probe it declares. */
export function binaryUsdtProbes(binary: string): UsdtProbe[] {
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
  return probes;
}

/** The bpftrace to run: the one given (--bpftrace, FIBRE_BPFTRACE), else the one on PATH. */
export function findBpftrace(given?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (given !== undefined) {
    try {
      accessSync(given, constants.X_OK);
      return given;
    } catch {
      throw new UserError(`--bpftrace ${given} is not an executable file: give the path of bpftrace (or a wrapper that runs it with the same arguments).`);
    }
  }
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

/**
 * How many of these probes have their semaphore set in process pid, that is, are enabled by a
 * tracer (bitcoind fires a probe only then: TRACEPOINT_ACTIVE, src/util/trace.h). bpftrace up to
 * 0.23 prints attached_probes before it attaches anything (exporter/bpftrace-version.ts), so this
 * is what proves an attach. A probe without a semaphore cannot be checked and is counted.
 */
export function enabledProbes(pid: number, probes: readonly UsdtProbe[]): number | 'unreadable' {
  const withSemaphore = probes.filter((p) => p.semaphoreFileOffset !== undefined);
  let enabled = probes.length - withSemaphore.length;
  if (withSemaphore.length === 0) return enabled;
  let fd: number;
  try {
    fd = openSync(`/proc/${pid}/mem`, 'r');
  } catch (err) {
    // Reading another user's memory takes CAP_SYS_PTRACE (a container with CAP_SYS_ADMIN only).
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') return 'unreadable';
    return 0;
  }
  try {
    const exe = statSync(`/proc/${pid}/exe`);
    // Mappings of the executable itself: "start-end perms offset dev inode path".
    const maps = readFileSync(`/proc/${pid}/maps`, 'utf8')
      .split('\n')
      .map((l) => l.split(/\s+/))
      .filter((f) => f.length >= 6 && Number(f[4]) === exe.ino)
      .map((f) => {
        const [start, end] = f[0].split('-').map((h) => BigInt(`0x${h}`));
        return { start, end, offset: BigInt(`0x${f[2]}`) };
      });
    const buf = Buffer.alloc(2);
    for (const p of withSemaphore) {
      const off = BigInt(p.semaphoreFileOffset!);
      const m = maps.find((r) => off >= r.offset && off < r.offset + (r.end - r.start));
      if (!m) continue;
      if (readSync(fd, buf, 0, 2, m.start + off - m.offset) === 2 && buf.readUInt16LE(0) > 0) enabled++;
    }
  } catch {
    // Gone meanwhile, or not ours to read: nothing proven.
  } finally {
    closeSync(fd);
  }
  return enabled;
}

/** The net-specific data folder of each chain (bitcoin/bitcoin@v30.0:src/chainparamsbase.cpp 43-52). */
const CHAIN_SUBDIRS: Record<string, string> = { main: '', test: 'testnet3', testnet4: 'testnet4', signet: 'signet', regtest: 'regtest' };

/**
 * The data folder a bitcoind process uses, as its command line says (values are attached with
 * `=`, `--x` is `-x`, `-nox` negates: bitcoin/bitcoin@v30.0:src/common/args.cpp 179-246): its
 * -datadir (relative to its working folder), else $HOME/.bitcoin, joined with the chain's
 * subfolder, where bitcoind.pid and debug.log are (src/init.cpp 166-175). A -conf file may move
 * both; that is not read here, so a node configured only there is told apart by its -conf.
 */
export function processNode(pid: number): { datadir: string; conf?: string } {
  const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(1);
  const opts = new Map<string, string>();
  for (const a of args) {
    const m = /^--?([^=]+)(?:=(.*))?$/.exec(a);
    if (!m) continue;
    if (m[1].startsWith('no') && m[2] === undefined) opts.set(m[1].slice(2), '0');
    else opts.set(m[1], m[2] ?? '1');
  }
  const cwd = () => readlinkSync(`/proc/${pid}/cwd`);
  let base = opts.get('datadir');
  if (base === undefined) {
    const home = /(?:^|\0)HOME=([^\0]*)/.exec(readFileSync(`/proc/${pid}/environ`, 'utf8'))?.[1] ?? '';
    base = join(home || '/', '.bitcoin');
  } else if (!isAbsolute(base)) base = resolve(cwd(), base);
  const on = (flag: string) => opts.has(flag) && opts.get(flag) !== '0';
  const chain = opts.get('chain') ?? (['regtest', 'signet', 'testnet4', 'testnet'].find(on)?.replace(/^testnet$/, 'test') ?? 'main');
  const datadir = join(base, CHAIN_SUBDIRS[chain] ?? chain);
  const conf = opts.get('conf');
  return { datadir, conf: conf === undefined ? undefined : isAbsolute(conf) ? conf : resolve(base, conf) };
}

/** The pid in DATADIR/bitcoind.pid, when the file is there and holds one. */
export function pidFileOf(datadir: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(datadir, 'bitcoind.pid'), 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
