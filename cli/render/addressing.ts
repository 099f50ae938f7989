// How services find each other: by compose service name on the compose network, or on loopback
// when everything runs natively on one host.
import type { StackSpec } from '../spec/types.js';
import type { Addressing } from '../../profiles/types.js';
import { type CoreService, DEFAULT_PORTS } from '../services/table.js';

/** Containers always listen on the standard ports; spec.ports only moves what is published. */
export const CONTAINER_PORTS = DEFAULT_PORTS;

/** The name a container uses to reach the host (compose maps it with extra_hosts: host-gateway). */
export const DOCKER_HOST_ALIAS = 'host.docker.internal';

const LOOPBACK_HOST = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/;

export function addressing(spec: StackSpec): Addressing {
  if (spec.mode === 'native') {
    // Natively exporters listen on the bind address, like every other service.
    return { exporter: (_service, port) => `${reachableHost(spec)}:${port}`, host: (hostPort) => hostPort };
  }
  return {
    exporter: (service, port) => `${service}:${port}`,
    // Inside a container, loopback is the container itself: the host's services are reached through the alias.
    host: (hostPort) => {
      const i = hostPort.lastIndexOf(':');
      const host = hostPort.slice(0, i);
      return LOOPBACK_HOST.test(host) ? `${DOCKER_HOST_ALIAS}:${hostPort.slice(i + 1)}` : hostPort;
    },
  };
}

/** An address as the host part of host:port (IPv6 in brackets). */
export function hostPart(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}

function isWildcard(address: string): boolean {
  return address === '0.0.0.0' || address === '::';
}

/** host:port of a core service as other services of the stack reach it. */
export function serviceAddress(spec: StackSpec, service: CoreService): string {
  if (spec.mode === 'docker') return `${service}:${CONTAINER_PORTS[service]}`;
  return `${reachableHost(spec)}:${spec.ports[service]}`;
}

/** Natively a service listens on the bind address; a wildcard one is reachable on loopback. */
function reachableHost(spec: StackSpec): string {
  return isWildcard(spec.bind_address) ? '127.0.0.1' : hostPart(spec.bind_address);
}

/** host:port a core service listens on: every interface inside its container, the bind address natively. */
export function listenAddress(spec: StackSpec, service: CoreService): string {
  return spec.mode === 'native' ? `${hostPart(spec.bind_address)}:${spec.ports[service]}` : `0.0.0.0:${CONTAINER_PORTS[service]}`;
}
