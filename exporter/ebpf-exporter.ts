// What the eBPF exporters (fibre, bitcoin-core) share: check the environment, make the bpftrace
// program for the binary and the bpftrace build, serve the metrics, and keep bpftrace attached to
// the node's bitcoind (exporter/node-finder.ts) until SIGINT/SIGTERM. A profile supplies its program and the code that turns
// bpftrace's output into metric updates.
import { readFileSync } from 'node:fs';
import { UserError } from '../core/errors.js';
import type { MetricDef } from '../core/catalog.js';
import { buildProgram } from './bpf-program.js';
import { BpftraceSupervisor, type BpftraceTarget } from './bpftrace.js';
import { bpftraceEnv, bpftraceVersion, readsUsdtArg6, versionText, type BpftraceVersion } from './bpftrace-version.js';
import { binaryUsdtProbes, checkPid, checkTracingPrivilege, enabledProbes, findBpftrace, processAlive } from './ebpf-target.js';
import { NodeFinder } from './node-finder.js';
import { probeId } from './usdt-notes.js';
import type { MetricSet } from './metrics-registry.js';
import type { CommonExporterOptions } from './options.js';
import { packagePath } from '../core/package-root.js';
import { startRuntime, untilSignal } from './runtime.js';
import type { SelfMetrics } from './self-metrics.js';

export interface EbpfExporterOptions extends CommonExporterOptions {
  bitcoind: string;
  pid?: number;
  /** The node's data folder (where its bitcoind.pid and debug.log are): which bitcoind is the node. */
  datadir?: string;
  /** The bpftrace executable; the one on PATH when absent. */
  bpftrace?: string;
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
  /** What is lost when this bpftrace cannot read a probe's arg6 (before 0.24), said to the user. */
  withoutArg6?: Record<string, string>;
  handler(metrics: MetricSet, self: SelfMetrics, node: string, bpftrace: BpftraceVersion): EbpfHandler;
}

const MAX_LOGGED_BAD_LINES = 20;

export async function runEbpfExporter(opts: EbpfExporterOptions, collector: EbpfCollector): Promise<void> {
  const declared = binaryUsdtProbes(opts.bitcoind);
  const available = new Set(declared.map(probeId));
  if (opts.pid !== undefined) checkPid(opts.pid);
  const bpftrace = findBpftrace(opts.bpftrace);
  checkTracingPrivilege();
  // After the privilege check: a wrapper running bpftrace elsewhere (a chroot) may need root to start.
  const version = bpftraceVersion(bpftrace);
  const usdtArg6 = readsUsdtArg6(version);
  const program = buildProgram(readFileSync(packagePath('bpf', collector.program), 'utf8'), opts.bitcoind, available, {
    printMapsEverySeconds: collector.printMapsEverySeconds,
    usdtArg6,
  });
  if (program.probes.length === 0) {
    throw new UserError(
      `${opts.bitcoind} declares USDT probes, but none that this exporter reads (${program.missing.join(', ')}). ` +
        `Check with \`readelf -n ${opts.bitcoind} | grep -A4 stapsdt\` that this is the right bitcoind build.`,
    );
  }
  for (const probe of program.probes) say(`probe ${probe}: found in ${opts.bitcoind}`);
  for (const probe of program.missing) say(`probe ${probe}: not in this binary, skipped${collector.whyMissing?.[probe] ? ` (${collector.whyMissing[probe]})` : ''}`);
  say(`bpftrace ${versionText(version)} (${bpftrace})`);
  if (!usdtArg6) {
    for (const [probe, lost] of Object.entries(collector.withoutArg6 ?? {})) {
      if (program.probes.includes(probe)) say(`probe ${probe}: bpftrace ${versionText(version)} reads USDT arguments up to arg5 only (arg6 needs 0.24 or later): ${lost}`);
    }
  }
  const finder = new NodeFinder(opts.bitcoind, { datadir: opts.datadir, pid: opts.pid });
  // Several nodes run this binary and none was named: refuse now, with the way out (exit 2).
  finder.find(true);
  // The declared probes the program attaches: their semaphores prove the attach.
  const attachedProbes = declared.filter((p) => program.probes.includes(probeId(p)));

  let health = { ok: false, reason: 'starting' };
  const runtime = await startRuntime(opts, collector.metrics, { bitcoind_path: opts.bitcoind }, () => health);
  const { metrics, self } = runtime;
  const handler = collector.handler(metrics, self, opts.nodeName, version);
  const errors = metrics.counter('fibre_exporter_errors_total');
  let badLines = 0;

  const supervisor = new BpftraceSupervisor(
    {
      findTarget(): BpftraceTarget | { waiting: string } {
        const found = finder.find();
        if ('waiting' in found) return found;
        return { pid: found.pid, program };
      },
      isAlive: processAlive,
      onRunStart: (target) => {
        say(`attaching to pid ${target.pid} (${finder.nodeDescription})`);
        handler.newRun?.();
      },
      provenAttached: (target) => enabledProbes(target.pid, attachedProbes),
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
    { bpftrace, env: bpftraceEnv(version) },
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
