// What `up` checks before compose runs, because compose would otherwise fail halfway with its raw
// error and leave part of the stack running: every host path the stack bind-mounts exists, every
// address it publishes or listens on is one of this host's, and no other program holds a port it
// publishes. All are read from docker-compose.yml (the file, not the spec: the user may have
// edited it), and a path or address is traced back to the spec key that set it.
import { existsSync } from 'node:fs';
import { createServer, isIP } from 'node:net';
import { resolve } from 'node:path';
import type Docker from 'dockerode';
import type { StackSpec } from '../spec/types.js';
import { HOST_LISTEN_LABEL } from '../render/compose.js';
import { DOCKER_BRIDGE_GATEWAY, isWildcard } from '../render/addressing.js';
import { exporterRuns } from '../render/stack-profiles.js';
import { PROFILES, type Registry } from '../../profiles/registry.js';
import type { StackDir } from './stack-dir.js';
import { describeListeners, listenersOn } from './listeners.js';

export interface ComposeService {
  image?: string;
  volumes?: (string | { type?: string; source?: string })[];
  ports?: (string | number | { published?: string | number; host_ip?: string })[];
  labels?: Record<string, string>;
}


/** The spec keys whose value is this host path or lies under it (profiles.miner.logs[0].path for /var/log/miner). */
export function specKeysFor(spec: StackSpec, hostPath: string): string[] {
  const out: string[] = [];
  const walk = (value: unknown, key: string) => {
    if (typeof value === 'string') {
      if (value === hostPath || value.startsWith(`${hostPath.replace(/\/+$/, '')}/`)) out.push(key);
    } else if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${key}[${i}]`));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, key ? `${key}.${k}` : k);
  };
  walk(spec, '');
  return out;
}

/**
 * The host paths exporters read (a bitcoind binary, a data folder, miner logs) that do not exist
 * here, by service, each with the spec key that sets it: said by `create`, and by native `up`
 * when an exporter fails (its own message names its command-line flag, which a stack user never typed).
 */
export function missingHostPaths(spec: StackSpec, registry: Registry = PROFILES): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const run of exporterRuns(spec, registry)) {
    const missing = run.hostPaths.filter((p) => !existsSync(p));
    if (missing.length === 0) continue;
    out.set(
      run.service,
      missing.map((path) => {
        const keys = specKeysFor(spec, path);
        return `${path} does not exist on this host${keys.length ? ` (${keys.join(', ')})` : ''}: correct it in fibre-stack.yml and run \`fibre-stack apply\`, or create it`;
      }),
    );
  }
  return out;
}

/** Host paths a service bind-mounts (long syntax type: bind, or a short `source:target` whose source is a path). */
export function bindSources(svc: ComposeService): string[] {
  return (svc.volumes ?? []).flatMap((v) => {
    if (typeof v === 'string') {
      const source = v.split(':')[0];
      return /^[./~]/.test(source) ? [source] : [];
    }
    return v.type === 'bind' && v.source ? [v.source] : [];
  });
}

/** Every bind-mounted host path of these services that does not exist here, with the spec key to correct. */
export function missingBindSources(stack: StackDir, services: ReadonlyMap<string, ComposeService>): string[] {
  return [...services].flatMap(([name, svc]) =>
    bindSources(svc)
      .filter((source) => !existsSync(resolve(stack.dir, source)))
      .map((source) => {
        const keys = specKeysFor(stack.spec, source);
        const fix = keys.length ? `set ${keys.join(', ')} in fibre-stack.yml to where it is on this host, then \`fibre-stack generate\`` : 'create it, or correct the path in docker-compose.yml';
        return `${name} mounts ${source}, which does not exist on this host: ${fix}`;
      }),
  );
}

/** An IPv6 address as compose writes it beside a port, `[::1]`, as addresses are written alone. */
const unbracket = (address: string) => address.replace(/^\[(.*)\]$/, '$1');

/** Host address and port of each port a service publishes, or holds itself on the host's network. */
export function publishedPorts(svc: ComposeService): { address: string; port: number }[] {
  const onHost = svc.labels?.[HOST_LISTEN_LABEL];
  if (onHost !== undefined) {
    const colon = onHost.lastIndexOf(':');
    return [{ address: unbracket(onHost.slice(0, colon)), port: Number(onHost.slice(colon + 1)) }];
  }
  return (svc.ports ?? []).flatMap((p) => {
    if (typeof p === 'object') return p.published === undefined ? [] : [{ address: p.host_ip ?? '0.0.0.0', port: Number(p.published) }];
    const parts = String(p).split(':');
    // ip:host:container, host:container, or a container port alone (published on a random port: nothing to check).
    if (parts.length < 2) return [];
    return [{ address: parts.length >= 3 ? unbracket(parts.slice(0, -2).join(':')) : '0.0.0.0', port: Number(parts[parts.length - 2]) }];
  });
}

