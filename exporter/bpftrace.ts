// The bpftrace runner: runs bpftrace as a child with `-f json` against one process, turns its
// output into typed messages, and keeps it running: when bpftrace dies while its target lives it
// is restarted with exponential backoff (counted as error_type="bpftrace_exit"); when the target
// exits (bpftrace -p exits with it) the next target is attached as soon as it appears.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { BpfProgram } from './bpf-program.js';
import { stopChild } from './child-stop.js';

/** One line of `bpftrace -f json` output (ABI.md section 3), typed. */
export type BpftraceMessage =
  | { kind: 'attached'; probes: number }
  | { kind: 'printf'; line: string }
  | { kind: 'map'; name: string; value: unknown }
  | { kind: 'lost'; events: number }
  | { kind: 'unknown'; line: string };

/** Parses one stdout line; empty lines and 0.17's bare `No probes to attach` give nothing to act on. */
export function parseBpftraceLine(raw: string): BpftraceMessage[] {
  const line = raw.trim();
  if (line === '' || line === 'No probes to attach') return [];
  let obj: { type?: unknown; data?: unknown };
  try {
    obj = JSON.parse(line);
  } catch {
    return [{ kind: 'unknown', line }];
  }
  const data = obj.data as Record<string, unknown> | string | undefined;
  switch (obj.type) {
    case 'attached_probes':
      return [{ kind: 'attached', probes: Number((data as Record<string, unknown>)?.probes ?? 0) }];
    case 'printf':
      return printfLines(String(data ?? ''));
    case 'map':
      return Object.entries((data ?? {}) as Record<string, unknown>).map(([name, value]) => ({ kind: 'map' as const, name, value }));
    case 'lost_events':
      return [{ kind: 'lost', events: Number((data as Record<string, unknown>)?.events ?? 0) }];
    default:
      return [{ kind: 'unknown', line }];
  }
}

// One printf may carry several lines, or (without a trailing newline) a part of one; ours always
// end each event with \n, so splitting on newlines gives whole events.
function printfLines(data: string): BpftraceMessage[] {
  const out: BpftraceMessage[] = [];
  let start = 0;
  for (let nl = data.indexOf('\n'); start < data.length; nl = data.indexOf('\n', start)) {
    const end = nl < 0 ? data.length : nl;
    if (end > start) out.push({ kind: 'printf', line: data.slice(start, end) });
    start = end + 1;
  }
  return out;
}

/**
 * Cuts a stream read in chunks into lines, without readline's per-line events: at a high event
 * rate Node reads bpftrace's pipe 64 KiB at a time, hundreds of lines per chunk.
 */
export class LineSplitter {
  private rest = '';

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: string): void {
    let start = 0;
    let text = chunk;
    if (this.rest !== '') {
      text = this.rest + chunk;
      this.rest = '';
    }
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      this.onLine(text.slice(start, nl));
      start = nl + 1;
    }
    if (start < text.length) this.rest = text.slice(start);
  }

  /** The last line, when the stream ended without a newline. */
  end(): void {
    if (this.rest !== '') this.onLine(this.rest);
    this.rest = '';
  }
}

/**
 * Turns the cumulative values bpftrace prints for a map into increments. bpftrace's maps start at
 * zero in every run, so the last-seen values are kept per run: a new run's first print counts in
 * full, and no increment is ever negative, so counters built from them never go back.
 */
export class MapDeltas {
  private last = new Map<string, number>();

  newRun(): void {
    this.last.clear();
  }

  /** The increment since the last print of map[key]. */
  delta(map: string, key: string, value: number): number {
    const id = `${map}\u0000${key}`;
    const before = this.last.get(id) ?? 0;
    this.last.set(id, value);
    // A smaller value means the map was cleared under us: everything it now holds is new.
    return value >= before ? value - before : value;
  }
}

/** What a run attaches to: the process and the program made for its binary. */
export interface BpftraceTarget {
  pid: number;
  program: BpfProgram;
}

export interface SupervisorHooks {
  /** The process to attach to now, or why there is none yet (polled until there is one). */
  findTarget(): BpftraceTarget | { waiting: string };
  isAlive(pid: number): boolean;
  /** A new bpftrace run starts: per-run state (map totals) must restart. */
  onRunStart(target: BpftraceTarget): void;
  /** How many of the target's USDT probes are proven attached (their semaphores set), or 'unreadable' when that cannot be read. */
  provenAttached(target: BpftraceTarget): number | 'unreadable';
  onMessage(msg: BpftraceMessage): void;
  /** USDT probes attached (0 while none is), with the reason when 0. */
  onStatus(attached: number, reason: string): void;
  onError(type: string): void;
  log(line: string): void;
}

export interface SupervisorOptions {
  bpftrace?: string;
  /** Variables for this bpftrace build (exporter/bpftrace-version.ts bpftraceEnv). */
  env?: Record<string, string>;
  /** How often to check the semaphores after bpftrace says it attached. */
  proofPollMs?: number;
  /** How often to look for the target process while there is none. */
  pollMs?: number;
  backoffStartMs?: number;
  backoffMaxMs?: number;
}

