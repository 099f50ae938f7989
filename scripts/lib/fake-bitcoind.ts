// Driving scripts/lib/fake-bitcoind.c (a stand-in for bitcoind with the real probe layout, not
// bitcoind): compile it, run it, and make it fire probes. Used by the eBPF exporter tests and the
// events/s benchmark.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { packagePath } from '../../core/package-root.js';

// Through the package root, so the compiled benchmark (dist/) finds the source too.
export const FAKE_SOURCE = packagePath('scripts', 'lib', 'fake-bitcoind.c');

/** Compiles the fake into dir/name; noRaceTime leaves out udp:block_race_time and udp:block_reconstruction_detail like older FIBRE builds. */
export function compileFake(dir: string, name = 'bitcoind', opts: { noRaceTime?: boolean } = {}): string {
  const out = join(dir, name);
  const r = spawnSync('gcc', ['-O2', '-Wall', ...(opts.noRaceTime ? ['-DNO_RACE_TIME'] : []), '-o', out, FAKE_SOURCE], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`gcc failed: ${r.stderr}`);
  return out;
}

export class FakeBitcoind {
  private readonly answers: string[] = [];
  private waiting: ((line: string) => void) | undefined;
  private readonly exited: Promise<void>;

  private constructor(private readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (this.waiting) {
        const w = this.waiting;
        this.waiting = undefined;
        w(line);
      } else this.answers.push(line);
    });
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  /** Starts it with bitcoind's arguments, e.g. `-datadir=/srv/a`, `-signet` (it writes bitcoind.pid there). */
  static start(binary: string, args: string[] = []): FakeBitcoind {
    return new FakeBitcoind(spawn(binary, args, { stdio: ['pipe', 'pipe', 'inherit'] }));
  }

  get pid(): number {
    return this.child.pid!;
  }

  /**
   * Keeps it on one CPU. bpftrace 0.17 writes events into one perf buffer per CPU, and the kernel
   * reports events a full buffer dropped only with the next event written into that same buffer
   * (a PERF_RECORD_LOST record, Linux kernel/events/ring_buffer.c __perf_output_begin): pinned,
   * one more event fired after a burst brings every loss of the burst to light.
   */
  pin(cpu: number): void {
    execFileSync('taskset', ['-p', '-c', String(cpu), String(this.pid)], { stdio: 'ignore' });
  }

  /** Sends one command and returns its one-line answer. */
  send(command: string): Promise<string> {
    const answer = new Promise<string>((resolve, reject) => {
      const queued = this.answers.shift();
      if (queued !== undefined) return resolve(queued);
      this.waiting = resolve;
      this.exited.then(() => reject(new Error(`fake bitcoind exited before answering ${command}`)));
    });
    this.child.stdin!.write(`${command}\n`);
    return answer;
  }

  /** Fires a command's probe(s); returns how many fired (0 when no tracer had enabled the probe). */
  async fire(command: string): Promise<number> {
    const answer = await this.send(command);
    const m = /^fired (\d+)$/.exec(answer);
    if (!m) throw new Error(`fake bitcoind: ${command} -> ${answer}`);
    return Number(m[1]);
  }

  /** Waits until a tracer has enabled the probe's semaphore. */
  async waitEnabled(probe: string, timeoutMs = 10_000): Promise<void> {
    const answer = await this.send(`wait ${probe} ${timeoutMs}`);
    if (answer !== 'ready') throw new Error(`probe ${probe} not enabled by a tracer within ${timeoutMs} ms (${answer})`);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }
}
