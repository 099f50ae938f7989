// The services of a stack, as both runners see them: names (as in docker-compose.yml), where this
// host reaches each one and how to tell it is ready, and how each runs as a plain process on the
// host (the native runner turns that into processes). Pure. Flags come from the same renderers
// the compose file uses, so both runners run each program the same way; natively every service
// listens on the bind address (loopback unless the user chose otherwise).
import type { StackSpec } from '../spec/types.js';

import type { ExporterRun } from '../../profiles/types.js';
import { stackPath, type Arg } from './types.js';
import { hubReadyCa } from './fleet-hub.js';
import { hostAddress, reachableHost, runPaths } from './addressing.js';
import { SERVICE_RENDERERS } from './core-services.js';
import { exporterRuns } from './stack-profiles.js';
import { withHost } from '../exporters.js';
import { PROFILES } from '../../profiles/registry.js';
import { CORE_SERVICES, enabledServices, type BinaryCandidate, type CoreService } from '../services/table.js';

/** The program a service runs: a release binary known by one of several names, or fibre-stack
 * itself (the exporter), run with the same Node.js and package as the running CLI. */
export type Program =
  /** `image`: the image the spec pins, whose version native mode downloads when it has to. */
  | { kind: 'binary'; candidates: readonly BinaryCandidate[]; image: string }
  | { kind: 'fibre-stack' };

export interface StackService {
  /** Service name, as in docker-compose.yml: `prometheus`, `fibre-exporter`, ... */
  name: string;
  /** The core service this is, or undefined for an exporter. */
  core?: CoreService;
  /** How it answers that it is ready, from this host. */
  readyUrl: string;
  /** As a process on the host: its program, arguments and environment. */
  program: Program;
  argv: Arg[];
  env: Record<string, Arg>;
  /** Variables copied from the stack's .env when the process starts (secrets are never rendered). */
  envFromDotenv: string[];
  /** Its data folder on the host, relative to the stack folder; created before it starts. None: it keeps nothing. */
  dataDir?: string;
  /** The CA its readyUrl's TLS certificate is checked against (a fleet hub's generated one); absent: plain HTTP or the system's CAs. */
  readyCaFile?: Arg;
}

function coreService(spec: StackSpec, s: CoreService): StackService {
  const def = CORE_SERVICES[s];
  const at = runPaths(spec, s, 'host');
  const renderer = SERVICE_RENDERERS[s];
  return {
    name: s,
    core: s,
    // A hub's vmauth with TLS answers only over TLS (its certificate is for the hub's names; the runner trusts fleet/tls/ca.crt).
    readyUrl: `${s === 'vmauth' && spec.fleet?.role === 'hub' && spec.fleet.tls.mode !== 'off' ? 'https' : 'http'}://${hostAddress(spec, s)}${def.readyPath}`,
    program: { kind: 'binary', candidates: def.binaries, image: spec.images[s] },
    argv: renderer.args(spec, at),
    env: renderer.hostEnv?.(at) ?? {},
    envFromDotenv: [...(def.fromDotenv ?? []), ...(renderer.dotenv?.(spec) ?? [])],
    ...(at.data === undefined ? {} : { dataDir: at.data }),
    ...(s === 'vmauth' && hubReadyCa(spec) ? { readyCaFile: stackPath(hubReadyCa(spec)!) } : {}),
  };
}

function exporterService(spec: StackSpec, run: ExporterRun): StackService {
  return {
    name: run.service,
    readyUrl: `http://${reachableHost(spec)}:${run.port}/health`,
    program: { kind: 'fibre-stack' },
    // The exporter listens on every interface by default (for containers); natively, on the bind address.
    argv: withHost(run.args, spec.bind_address),
    env: {},
    envFromDotenv: [],
    dataDir: `data/${run.service}`,
  };
}

/** Every service of the stack (made with the package's profiles): the enabled core services, then the exporters, in start order. */
export function stackServices(spec: StackSpec): StackService[] {
  return [...enabledServices(spec).map((s) => coreService(spec, s)), ...exporterRuns(spec, PROFILES).map((run) => exporterService(spec, run))];
}

/** An argument or variable with stack paths made absolute against the stack folder. */
export function resolveArg(arg: Arg, stackDir: string): string {
  return typeof arg === 'string' ? arg : `${stackDir.replace(/\/+$/, '')}/${arg.stackPath}`;
}
