// Events per second through the stand-in bitcoind (scripts/lib/fake-bitcoind.c) -> bpftrace ->
// `fibre-stack exporter fibre`, checking that none is lost (events fired against the exporter's
// counter, and what bpftrace itself reported lost), side by side with bpftrace alone running the
// same program into a file on tmpfs (as cheap a reader as /dev/null, but one that can be
// counted); the highest rate each kept up with, as a ratio; and the CPU per 1,000 events/s of the
// exporter and of bpftrace, from /proc/PID/stat. Once per bpftrace build: the host's (0.17 on
// Debian 12) and Debian trixie's 0.23 (scripts/lib/bpftrace-trixie.sh, built once and cached).
// docs/ebpf-performance.md reads the figures. Needs root, bpftrace, gcc and taskset (and
// debootstrap for the trixie build).
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildProgram } from '../../exporter/bpf-program.js';
import { bpftraceEnv, bpftraceVersion, readsUsdtArg6, versionText } from '../../exporter/bpftrace-version.js';
import { stopChild } from '../../exporter/child-stop.js';
import { binaryProbes } from '../../exporter/ebpf-target.js';
import { packagePath } from '../../core/package-root.js';
import { compileFake, FakeBitcoind } from '../lib/fake-bitcoind.js';
import { median } from '../lib/stats.js';

const RUNS = 3;
/** Long enough that a burst overflows the kernel buffer of a reader that cannot keep up (0.17: 4 MiB a CPU, ~20,000 events). */
const SECONDS = 1;
/** Target rates in events/s; 0 fires as fast as the fake can. */
const RATES = [1000, 10_000, 25_000, 50_000, 75_000, 100_000, 125_000, 150_000, 0];
const MAX_BURST = 200_000;
const EVENT = 'reconstructed 00000000000000000001a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7 203.0.113.10:8336 318 332 3 9523 921001';
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

interface Run {
  achieved: number;
  fired: number;
  lost: number;
  /** What bpftrace itself reported lost (lost_events): events its kernel buffer had no room for. */
  bpftraceLost: number;
  /** CPU seconds per event of the reader (exporter, or nothing for bpftrace alone) and of bpftrace. */
  readerCpu: number;
  bpftraceCpu: number;
}

function missingPrerequisite(): string | undefined {
  if (process.getuid?.() !== 0) return 'root';
  for (const cmd of ['bpftrace', 'gcc', 'taskset']) {
    try {
      execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    } catch {
      return cmd;
    }
  }
  return undefined;
}

