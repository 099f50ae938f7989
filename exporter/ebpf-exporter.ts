// What the eBPF exporters (fibre, bitcoin-core) share: check the environment, make the bpftrace
// program for the binary, serve the metrics, and keep bpftrace attached to whichever process runs
// the binary until SIGINT/SIGTERM. A profile supplies its program and the code that turns
// bpftrace's output into metric updates.
import { readFileSync } from 'node:fs';
import { UserError } from '../core/errors.js';
import type { MetricDef } from '../core/catalog.js';
import { buildProgram } from './bpf-program.js';
import { BpftraceSupervisor, type BpftraceTarget } from './bpftrace.js';
import { binaryProbes, checkPid, checkTracingPrivilege, findBpftrace, processAlive, processesRunning } from './ebpf-target.js';
import type { MetricSet } from './metrics-registry.js';
import type { CommonExporterOptions } from './options.js';
import { packagePath } from '../core/package-root.js';
import { startRuntime, untilSignal } from './runtime.js';
import type { SelfMetrics } from './self-metrics.js';

export interface EbpfExporterOptions extends CommonExporterOptions {
  bitcoind: string;
  pid?: number;
}

/** Turns bpftrace output into metric updates; made once per exporter. */
export interface EbpfHandler {
  /** One printf line; throws when it cannot be parsed. */
  printf(line: string): void;
  /** One map bpftrace printed, with its cumulative value(s). */
  map?(name: string, value: unknown): void;
  /** A new bpftrace run starts (its maps start from zero). */
  newRun?(): void;
}

export interface EbpfCollector {
  /** File name under bpf/. */
  program: string;
  metrics: readonly MetricDef[];
  /** For programs that count in kernel maps: how often bpftrace prints them. */
  printMapsEverySeconds?: number;
  /** Why a probe the program wants may be missing from a binary, said to the user. */
  whyMissing?: Record<string, string>;
  handler(metrics: MetricSet, self: SelfMetrics, node: string): EbpfHandler;
}

const MAX_LOGGED_BAD_LINES = 20;

export async function runEbpfExporter(opts: EbpfExporterOptions, collector: EbpfCollector): Promise<void> {
  const available = binaryProbes(opts.bitcoind);
  if (opts.pid !== undefined) checkPid(opts.pid);
  const bpftrace = findBpftrace();
  checkTracingPrivilege();
  const program = buildProgram(readFileSync(packagePath('bpf', collector.program), 'utf8'), opts.bitcoind, available, collector.printMapsEverySeconds);
  if (program.probes.length === 0) {
    throw new UserError(
      `${opts.bitcoind} declares USDT probes, but none that this exporter reads (${program.missing.join(', ')}). ` +
        `Check with \`readelf -n ${opts.bitcoind} | grep -A4 stapsdt\` that this is the right bitcoind build.`,
    );
  }
  for (const probe of program.probes) say(`probe ${probe}: found in ${opts.bitcoind}`);
  for (const probe of program.missing) say(`probe ${probe}: not in this binary, skipped${collector.whyMissing?.[probe] ? ` (${collector.whyMissing[probe]})` : ''}`);

  let health = { ok: false, reason: 'starting' };
  const runtime = await startRuntime(opts, collector.metrics, { bitcoind_path: opts.bitcoind }, () => health);
  const { metrics, self } = runtime;
  const handler = collector.handler(metrics, self, opts.nodeName);
  const errors = metrics.counter('fibre_exporter_errors_total');
  let badLines = 0;
  let pinned = opts.pid;

  const supervisor = new BpftraceSupervisor(
    {
      findTarget(): BpftraceTarget | { waiting: string } {
        if (pinned !== undefined) {
          if (processAlive(pinned)) return { pid: pinned, program };
          say(`pid ${pinned} (--pid) is gone; from now on following whichever process runs ${opts.bitcoind}`);
          pinned = undefined;
        }
        const { pids, hidden } = processesRunning(opts.bitcoind);
        if (pids.length === 0) {
          const why = hidden > 0 ? ` (${hidden} processes could not be inspected: give --pid, or CAP_SYS_PTRACE to see other users' processes)` : '';
          return { waiting: `bitcoind is not running: no process runs ${opts.bitcoind}${why}; waiting for one` };
        }
        if (pids.length > 1) say(`several processes run ${opts.bitcoind} (pids ${pids.join(', ')}); attaching to the oldest, ${pids[0]}. Give --pid to choose.`);
        return { pid: pids[0], program };
      },
      isAlive: processAlive,
      onRunStart: () => handler.newRun?.(),
      onMessage(msg) {
        switch (msg.kind) {
          case 'printf':
          case 'map':
            try {
              if (msg.kind === 'printf') handler.printf(msg.line);
              else handler.map?.(msg.name, msg.value);
            } catch (err) {
              self.error('unparseable_line');
              const what = msg.kind === 'printf' ? msg.line : `map ${msg.name}`;
              if (badLines++ < MAX_LOGGED_BAD_LINES) say(`ignored output of bpftrace (${err instanceof Error ? err.message : String(err)}): ${what}`);
            }
            break;
          case 'lost':
            // The perf buffer overflowed: events happened that no metric counts.
            errors.inc({ error_type: 'lost_events' }, msg.events);
            break;
          case 'unknown':
            self.error('bpftrace_output');
            break;
          case 'attached':
            break;
        }
      },
      onStatus(attached, reason) {
        self.probesAttached(attached);
        health = { ok: attached > 0, reason };
      },
      onError: (type) => self.error(type),
      log: say,
    },
    { bpftrace },
  );
  supervisor.start();
  const signal = await untilSignal();
  say(`${signal}: detaching probes and stopping`);
  await supervisor.stop();
  await runtime.close();
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}
