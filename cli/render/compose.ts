// docker-compose.yml: pinned images, a healthcheck on every service (using only what each image
// ships: ABI.md section 6, and the table's sources), start order by health, named volumes, ports
// bound to the bind address. Core services are built from the table and their renderers.
import { posix } from 'node:path';
import type { StackSpec } from '../spec/types.js';

import { dumpYaml } from '../../core/encode/yaml.js';
import { generatedFromSpec } from '../../core/generated.js';
import type { ExporterRun } from '../../profiles/types.js';
import type { Arg, HostFacts, RenderedFile } from './types.js';
import { DOCKER_HOST_ALIAS, hostPart, listenOn, publishAddress, runPaths, stackPathFor } from './addressing.js';
import { fleetHub } from './fleet-hub.js';
import { SERVICE_RENDERERS } from './core-services.js';
import { logSources } from './log-agent.js';
import { exporterRuns } from './stack-profiles.js';
import { withHost } from '../exporters.js';
import type { Registry } from '../../profiles/registry.js';
import { CORE_SERVICES, enabledServices, type CoreService, type HostAccess, type ImageProbe } from '../services/table.js';

type Service = Record<string, unknown>;


const INTERVALS = { interval: '10s', timeout: '5s', retries: 6 };

/** The healthcheck command that asks a readiness path with what the image ships, at `host` in the container's network. */
function probeTest(probe: ImageProbe, port: number, path: string, host = '127.0.0.1'): string[] | undefined {
  const url = `http://${host}:${port}${path}`;
  switch (probe.tool) {
    case 'wget':
      return ['CMD', 'wget', '-q', '-O', '/dev/null', url];
    case 'curl-or-wget':
      return ['CMD-SHELL', `curl -fsS -o /dev/null ${url} || wget -q -O /dev/null ${url}`];
    case 'bash-tcp':
      return ['CMD', 'bash', '-c', `exec 3<>/dev/tcp/127.0.0.1/${port} && printf 'GET ${path} HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n1 <&3 | grep -q ' 200 '`];
    case 'self':
      return ['CMD', ...probe.command];
    case 'none':
      return undefined;
  }
}

/**
 * How compose asks a service whether it is ready, or nothing when it cannot: a hub's vmauth that
 * speaks TLS can't be asked by busybox wget over plain HTTP, and answers /health only over TLS.
 */
function probeOf(spec: StackSpec, s: CoreService): ImageProbe {
  const hub = fleetHub(spec);
  if (s === 'vmauth' && hub && hub.tls.mode !== 'off') return { tool: 'none' };
  return CORE_SERVICES[s].healthcheck.probe;
}

/** Published port on the bind address only (loopback unless the user chose otherwise); a hub's vmauth on its fleet listen address. */
function publish(spec: StackSpec, service: CoreService): string {
  return `${hostPart(publishAddress(spec, service))}:${spec.ports[service]}:${CORE_SERVICES[service].port}`;
}

function bind(source: string, target: string, readOnly = true, propagation?: 'rslave') {
  // Long syntax: a path with ':' or spaces would break the short "src:dst:ro" form.
  return { type: 'bind', source, target, read_only: readOnly, ...(propagation ? { bind: { propagation } } : {}) };
}

/**
 * What a service watching the host is given of it (the table's hostAccess), all read-only; a folder
 * on a private mount of this host is bound without propagation, which dockerd would refuse (HostFacts).
 */
