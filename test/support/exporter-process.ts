// Running `fibre-stack exporter ...` from the build as a long-lived process in tests: start it on
// free ports (--port 0), learn its URLs from what it prints, scrape it, stop it with SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { CLI } from './cli.js';
import { scrape, type Samples } from './scrape.js';

export class ExporterProcess {
  private out = '';
  private readonly exited: Promise<number | null>;
  metricsUrl = '';

  private constructor(private readonly child: ChildProcess) {
    child.stdout!.on('data', (d) => (this.out += d));
    child.stderr!.on('data', (d) => (this.out += d));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /** Starts the exporter and waits until it serves /metrics. */
  static async start(args: string[], timeoutMs = 30_000): Promise<ExporterProcess> {
    // Before a `--`: after it, everything is the recording's name.
    const end = args.includes('--') ? args.indexOf('--') : args.length;
    const argv = [...args.slice(0, end), '--port', '0', '--health-port', '0', ...args.slice(end)];
    const p = new ExporterProcess(spawn(process.execPath, [CLI, 'exporter', ...argv], { stdio: ['ignore', 'pipe', 'pipe'] }));
    const deadline = Date.now() + timeoutMs;
    while (!/serving (\S+\/metrics)/.test(p.out)) {
      if (p.child.exitCode !== null) throw new Error(`exporter exited with ${p.child.exitCode}:\n${p.out}`);
      if (Date.now() > deadline) throw new Error(`exporter did not start serving within ${timeoutMs} ms:\n${p.out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    p.metricsUrl = /serving (\S+\/metrics)/.exec(p.out)![1];
    return p;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Everything it printed so far. */
  get output(): string {
    return this.out;
  }

  scrape(): Promise<Samples> {
    return scrape(this.metricsUrl);
  }

  async health(): Promise<{ status: number; body: string }> {
    const res = await fetch(this.metricsUrl.replace(/\/metrics$/, '/health'));
    return { status: res.status, body: await res.text() };
  }

  /** SIGTERM, as docker stop sends; resolves with the exit code. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
    return this.exited;
  }
}
