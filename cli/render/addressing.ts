// How services find each other, and where each finds its files: decided by where they run. In
// containers on the compose network they are reached by service name on the standard ports and
// read the stack's folders where those are mounted; as processes on one host they are reached on
// the bind address and read the stack folder itself. `placementOf` is the one place a run mode
// picks its placement; everything else asks the placement.
import type { StackSpec } from '../spec/types.js';
import type { Addressing } from '../../profiles/types.js';
import { CORE_SERVICES, type CoreService } from '../services/table.js';

/** Where a stack's services run: each in its container, or all as processes on this host. */
export type Placement = 'containers' | 'host';

export function placementOf(spec: Pick<StackSpec, 'mode'>): Placement {
  switch (spec.mode) {
    case 'docker':
      return 'containers';
    case 'native':
      return 'host';
  }
}

/** The value for a placement; a record, so a new placement is a compile error wherever one is chosen. */
export function byPlacement<T>(placement: Placement, choices: Record<Placement, T>): T {
  return choices[placement];
}

/** The name a container uses to reach the host (compose maps it with extra_hosts: host-gateway). */
export const DOCKER_HOST_ALIAS = 'host.docker.internal';

const LOOPBACK_HOST = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/;

/** How Prometheus reaches what the profiles ask it to scrape. */
export function addressing(spec: StackSpec): Addressing {
  return byPlacement<Addressing>(placementOf(spec), {
    containers: {
      exporter: (service, port) => `${service}:${port}`,
      // Inside a container, loopback is the container itself: the host's services are reached through the alias.
      host: (hostPort) => {
        const i = hostPort.lastIndexOf(':');
        const host = hostPort.slice(0, i);
        return LOOPBACK_HOST.test(host) ? `${DOCKER_HOST_ALIAS}:${hostPort.slice(i + 1)}` : hostPort;
      },
    },
    // Natively exporters listen on the bind address, like every other service.
    host: { exporter: (_service, port) => `${reachableHost(spec)}:${port}`, host: (hostPort) => hostPort },
  });
}

/** An address as the host part of host:port (IPv6 in brackets). */
export function hostPart(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}

/** Every interface: what a service bound there is reachable on. */
export function isWildcard(address: string): boolean {
  return address === '0.0.0.0' || address === '::';
}

/** Where a service's port is published or listens on the host: the bind address, but a fleet hub's vmauth (what nodes reach) on its own listen address. */
export function publishAddress(spec: StackSpec, service: CoreService): string {
  return service === 'vmauth' && spec.fleet?.role === 'hub' ? spec.fleet.listen_address : spec.bind_address;
}

/** The host this machine reaches the stack's services on: the bind address, or loopback when that is every interface. */
export function reachableHost(spec: StackSpec): string {
  return isWildcard(spec.bind_address) ? '127.0.0.1' : hostPart(spec.bind_address);
}

/** host:port of a core service as this machine reaches it: its published port, or where it listens natively. */
export function hostAddress(spec: StackSpec, service: CoreService): string {
  if (placementOf(spec) === 'containers' && CORE_SERVICES[service].hostAccess?.network) {
    const at = listenOn(spec, service);
    return `${isWildcard(at.host) ? '127.0.0.1' : hostPart(at.host)}:${at.port}`;
  }
  const at = publishAddress(spec, service);
  return `${isWildcard(at) ? '127.0.0.1' : hostPart(at)}:${spec.ports[service]}`;
}

/** host:port of a core service as other services of the stack reach it. */
export function serviceAddress(spec: StackSpec, service: CoreService): string {
  // A container on the host's network is not on the compose network: it is the host's.
  const inContainers = CORE_SERVICES[service].hostAccess?.network ? `${DOCKER_HOST_ALIAS}:${spec.ports[service]}` : `${service}:${CORE_SERVICES[service].port}`;
  return byPlacement(placementOf(spec), { containers: inContainers, host: hostAddress(spec, service) });
}

/** Where a core service listens: every interface on the standard port in its container, the bind address and spec port natively. */
export function listenOn(spec: StackSpec, service: CoreService, placement: Placement = placementOf(spec)): { host: string; port: number } {
  return byPlacement(placement, {
    containers: CORE_SERVICES[service].hostAccess?.network
      ? { host: hostNetworkListen(spec), port: spec.ports[service] }
      : { host: '0.0.0.0', port: CORE_SERVICES[service].port },
    host: { host: publishAddress(spec, service), port: spec.ports[service] },
  });
}

/**
 * Docker's default bridge gateway (dockerd's default `bip`), which compose's `host-gateway`
 * (DOCKER_HOST_ALIAS) names unless dockerd is told otherwise: the host address containers reach.
 */
export const DOCKER_BRIDGE_GATEWAY = '172.17.0.1';

/**
 * Where a container on the host's network listens in docker mode: the stack's containers reach
 * it through DOCKER_HOST_ALIAS, never on the host's loopback. A loopback bind address (the
 * default) becomes the bridge gateway, reachable from this host and its containers but not from
 * other machines; any other bind address the user chose is kept.
 */
function hostNetworkListen(spec: StackSpec): string {
  return LOOPBACK_HOST.test(hostPart(spec.bind_address)) ? DOCKER_BRIDGE_GATEWAY : spec.bind_address;
}

/** Where a service finds a file or folder of the stack folder: where it is mounted in its container, or as it is natively. */
export function stackPathFor(service: CoreService, stackPath: string, placement: Placement): string {
  switch (placement) {
    case 'host':
      return stackPath;
    case 'containers': {
      const mount = mountOf(service, stackPath);
      if (!mount) throw new Error(`${stackPath} is not mounted into the ${service} container`);
      return mount.container + stackPath.slice(mount.stack.length);
    }
  }
}

function mountOf(service: CoreService, stackPath: string) {
  return CORE_SERVICES[service].mounts.find((m) => stackPath === m.stack || stackPath.startsWith(`${m.stack}/`));
}

/** The config file a core service is started with: ours, or in a container where ours is not mounted, its image's; none for a service run by flags alone. */
function configFor(service: CoreService, placement: Placement): string | undefined {
  const def = CORE_SERVICES[service];
  if (def.config === undefined) return undefined;
  switch (placement) {
    case 'host':
      return def.config;
    case 'containers':
      if (mountOf(service, def.config)) return stackPathFor(service, def.config, placement);
      if (def.imageConfig) return def.imageConfig;
      throw new Error(`${def.config} is not mounted into the ${service} container, and its image has no config of its own`);
  }
}

/** Where a core service's program finds what it is started with, and where it listens. */
export interface RunPaths {
  placement: Placement;
  /** Its config file, if it has one. */
  config?: string;
  /** Its data folder, if it keeps data. */
  data?: string;
  /** host:port to listen on. */
  listen: string;
}

export function runPaths(spec: StackSpec, service: CoreService, placement: Placement = placementOf(spec)): RunPaths {
  const listen = listenOn(spec, service, placement);
  return {
    placement,
    config: configFor(service, placement),
    data: CORE_SERVICES[service].containerData === undefined ? undefined : byPlacement(placement, { containers: CORE_SERVICES[service].containerData, host: `data/${service}` }),
    listen: `${hostPart(listen.host)}:${listen.port}`,
  };
}

/** The paths of a service that has a config file and keeps data: every one but those run by flags alone. */
export type FiledPaths = RunPaths & { config: string; data: string };

/** `at`, for a service the table gives a config file and a data folder. */
export function filed(at: RunPaths): FiledPaths {
  if (at.config === undefined || at.data === undefined) throw new Error('this service has no config file or data folder in the table (cli/services/table.ts)');
  return at as FiledPaths;
}