/**
 * Whether a socket can be bound to this address here, the kernel's own answer: an address of an
 * interface that is up without a carrier counts (docker0 before any container joins it, which
 * os.networkInterfaces() leaves out), one no interface has (EADDRNOTAVAIL) does not.
 */
export function bindableHere(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => resolve(err.code !== 'EADDRNOTAVAIL'));
    server.listen({ host: address, port: 0 }, () => server.close(() => resolve(true)));
  });
}

/**
 * The addresses these services publish on, or listen on on the host's network, that this host
 * cannot bind, each with the services using it. Docker cannot bind them either ("cannot assign
 * requested address"), and compose finds out only at that service, the ones before it started.
 */
export async function foreignAddresses(services: ReadonlyMap<string, ComposeService>, bindable: (address: string) => Promise<boolean> = bindableHere): Promise<Map<string, string[]>> {
  const users = new Map<string, string[]>();
  for (const [name, svc] of services) {
    for (const { address } of publishedPorts(svc)) {
      const a = address.toLowerCase();
      if (isIP(a) === 0 || isWildcard(a)) continue;
      const those = users.get(a) ?? [];
      if (!those.includes(name)) users.set(a, [...those, name]);
    }
  }
  const out = new Map<string, string[]>();
  for (const [address, names] of users) if (!(await bindable(address))) out.set(address, names);
  return out;
}

/**
 * Each foreign address in words, with its fix. The docker bridge's default gateway is where a
 * loopback bind_address puts host-network services (render/addressing.ts); a dockerd with another
 * bridge (`bip`) needs bind_address set to that bridge's gateway, `bridge` here.
 */
export function foreignAddressProblems(foreign: ReadonlyMap<string, string[]>, spec: StackSpec, bridge: string | undefined): string[] {
  return [...foreign].map(([address, users]) => {
    const who = `${users.join(', ')} ${users.length > 1 ? 'use' : 'uses'} it`;
    if (address === DOCKER_BRIDGE_GATEWAY && address !== spec.bind_address.toLowerCase()) {
      const fix = bridge && bridge !== address
        ? `this dockerd's bridge gateway is ${bridge}: set bind_address: ${bridge} in fibre-stack.yml`
        : 'set bind_address in fibre-stack.yml to the address of the docker bridge (`docker network inspect bridge`)';
      return `${address}, docker's default bridge gateway, is not an address of this host (${who} on the host's network, where the containers reach it as host.docker.internal): ${fix}, then \`fibre-stack apply\``;
    }
    const fix = address === spec.bind_address.toLowerCase() ? 'set bind_address in fibre-stack.yml to one of its addresses (127.0.0.1 keeps the stack to this host), then `fibre-stack apply`' : 'correct it in docker-compose.yml';
    return `${address} is not an address of this host (${who}): ${fix}`;
  });
}

/** The container publishing a host port, in words (docker-proxy holds published ports, which says little). */
async function containerOnPort(docker: Docker, port: number): Promise<string | undefined> {
  const running = await docker.listContainers();
  const c = running.find((x) => x.Ports.some((p) => p.PublicPort === port));
  if (!c) return undefined;
  const project = c.Labels['com.docker.compose.project'];
  return `container ${c.Names[0]?.replace(/^\//, '') ?? c.Id.slice(0, 12)}${project ? ` (compose project ${project})` : ''}`;
}

/** Ports these services would publish that something else holds now, and who. */
export async function takenPorts(docker: Docker, services: ReadonlyMap<string, ComposeService>): Promise<string[]> {
  const out: string[] = [];
  for (const [name, svc] of services) {
    for (const { address, port } of publishedPorts(svc)) {
      const listeners = listenersOn(port, address);
      if (listeners.length === 0) continue;
      const owner = (await containerOnPort(docker, port)) ?? describeListeners(listeners);
      out.push(`${name}: port ${port} on ${address} is taken by ${owner}`);
    }
  }
  return out;
}