// Harmless stderr noise of bpftrace 0.17 and 0.23: the memlock rlimit it cannot raise in some
// containers (the kernel accounts BPF memory by cgroup now), and detach errors once the target is
// gone. The BPFTRACE_STRLEN warning of 0.20-0.23 is not here: that variable is never given to them.
const STDERR_NOISE = [/couldn't set RLIMIT_MEMLOCK/, /uprobe_events\): No such file/, /failed to detach probe/];

export class BpftraceSupervisor {
  private child: ChildProcess | undefined;
  private stopped = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly hooks: SupervisorHooks,
    private readonly opts: SupervisorOptions = {},
  ) {}

  start(): void {
    this.loop = this.run();
  }

  /** Stops bpftrace with SIGINT (it detaches its probes and resets the semaphores), then SIGKILL. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    if (this.child) await stopChild(this.child, 'SIGINT');
    await this.loop;
  }

  private async run(): Promise<void> {
    const backoffStart = this.opts.backoffStartMs ?? 1000;
    const backoffMax = this.opts.backoffMaxMs ?? 30_000;
    let backoff = backoffStart;
    let lastWaiting = '';
    while (!this.stopped) {
      const target = this.hooks.findTarget();
      if ('waiting' in target) {
        this.hooks.onStatus(0, target.waiting);
        if (target.waiting !== lastWaiting) this.hooks.log(target.waiting);
        lastWaiting = target.waiting;
        await this.sleep(this.opts.pollMs ?? 500);
        continue;
      }
      lastWaiting = '';
      const started = Date.now();
      const result = await this.runOnce(target);
      if (this.stopped) break;
      if (!this.hooks.isAlive(target.pid)) {
        // bpftrace -p exits with its target: a bitcoind restart, not a tracer failure.
        this.hooks.onStatus(0, `bitcoind (pid ${target.pid}) exited; waiting for it to start again`);
        this.hooks.log(`bitcoind (pid ${target.pid}) exited; waiting for the next process`);
        backoff = backoffStart;
        continue;
      }
      if (result.attached && Date.now() - started > backoffMax) backoff = backoffStart;
      this.hooks.onError('bpftrace_exit');
      const why = result.stderr.length > 0 ? `: ${result.stderr.slice(-3).join(' | ')}` : '';
      const reason = `bpftrace exited (${result.how})${why}; restarting in ${(backoff / 1000).toFixed(1)} s`;
      this.hooks.onStatus(0, reason);
      this.hooks.log(reason);
      await this.sleep(backoff);
      backoff = Math.min(backoff * 2, backoffMax);
    }
  }

  private runOnce(target: BpftraceTarget): Promise<{ how: string; stderr: string[]; attached: boolean }> {
    this.hooks.onRunStart(target);
    this.hooks.onStatus(0, `attaching probes to pid ${target.pid}`);
    const child = spawn(this.opts.bpftrace ?? 'bpftrace', ['-f', 'json', '-p', String(target.pid), '-e', target.program.text], {
      env: { ...process.env, ...this.opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const stderr: string[] = [];
    let attached = false;
    let proof: NodeJS.Timeout | undefined;
    // attached_probes does not prove an attach: up to 0.23 it is printed before anything is
    // attached, with the number of probes in the program (bpftrace/bpftrace@v0.17.0:src/bpftrace.cpp
    // 1111-1134, v0.23.5:src/bpftrace.cpp 876-896), and only from 0.24 after attaching
    // (v0.24.0:src/bpftrace.cpp 622-637). So on every build the probes count as attached once
    // their semaphores in the target are set.
    const prove = () => {
      const want = target.program.probes.length;
      let proven = this.hooks.provenAttached(target);
      if (proven === 'unreadable') {
        this.hooks.log(`cannot read the semaphores of pid ${target.pid} (give CAP_SYS_PTRACE); taking bpftrace's word that it attached`);
        proven = want;
      }
      if (proven < want) {
        this.hooks.onStatus(0, `bpftrace is attaching probes to pid ${target.pid} (${proven} of ${want} enabled)`);
        return;
      }
      clearInterval(proof);
      proof = undefined;
      attached = true;
      for (const probe of target.program.probes) this.hooks.log(`attached usdt ${probe} (pid ${target.pid})`);
      this.hooks.onStatus(want, 'OK');
    };
    const lines = new LineSplitter((line) => {
      for (const msg of parseBpftraceLine(line)) {
        if (msg.kind === 'attached' && proof === undefined && !attached) {
          proof = setInterval(prove, this.opts.proofPollMs ?? 100);
          prove();
        }
        this.hooks.onMessage(msg);
      }
    });
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => lines.push(chunk));
    child.stdout!.on('end', () => lines.end());
    createInterface({ input: child.stderr! }).on('line', (line) => {
      if (line.trim() === '' || STDERR_NOISE.some((re) => re.test(line))) return;
      stderr.push(line.trim());
      this.hooks.log(`bpftrace: ${line.trim()}`);
    });
    return new Promise((resolve) => {
      const finish = (how: string) => {
        clearInterval(proof);
        this.child = undefined;
        resolve({ how, stderr, attached });
      };
      // A spawn failure emits 'error' and possibly no 'close'.
      child.once('error', (err) => finish(err.message));
      child.once('close', (code, signal) => finish(signal ? `signal ${signal}` : `exit code ${code}`));
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
