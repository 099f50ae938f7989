// How each service of a stack runs as a plain process on the host (native mode): which program,
// with which arguments and environment, where its data lives and how to tell it is ready. Pure:
// the supervisor in cli/run/native.ts turns this into processes. Flags come from the same helpers
// the compose file uses, so both modes run each program the same way; every service listens on
// the bind address (loopback unless the user chose otherwise).
import type { StackSpec } from '../spec/types.js';

import type { ExporterRun } from '../../profiles/types.js';
import { listenAddress, serviceAddress } from './addressing.js';
import { prometheusFlags } from './prometheus.js';
import { alertmanagerFlags } from './alertmanager.js';
import { alloyArgs } from './log-agent.js';
import { exporterRuns } from './stack-profiles.js';
import { type CoreService, enabledServices } from '../services/table.js';

/** A path inside the stack folder. Most programs resolve relative paths against their working
 * directory (the stack folder); Grafana resolves them against its install folder, so the
 * supervisor makes these absolute at run time. */
export interface StackPath {
  stackPath: string;
}
export type Arg = string | StackPath;

/** The program a service runs: a release binary known by one of several names, or fibre-stack
 * itself (the exporter), run with the same Node.js and package as the running CLI. */
export type Program =
  | { kind: 'binary'; candidates: BinaryCandidate[] }
  | { kind: 'fibre-stack' };

export interface BinaryCandidate {
  /** File name looked up on PATH and in the cache, e.g. `grafana-server`. */
  name: string;
  /** Arguments that come before the service's own, e.g. `server` for `grafana server`. */
  leadingArgs: string[];
}

export interface NativeService {
  /** Service name, as in docker-compose.yml: `prometheus`, `fibre-exporter`, ... */
  name: string;
  /** The core service this is, or undefined for an exporter. Selects the release to download. */
  core?: CoreService;
  program: Program;
  argv: Arg[];
  env: Record<string, Arg>;
  /** Variables copied from the stack's .env when the process starts (secrets are never rendered). */
  envFromDotenv: string[];
  /** Folders the supervisor creates before starting, relative to the stack folder. */
  dataDir: string;
  port: number;
  readyUrl: string;
}

/** host:port of a service as seen from this host: the bind address (loopback by default). */
const hostAddress = (spec: StackSpec, s: CoreService) => serviceAddress({ ...spec, mode: 'native' }, s);
const stack = (p: string): StackPath => ({ stackPath: p });

function bin(...names: string[]): Program {
  return { kind: 'binary', candidates: names.map((name) => ({ name, leadingArgs: [] })) };
}

function coreService(spec: StackSpec, s: CoreService): NativeService {
  const native: StackSpec = { ...spec, mode: 'native' };
  const port = spec.ports[s];
  const dataDir = `data/${s}`;
  const base = { name: s, core: s, dataDir, port, env: {}, envFromDotenv: [] as string[] };
  const url = (path: string) => `http://${hostAddress(spec, s)}${path}`;
  const listen = listenAddress(native, s);
  switch (s) {
    case 'prometheus':
      return {
        ...base,
        program: bin('prometheus'),
        argv: prometheusFlags(spec, { config: 'prometheus/prometheus.yml', data: dataDir, listen }),
        readyUrl: url('/-/ready'),
      };
    case 'alertmanager':
      return {
        ...base,
        // Debian packages Alertmanager as prometheus-alertmanager.
        program: bin('alertmanager', 'prometheus-alertmanager'),
        argv: alertmanagerFlags({ config: 'alertmanager/alertmanager.yml', data: dataDir, listen }),
        readyUrl: url('/-/ready'),
      };
    case 'grafana':
      return {
        ...base,
        // Grafana 10+ ships `grafana server`; older installs and distro packages `grafana-server`.
        program: {
          kind: 'binary',
          candidates: [
            { name: 'grafana', leadingArgs: ['server'] },
            { name: 'grafana-server', leadingArgs: [] },
          ],
        },
        // grafana.ini holds the same paths, relative; Grafana would resolve those against its
        // install folder, so the variables (which win over the file) give them absolute.
        argv: ['--config', stack('grafana/grafana.ini')],
        env: {
          GF_PATHS_DATA: stack(dataDir),
          GF_PATHS_LOGS: stack(`${dataDir}/log`),
          GF_PATHS_PLUGINS: stack(`${dataDir}/plugins`),
          GF_PATHS_PROVISIONING: stack('grafana/provisioning'),
        },
        envFromDotenv: ['GF_SECURITY_ADMIN_USER', 'GF_SECURITY_ADMIN_PASSWORD'],
        readyUrl: url('/api/health'),
      };
    case 'loki':
      return { ...base, program: bin('loki'), argv: ['-config.file=loki/loki.yml'], readyUrl: url('/ready') };
    case 'promtail':
      return { ...base, program: bin('promtail'), argv: ['-config.file=promtail/promtail.yml'], readyUrl: url('/ready') };
    case 'alloy':
      return {
        ...base,
        program: bin('alloy'),
        argv: alloyArgs(native, { config: 'alloy/config.alloy', data: dataDir }),
        readyUrl: url('/-/ready'),
      };
  }
}

function exporterService(spec: StackSpec, run: ExporterRun): NativeService {
  // The exporter listens on every interface by default (for containers); natively, on the bind address.
  const reachAt = hostAddress(spec, 'prometheus').replace(/:\d+$/, '');
  return {
    name: run.service,
    program: { kind: 'fibre-stack' },
    argv: [...run.args, '--host', spec.bind_address],
    env: {},
    envFromDotenv: [],
    dataDir: `data/${run.service}`,
    port: run.port,
    readyUrl: `http://${reachAt}:${run.port}/health`,
  };
}

/** Every process native mode runs for this stack: the enabled core services, then exporters. */
export function nativePlan(spec: StackSpec): NativeService[] {
  return [...enabledServices(spec).map((s) => coreService(spec, s)), ...exporterRuns(spec).map((run) => exporterService(spec, run))];
}

/** An argument or variable with stack paths made absolute against the stack folder. */
export function resolveArg(arg: Arg, stackDir: string): string {
  return typeof arg === 'string' ? arg : `${stackDir.replace(/\/+$/, '')}/${arg.stackPath}`;
}
