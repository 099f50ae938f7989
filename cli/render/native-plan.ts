// How each service of a stack runs as a plain process on the host (native mode): which program,
// with which arguments and environment, where its data lives and how to tell it is ready. Pure:
// the supervisor in cli/run/native.ts turns this into processes. Every service listens on
// loopback only; native mode is for one host.
import type { CoreService, StackSpec } from '../spec/types.js';
import { enabledServices } from '../spec/validate.js';
import { PROFILES } from '../../profiles/registry.js';
import type { ExporterRun } from '../../profiles/types.js';
import { PROFILE_IDS } from '../spec/types.js';

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

const LOOPBACK = '127.0.0.1';

const at = (port: number) => `${LOOPBACK}:${port}`;
const stack = (p: string): StackPath => ({ stackPath: p });

function bin(...names: string[]): Program {
  return { kind: 'binary', candidates: names.map((name) => ({ name, leadingArgs: [] })) };
}

function coreService(spec: StackSpec, s: CoreService): NativeService {
  const port = spec.ports[s];
  const dataDir = `data/${s}`;
  const base = { name: s, core: s, dataDir, port, env: {}, envFromDotenv: [] as string[] };
  switch (s) {
    case 'prometheus':
      return {
        ...base,
        program: bin('prometheus'),
        argv: [
          '--config.file', 'prometheus/prometheus.yml',
          '--storage.tsdb.path', dataDir,
          '--storage.tsdb.retention.time', spec.retention.metrics,
          '--web.listen-address', at(port),
        ],
        readyUrl: `http://${at(port)}/-/ready`,
      };
    case 'alertmanager':
      return {
        ...base,
        // Debian packages Alertmanager as prometheus-alertmanager.
        program: bin('alertmanager', 'prometheus-alertmanager'),
        argv: [
          '--config.file', 'alertmanager/alertmanager.yml',
          '--storage.path', dataDir,
          '--web.listen-address', at(port),
          // One host, one Alertmanager: an empty cluster address turns gossip off instead of
          // listening on 0.0.0.0:9094.
          '--cluster.listen-address=',
        ],
        readyUrl: `http://${at(port)}/-/ready`,
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
        argv: ['--config', stack('grafana/grafana.ini')],
        env: {
          GF_PATHS_DATA: stack(dataDir),
          GF_PATHS_LOGS: stack('logs/grafana'),
          GF_PATHS_PLUGINS: stack(`${dataDir}/plugins`),
          GF_PATHS_PROVISIONING: stack('grafana/provisioning'),
          GF_SERVER_HTTP_ADDR: LOOPBACK,
          GF_SERVER_HTTP_PORT: String(port),
        },
        envFromDotenv: ['GF_SECURITY_ADMIN_USER', 'GF_SECURITY_ADMIN_PASSWORD'],
        readyUrl: `http://${at(port)}/api/health`,
      };
    case 'loki':
      return {
        ...base,
        program: bin('loki'),
        argv: ['-config.file', 'loki/loki.yml'],
        readyUrl: `http://${at(port)}/ready`,
      };
    case 'promtail':
      return {
        ...base,
        program: bin('promtail'),
        argv: ['-config.file', 'promtail/promtail.yml'],
        readyUrl: `http://${at(port)}/ready`,
      };
    case 'alloy':
      return {
        ...base,
        program: { kind: 'binary', candidates: [{ name: 'alloy', leadingArgs: ['run'] }] },
        argv: ['alloy/config.alloy', '--server.http.listen-addr', at(port), '--storage.path', dataDir],
        readyUrl: `http://${at(port)}/-/ready`,
      };
  }
}

/** The exporters the stack's profiles need, in profile order. */
export function exporterRuns(spec: StackSpec): ExporterRun[] {
  const runs: ExporterRun[] = [];
  for (const id of PROFILE_IDS) {
    const profileSpec = spec.profiles[id];
    const exporter = PROFILES[id].exporter as ((p: typeof profileSpec) => ExporterRun) | undefined;
    // The registry types each entry by its own id; reading spec.profiles[id] for the same id pairs them.
    if (profileSpec && exporter) runs.push(exporter(profileSpec));
  }
  return runs;
}

function exporterService(run: ExporterRun): NativeService {
  return {
    name: run.service,
    program: { kind: 'fibre-stack' },
    argv: run.args,
    env: {},
    envFromDotenv: [],
    dataDir: `data/${run.service}`,
    port: run.port,
    readyUrl: `http://${at(run.port)}/health`,
  };
}

/** Every process native mode runs for this stack: the enabled core services, then exporters. */
export function nativePlan(spec: StackSpec): NativeService[] {
  return [...enabledServices(spec).map((s) => coreService(spec, s)), ...exporterRuns(spec).map(exporterService)];
}

/** An argument or variable with stack paths made absolute against the stack folder. */
export function resolveArg(arg: Arg, stackDir: string): string {
  return typeof arg === 'string' ? arg : `${stackDir.replace(/\/+$/, '')}/${arg.stackPath}`;
}