function hostAccessOf(spec: StackSpec, s: CoreService, access: HostAccess, host: HostFacts): { settings: Service; volumes: unknown[]; healthHost?: string } {
  const settings: Service = {
    ...(access.network ? { network_mode: 'host' } : {}),
    ...(access.pid ? { pid: 'host' } : {}),
    ...(access.devices ? { devices: access.devices.map((d) => `${d}:${d}`) } : {}),
    ...(access.unprivileged ? { read_only: true, cap_drop: ['ALL'] } : {}),
  };
  const volumes = access.mounts.map((m) => bind(m.host, m.container, true, host.privateMounts?.includes(m.host) ? undefined : m.propagation));
  // On the host's network it listens where the stack's containers reach the host (addressing.ts);
  // the label tells `up`'s preflight which host port it will hold, as `ports` do for the others.
  const at = listenOn(spec, s);
  const healthHost = access.network ? hostPart(at.host) : undefined;
  if (access.network) settings.labels = { ...projectLabel(spec), [HOST_LISTEN_LABEL]: `${hostPart(at.host)}:${at.port}` };
  return { settings, volumes, ...(healthHost ? { healthHost } : {}) };
}

const projectLabel = (spec: StackSpec) => ({ 'io.fibre-stack.project': spec.project });

/** On a service on the host's network: where it listens on the host (`host:port`), which `up` checks is free, as it does published ports. */
export const HOST_LISTEN_LABEL = 'io.fibre-stack.host-listen';

function base(spec: StackSpec, image: string): Service {
  return { image, restart: 'unless-stopped', security_opt: ['no-new-privileges:true'], labels: projectLabel(spec) };
}

/** An argument as the program sees it in its container: stack paths where they are mounted. */
function containerArg(service: CoreService, arg: Arg): string {
  return typeof arg === 'string' ? arg : stackPathFor(service, arg.stackPath, 'containers');
}

function coreService(spec: StackSpec, s: CoreService, running: ReadonlySet<CoreService>, profiles: Registry, facts: HostFacts): Service {
  const def = CORE_SERVICES[s];
  const command = SERVICE_RENDERERS[s].args(spec, runPaths(spec, s, 'containers')).map((a) => containerArg(s, a));
  // A log agent reads the host's log files, mounted read-only at the same paths.
  const logMounts = def.role === 'log-agent' ? [...new Set(logSources(spec, profiles).map((l) => posix.dirname(l.path)))].map((dir) => bind(dir, dir)) : [];
  const after = def.startsAfter.filter((d) => running.has(d));
  const host = def.hostAccess ? hostAccessOf(spec, s, def.hostAccess, facts) : undefined;
  const data = def.containerData === undefined ? [] : [`${s}-data:${def.containerData}`];
  const probe = probeTest(probeOf(spec, s), listenOn(spec, s).port, def.readyPath, host?.healthHost);
  // What it starts after: healthy where compose can tell, else started.
  const condition = (d: CoreService) => (probeOf(spec, d).tool === 'none' ? 'service_started' : 'service_healthy');
  return {
    ...base(spec, spec.images[s]),
    ...(command.length ? { command } : {}),
    ...(def.containerEnv ? { environment: { ...def.containerEnv } } : {}),
    ...host?.settings,
    volumes: [
      ...def.mounts.map((m) => bind(`./${m.stack}`, m.container)),
      ...data,
      ...logMounts,
      ...(host?.volumes ?? []),
      ...(SERVICE_RENDERERS[s].mounts?.(spec) ?? []).map((m) => bind(m.source, m.target)),
    ],
    // On the host's network a port is not published: the service listens on the host itself.
    ...(def.hostAccess?.network ? {} : { ports: [publish(spec, s)] }),
    // Scrape targets given as localhost (nodeos, extra targets) are the host's.
    ...(def.reachesHost ? { extra_hosts: [`${DOCKER_HOST_ALIAS}:host-gateway`] } : {}),
    ...(after.length ? { depends_on: Object.fromEntries(after.map((d) => [d, { condition: condition(d) }])) } : {}),
    ...(probe ? { healthcheck: { test: probe, ...INTERVALS, start_period: def.healthcheck.startPeriod } } : {}),
  };
}

