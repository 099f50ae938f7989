// The Docker daemon, through dockerode: is it there, which of the stack's containers run, and are
// they healthy. Containers are found by the labels compose puts on them, so this works the same
// with compose v1 and v2.
import type Docker from 'dockerode';
import { isIPv4 } from 'node:net';
import { sleep } from './probe.js';
import type { Say } from './runner.js';

export type DockerCheck = { ok: true; docker: Docker } | { ok: false; reason: string };

/** Connects and pings the daemon; says why when it cannot. */
export async function connectDocker(timeoutMs = 3000): Promise<DockerCheck> {
  // Loaded on demand: dockerode takes most of a second to import, which native mode never needs.
  const { default: DockerClient } = await import('dockerode');
  const docker = new DockerClient();
  try {
    await Promise.race([
      docker.ping(),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer in ${timeoutMs / 1000} s`)), timeoutMs)),
    ]);
    return { ok: true, docker };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const where = process.env.DOCKER_HOST ?? '/var/run/docker.sock';
    const reason =
      e.code === 'ENOENT' ? `Docker is not installed or its daemon is not running (no ${where})`
      : e.code === 'EACCES' ? 'no permission to talk to the Docker daemon (add yourself to the docker group, or run as root)'
      : e.code === 'ECONNREFUSED' ? 'the Docker daemon is not running (start it: systemctl start docker)'
      : `the Docker daemon does not answer: ${e.message}`;
    return { ok: false, reason };
  }
}

export interface ContainerState {
  service: string;
  id: string;
  /** running, exited, restarting, ... */
  state: string;
  /** healthy, unhealthy, starting, or none when the container has no healthcheck. */
  health: string;
  /** The last healthcheck output, to say why a container is unhealthy. */
  lastCheck?: string;
  /** Its exit code once it has stopped: 0 after a stop, else it crashed or was killed. */
  exitCode: number;
  /** Host ports it publishes (on any address). */
  publishedPorts: number[];
}

/** Compose v1 keeps only [a-z0-9_-] of a project name; v2 the same. Labels carry the normalised name. */
export function composeProjectLabel(project: string): string {
  return project.toLowerCase().replace(/[^a-z0-9_-]/g, '');
}

export async function stackContainers(docker: Docker, project: string): Promise<Map<string, ContainerState>> {
  const list = await docker.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${composeProjectLabel(project)}`] } });
  const out = new Map<string, ContainerState>();
  for (const c of list) {
    const service = c.Labels['com.docker.compose.service'];
    if (!service) continue;
    const info = await docker.getContainer(c.Id).inspect();
    const health = info.State.Health;
    const log = health?.Log ?? [];
    const bindings = Object.values(info.NetworkSettings?.Ports ?? {}).flatMap((b) => b ?? []);
    out.set(service, {
      service,
      id: c.Id,
      state: info.State.Status,
      health: health?.Status ?? 'none',
      lastCheck: log.length ? log[log.length - 1].Output.trim().slice(0, 200) : undefined,
      exitCode: info.State.ExitCode,
      publishedPorts: [...new Set(bindings.map((b) => Number(b.HostPort)).filter((p) => p > 0))],
    });
  }
  return out;
}

/**
 * The default bridge network's gateway, where compose's `host-gateway` (host.docker.internal)
 * leads unless dockerd's `host-gateway-ip` says otherwise: dockerd takes the bridge's first IPv4
 * IPAM gateway, else its first IPv6 one (moby/moby@v20.10.24 daemon/daemon_unix.go, "Set
 * HostGatewayIP to the default bridge's IP"). Undefined when docker has no bridge network.
 */
export async function bridgeGateway(docker: Docker): Promise<string | undefined> {
  let configs: { Gateway?: string }[];
  try {
    configs = (await docker.getNetwork('bridge').inspect()).IPAM?.Config ?? [];
  } catch {
    return undefined;
  }
  const gateways = configs.map((c) => c.Gateway).filter((g): g is string => Boolean(g));
  return gateways.find((g) => isIPv4(g)) ?? gateways[0];
}

export async function imageExists(docker: Docker, ref: string): Promise<boolean> {
  try {
    await docker.getImage(ref).inspect();
    return true;
  } catch {
    return false;
  }
}

export function containerHealthy(c: ContainerState | undefined): boolean {
  return c !== undefined && c.state === 'running' && (c.health === 'healthy' || c.health === 'none');
}

/** A container that is not running crashed when it died on its own (non-zero exit, restarting, dead); else it was stopped. */
export function containerCrashed(c: ContainerState | undefined): boolean {
  return c !== undefined && (c.state === 'restarting' || c.state === 'dead' || (c.state === 'exited' && c.exitCode !== 0));
}

/** Why a container is not healthy, in words. */
export function containerProblem(c: ContainerState | undefined): string {
  if (!c) return 'no container (not started)';
  if (containerCrashed(c)) return `crashed: container ${c.state}${c.state === 'exited' ? ` with code ${c.exitCode}` : ''} (fibre-stack logs ${c.service})`;
  if (c.state !== 'running') return `container ${c.state}`;
  return `health ${c.health}${c.lastCheck ? `: ${c.lastCheck}` : ''}`;
}

/**
 * Waits until every named service's container is running and healthy, printing each service's
 * progress as it changes. Returns the services that did not get there in time.
 */
export async function waitHealthy(docker: Docker, project: string, services: string[], say: Say, timeoutMs: number): Promise<string[]> {
  const width = Math.max(...services.map((s) => s.length));
  const shown = new Map<string, string>();
  const started = Date.now();
  let pending = [...services];
  for (;;) {
    const now = await stackContainers(docker, project);
    for (const s of pending) {
      const c = now.get(s);
      const text = containerHealthy(c)
        ? `healthy after ${((Date.now() - started) / 1000).toFixed(1)} s`
        : c ? `${c.state}, ${c.health === 'none' ? 'no healthcheck' : c.health}` : 'waiting for its container';
      const key = containerHealthy(c) ? 'healthy' : text;
      if (shown.get(s) !== key) {
        shown.set(s, key);
        say(`  ${s.padEnd(width)}  ${text}`);
      }
    }
    pending = pending.filter((s) => !containerHealthy(now.get(s)));
    // A container that exited will not become healthy by waiting (restart: unless-stopped aside).
    if (pending.length === 0 || Date.now() - started > timeoutMs) {
      for (const s of pending) say(`  ${s.padEnd(width)}  NOT healthy: ${containerProblem(now.get(s))}`);
      return pending;
    }
    await sleep(1000);
  }
}

/** The last lines a container wrote (stdout and stderr); empty when docker has none. */
export async function containerLogTail(docker: Docker, id: string, lines = 60): Promise<string> {
  try {
    const buf = (await docker.getContainer(id).logs({ stdout: true, stderr: true, tail: lines, follow: false })) as unknown as Buffer;
    // Without a TTY each chunk carries an 8-byte stream header; the text of one log line stays whole within its chunk.
    return buf.toString('utf8');
  } catch {
    return '';
  }
}