function cpuSeconds(pid: number | undefined): number {
  if (!pid) return 0;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / CLK_TCK; // utime + stime
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until read() reaches want or stops moving for a second. */
async function settle(read: () => Promise<number> | number, want: number): Promise<number> {
  let last = await read();
  let still = Date.now();
  const deadline = Date.now() + 20_000;
  while (last < want && Date.now() - still < 1000 && Date.now() < deadline) {
    await sleep(100);
    const now = await read();
    if (now !== last) still = Date.now();
    last = now;
  }
  return last;
}

interface Counts {
  /** Events the reader saw so far. */
  seen: number;
  /** Events bpftrace reported lost so far. */
  lost: number;
}

/** Fires bursts at each rate against a running reader; count() is what it saw so far. */
async function measure(fake: FakeBitcoind, count: () => Promise<Counts> | Counts, readerPid: number | undefined, bpftracePid: () => number | undefined): Promise<Map<number, Run[]>> {
  const results = new Map<number, Run[]>();
  for (const rate of RATES) {
    const runs: Run[] = [];
    for (let i = 0; i < RUNS; i++) {
      const burst = rate ? rate * SECONDS : MAX_BURST;
      const before = await count();
      const [readerBefore, bpfBefore] = [cpuSeconds(readerPid), cpuSeconds(bpftracePid())];
      const start = performance.now();
      const fired = await fake.fire(`repeat ${burst} ${rate ? 1e6 / rate : 0} ${EVENT}`);
      const elapsed = (performance.now() - start) / 1000;
      // Settled when everything fired is either seen or reported lost by bpftrace (or nothing moves for a second).
      let after = before;
      const accounted = async () => {
        after = await count();
        return after.seen + after.lost;
      };
      await settle(accounted, before.seen + before.lost + fired);
      // 0.17 reports the last losses of a full perf buffer with the next event written into it
      // (the fake is pinned to one CPU): one more event brings them to light.
      const trailer = await fake.fire(EVENT);
      await settle(accounted, before.seen + before.lost + fired + trailer);
      const seen = after.seen - before.seen;
      const [readerAfter, bpfAfter] = [cpuSeconds(readerPid), cpuSeconds(bpftracePid())];
      runs.push({ achieved: fired / elapsed, fired: fired + trailer, lost: fired + trailer - seen, bpftraceLost: after.lost - before.lost, readerCpu: (readerAfter - readerBefore) / fired, bpftraceCpu: (bpfAfter - bpfBefore) / fired });
    }
    results.set(rate, runs);
  }
  return results;
}

async function withExporter(binary: string, fake: FakeBitcoind, bpftrace: string): Promise<Map<number, Run[]>> {
  const args = ['exporter', 'fibre', '--bitcoind', binary, '--bpftrace', bpftrace, '--port', '0', '--health-port', '0'];
  const child = spawn(process.execPath, [packagePath('dist', 'cli', 'main.js'), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  try {
    while (!/serving (\S+\/metrics)/.test(out)) {
      if (child.exitCode !== null) throw new Error(`exporter exited: ${out}`);
      await sleep(50);
    }
    const url = /serving (\S+\/metrics)/.exec(out)![1];
    while ((await fetch(url.replace(/metrics$/, 'health'))).status !== 200) await sleep(100);
    await fake.waitEnabled('udp:block_reconstructed');
    const count = async () => {
      const text = await (await fetch(url)).text();
      return {
        seen: Number(/^fibre_blocks_reconstructed_total\{[^}]*\} (\S+)$/m.exec(text)?.[1] ?? 0),
        lost: Number(/^fibre_exporter_errors_total\{error_type="lost_events"\} (\S+)$/m.exec(text)?.[1] ?? 0),
      };
    };
    const bpftracePid = () => Number(execFileSync('pgrep', ['-P', String(child.pid), 'bpftrace'], { encoding: 'utf8' }).trim()) || undefined;
    return await measure(fake, count, child.pid, bpftracePid);
  } finally {
    // The exporter's own stop gives bpftrace 3 s; this leaves it room for that.
    await stopChild(child, 'SIGTERM', 10_000);
  }
}

async function bpftraceAlone(binary: string, fake: FakeBitcoind, dir: string, bpftrace: string): Promise<Map<number, Run[]>> {
  const version = bpftraceVersion(bpftrace);
  const program = buildProgram(readFileSync(packagePath('bpf', 'fibre.bt'), 'utf8'), binary, binaryProbes(binary), { usdtArg6: readsUsdtArg6(version) });
  const file = join(dir, 'bpftrace.out');
  const fd = openSync(file, 'w');
  const child = spawn(bpftrace, ['-f', 'json', '-p', String(fake.pid), '-e', program.text], { stdio: ['ignore', fd, 'ignore'], env: { ...process.env, ...bpftraceEnv(version) } });
  closeSync(fd);
  try {
    // Reads only what bpftrace wrote since the last call: the file grows to hundreds of MB.
    const totals = { seen: 0, lost: 0 };
    let offset = 0;
    let partial = '';
    const buffer = Buffer.alloc(1 << 20);
    const readFd = openSync(file, 'r');
    const printed = (): Counts => {
      for (let n; (n = readSync(readFd, buffer, 0, buffer.length, offset)) > 0; ) {
        offset += n;
        const lines = (partial + buffer.toString('latin1', 0, n)).split('\n');
        partial = lines.pop()!;
        for (const line of lines) {
          if (line.startsWith('{"type": "printf"')) totals.seen++;
          else if (line.startsWith('{"type": "lost_events"')) totals.lost += Number(/"events": (\d+)/.exec(line)?.[1] ?? 0);
        }
      }
      return { ...totals };
    };
    while (!readFileSync(file, 'utf8').includes('attached_probes')) {
      if (child.exitCode !== null) throw new Error('bpftrace exited before attaching');
      await sleep(100);
    }
    await fake.waitEnabled('udp:block_reconstructed');
    try {
      return await measure(fake, printed, undefined, () => child.pid);
    } finally {
      closeSync(readFd);
    }
  } finally {
    await stopChild(child, 'SIGINT');
  }
}

/** The most events of one run that were lost without bpftrace reporting them: what the reader itself dropped (or a report still pending). */
function unreported(runs: Run[]): number {
  return Math.max(...runs.map((r) => r.lost - r.bpftraceLost));
}

function rateName(rate: number): string {
  return rate ? `${rate.toLocaleString('en')}/s` : 'as fast as possible';
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en');
}

async function main(): Promise<void> {
  const missing = missingPrerequisite();
  if (missing) {
    console.error(`ebpf-events: needs ${missing} (run as root with bpftrace, gcc and taskset installed)`);
    process.exit(2);
  }
  const dir = mkdtempSync(join(tmpdir(), 'bench-ebpf-'));
  const binary = compileFake(dir);
  try {
    for (const bpftrace of builds()) await bench(binary, dir, bpftrace);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The host's bpftrace, and trixie's when it can be built here (said when not). */
function builds(): string[] {
  const host = execFileSync('sh', ['-c', 'command -v bpftrace'], { encoding: 'utf8' }).trim();
  const trixie = spawnSync('bash', [packagePath('scripts', 'lib', 'bpftrace-trixie.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (trixie.status !== 0) {
    console.log('(bpftrace 0.23 from trixie: not built here, see above; benchmarking the host\'s bpftrace only)');
    return [host];
  }
  return [host, trixie.stdout.trim().split('\n').pop()!];
}

async function bench(binary: string, dir: string, bpftrace: string): Promise<void> {
  const fake = FakeBitcoind.start(binary);
  fake.pin(0);
  try {
    const exporter = await withExporter(binary, fake, bpftrace);
    const alone = await bpftraceAlone(binary, fake, dir, bpftrace);
    console.log(
      `bpftrace ${versionText(bpftraceVersion(bpftrace))} (${bpftrace}): fibre udp:block_reconstructed events, ${RUNS} runs per rate ` +
        `(${SECONDS} s bursts; medians, max lost in brackets; "bpftrace lost" is what bpftrace reported lost_events: its kernel buffer was full; ` +
        `the machine is shared with other work, so figures vary between runs):`,
    );
    let bestExporter = 0;
    let bestAlone = 0;
    for (const rate of RATES) {
      const e = exporter.get(rate)!;
      const a = alone.get(rate)!;
      const eLost = Math.max(...e.map((r) => r.lost));
      const aLost = Math.max(...a.map((r) => r.lost));
      const eRate = median(e.map((r) => r.achieved));
      const aRate = median(a.map((r) => r.achieved));
      if (eLost === 0) bestExporter = Math.max(bestExporter, Math.min(...e.map((r) => r.achieved)));
      if (aLost === 0) bestAlone = Math.max(bestAlone, Math.min(...a.map((r) => r.achieved)));
      // CPU seconds per event x 1000 events/s = share of one core at 1,000 events/s.
      const cpu = (xs: number[]) => `${(median(xs) * 1000 * 100).toFixed(2)}%`;
      console.log(
        `  ${rateName(rate).padEnd(20)} exporter: ${fmt(eRate)} ev/s, lost ${fmt(median(e.map((r) => r.lost)))} [${fmt(eLost)}] (bpftrace lost ${fmt(median(e.map((r) => r.bpftraceLost)))}, not reported by it at most ${fmt(unreported(e))}), ` +
          `CPU per 1,000 ev/s: exporter ${cpu(e.map((r) => r.readerCpu))} of a core, its bpftrace ${cpu(e.map((r) => r.bpftraceCpu))} | ` +
          `bpftrace alone: ${fmt(aRate)} ev/s, lost ${fmt(median(a.map((r) => r.lost)))} [${fmt(aLost)}] (bpftrace lost ${fmt(median(a.map((r) => r.bpftraceLost)))}, not reported by it at most ${fmt(unreported(a))}), bpftrace CPU ${cpu(a.map((r) => r.bpftraceCpu))}`,
      );
    }
    console.log(
      `highest rate with no event lost in any run: exporter ${fmt(bestExporter)} ev/s; bpftrace alone ${fmt(bestAlone)} ev/s; ratio ${bestAlone ? (bestExporter / bestAlone).toFixed(2) : 'n/a'}`,
    );
  } finally {
    await fake.stop();
  }
}

await main();