/** Services in start order: each after those it starts after, otherwise in table order. */
function startOrder(services: CoreService[]): CoreService[] {
  const ordered: CoreService[] = [];
  const waiting = [...services];
  while (waiting.length) {
    const next = waiting.findIndex((s) => CORE_SERVICES[s].startsAfter.every((d) => ordered.includes(d) || !services.includes(d)));
    ordered.push(...waiting.splice(next === -1 ? 0 : next, 1));
  }
  return ordered;
}

function exporterService(spec: StackSpec, run: ExporterRun, host: HostFacts): Service {
  const service: Service = {
    ...base(spec, spec.images.exporter),
    command: withHost(run.args, '0.0.0.0'),
    read_only: true,
    tmpfs: ['/tmp'],
    // A binary is mounted as itself; a log by its folder, so that rotation and recreation
    // (a new inode) stay visible inside the container.
    volumes: [...new Set(run.hostPaths.map((p) => (run.ebpf ? p : posix.dirname(p))))].map((p) => bind(p, p)),
    healthcheck: {
      test: ['CMD', 'node', '-e', `fetch('http://127.0.0.1:${run.port}/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`],
      ...INTERVALS,
      start_period: '15s',
    },
  };
  if (run.ebpf) {
    // eBPF needs the host's PID namespace and root with CAP_SYS_ADMIN; CAP_SYS_PTRACE lets root
    // read /proc/PID/exe and maps of a bitcoind run by another user, to find it and attach to it.
    // Docker's default seccomp profile allows bpf() and perf_event_open() to a container granted
    // CAP_SYS_ADMIN, so it stays on, as does no-new-privileges. No memlock limit is raised: from
    // Linux 5.11 eBPF memory is charged to the cgroup, and a raised limit fails where dockerd
    // itself may not raise it. Never privileged.
    Object.assign(service, { pid: 'host', user: '0', cap_drop: ['ALL'], cap_add: ['SYS_ADMIN', 'SYS_PTRACE'] });
  } else {
    // The image's unprivileged user, in the groups that let it read the logs (no capability).
    const groups = [...new Set(run.hostPaths.flatMap((p) => host.readGroups?.[p] ?? []))].sort((a, b) => a - b);
    Object.assign(service, { cap_drop: ['ALL'], ...(groups.length ? { group_add: groups.map(String) } : {}) });
  }
  return service;
}

/** Compose interpolates `$` everywhere in the file; a literal `$` must be written `$$`. */
function escapeInterpolation<T>(value: T): T {
  if (typeof value === 'string') return value.replace(/\$/g, '$$$$') as T;
  if (Array.isArray(value)) return value.map(escapeInterpolation) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeInterpolation(v)])) as T;
  }
  return value;
}

/** docker-compose.yml: how the docker runner runs the stack. */
export function renderCompose(spec: StackSpec, profiles: Registry, host: HostFacts = {}): RenderedFile {
  const running = enabledServices(spec);
  const services: Record<string, Service> = Object.fromEntries(startOrder(running).map((s) => [s, coreService(spec, s, new Set(running), profiles, host)]));
  for (const run of exporterRuns(spec, profiles)) services[run.service] = exporterService(spec, run, host);
  const volumes = Object.fromEntries(
    Object.values(services)
      .flatMap((s) => (s.volumes as unknown[]).filter((v): v is string => typeof v === 'string'))
      .map((v) => [v.split(':')[0], {}]),
  );
  const escaped = escapeInterpolation({ services, volumes });
  // The one interpolation we mean: secrets from .env (compose refuses to start without them).
  for (const s of running) {
    for (const name of [...(CORE_SERVICES[s].fromDotenv ?? []), ...(SERVICE_RENDERERS[s].dotenv?.(spec) ?? [])]) {
      const environment = (escaped.services[s].environment ??= {}) as Record<string, string>;
      if (!(name in environment)) environment[name] = `\${${name}:?run fibre-stack generate to create .env}`;
    }
  }
  return { path: 'docker-compose.yml', content: dumpYaml(escaped, generatedFromSpec('#')) };
}
