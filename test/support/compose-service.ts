// One service of a rendered docker-compose.yml run with dockerode on a local test image, as compose
// would run it: every key the renderer writes becomes its container setting, and a key this does
// not know fails the test rather than being dropped, so no service is run with less than its
// compose file gives it. Only the image is swapped for the local build of the same program.
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import Docker from 'dockerode';
import { load } from 'js-yaml';

export type ComposeService = Record<string, unknown>;

/** The service `name` of the docker-compose.yml in `stackDir`. */
export function composeService(stackDir: string, name: string): ComposeService {
  const compose = load(readFileSync(join(stackDir, 'docker-compose.yml'), 'utf8')) as { services: Record<string, ComposeService> };
  const svc = compose.services[name];
  if (!svc) throw new Error(`no service ${name} in ${stackDir}/docker-compose.yml`);
  return svc;
}

/** A compose string as the container gets it: `$$` is a literal `$`; anything else with `$` is interpolation, which this does not do. */
function literal(value: unknown): string {
  if (typeof value !== 'string') throw new Error(`expected a string, got ${JSON.stringify(value)}`);
  return value.replace(/\$\$|\$/g, (m) => {
    if (m === '$') throw new Error(`${value}: compose would interpolate it, which these tests do not`);
    return '$';
  });
}

const strings = (value: unknown) => (value as unknown[]).map(literal);

/** A compose duration (`10s`, `500ms`, `1m`) in nanoseconds, as the engine takes it. */
function nanoseconds(duration: unknown): number {
  const m = /^(\d+)(ms|s|m|h)$/.exec(String(duration));
  if (!m) throw new Error(`unsupported compose duration ${String(duration)}`);
  return Number(m[1]) * { ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 }[m[2] as 'ms' | 's' | 'm' | 'h'];
}

interface LongVolume { type: string; source: string; target: string; read_only?: boolean; bind?: { propagation?: string } }

/** A compose volume as an engine mount: a bind (a relative source is in the stack folder), or a named volume as a fresh anonymous one. */
function mountOf(stackDir: string, volume: unknown): Docker.MountSettings {
  if (typeof volume === 'string') {
    const [name, target, ...rest] = volume.split(':');
    if (!target || rest.length || name.startsWith('.') || name.startsWith('/')) throw new Error(`unsupported short volume ${volume}`);
    // A named volume compose creates empty is, for one run, what an anonymous volume is.
    return { Type: 'volume', Source: '', Target: target };
  }
  const v = volume as LongVolume;
  const known = new Set(['type', 'source', 'target', 'read_only', 'bind']);
  const unknown = Object.keys(v).filter((k) => !known.has(k));
  if (v.type !== 'bind' || unknown.length || Object.keys(v.bind ?? {}).some((k) => k !== 'propagation')) throw new Error(`unsupported volume ${JSON.stringify(v)}`);
  return {
    Type: 'bind',
    Source: isAbsolute(v.source) ? v.source : join(stackDir, v.source),
    Target: v.target,
    ReadOnly: v.read_only === true,
    ...(v.bind?.propagation ? { BindOptions: { Propagation: v.bind.propagation as Docker.MountPropagation } } : {}),
  };
}

/**
 * How the engine creates the service's container, on `image`. Left out, each for its reason:
 * `image` (the local build replaces it), `restart` (what the engine does once the program has
 * stopped: a test must see it stopped), `ports` (the tests reach a service inside its container or
 * on the host's network; a published port could clash with a program of the host's) and
 * `depends_on` (start order between services, nothing of the container).
 */
export function containerOptions(stackDir: string, svc: ComposeService, image: string): Docker.ContainerCreateOptions {
  const opts: Docker.ContainerCreateOptions = { Image: image, HostConfig: {} };
  const host = opts.HostConfig!;
  for (const [key, value] of Object.entries(svc)) {
    switch (key) {
      case 'image': case 'restart': case 'ports': case 'depends_on':
        break;
      case 'command': opts.Cmd = strings(value); break;
      case 'entrypoint': opts.Entrypoint = strings(value); break;
      case 'user': opts.User = literal(value); break;
      case 'environment': opts.Env = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}=${literal(v)}`); break;
      case 'labels': opts.Labels = Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, literal(v)])); break;
      case 'security_opt': host.SecurityOpt = strings(value); break;
      case 'network_mode': host.NetworkMode = literal(value); break;
      case 'pid': host.PidMode = literal(value); break;
      case 'read_only': host.ReadonlyRootfs = value === true; break;
      case 'cap_drop': host.CapDrop = strings(value); break;
      case 'cap_add': host.CapAdd = strings(value); break;
      case 'group_add': host.GroupAdd = strings(value); break;
      case 'extra_hosts': host.ExtraHosts = strings(value); break;
      case 'tmpfs': host.Tmpfs = Object.fromEntries(strings(value).map((p) => [p, ''])); break;
      case 'devices':
        host.Devices = strings(value).map((d) => {
          const [from, to = from] = d.split(':');
          return { PathOnHost: from, PathInContainer: to, CgroupPermissions: 'rwm' };
        });
        break;
      case 'volumes': host.Mounts = (value as unknown[]).map((v) => mountOf(stackDir, v)); break;
      case 'healthcheck': {
        const h = value as { test: unknown; interval?: string; timeout?: string; retries?: number; start_period?: string };
        opts.Healthcheck = {
          Test: strings(h.test),
          ...(h.interval ? { Interval: nanoseconds(h.interval) } : {}),
          ...(h.timeout ? { Timeout: nanoseconds(h.timeout) } : {}),
          ...(h.retries !== undefined ? { Retries: h.retries } : {}),
          ...(h.start_period ? { StartPeriod: nanoseconds(h.start_period) } : {}),
        };
        break;
      }
      default:
        throw new Error(`compose key ${key} is not run by test/support/compose-service.ts: map it to its container setting`);
    }
  }
  return opts;
}

/** The healthcheck's command as the engine runs it in the container: CMD as is, CMD-SHELL through /bin/sh. */
function healthCommand(svc: ComposeService): string[] {
  const [kind, ...rest] = strings((svc.healthcheck as { test: unknown }).test);
  if (kind === 'CMD') return rest;
  if (kind === 'CMD-SHELL') return ['/bin/sh', '-c', rest.join(' ')];
  throw new Error(`healthcheck test ${kind} runs nothing`);
}

/** Runs `cmd` in the container; its exit code. */
async function execIn(container: Docker.Container, cmd: string[]): Promise<number> {
  const exec = await container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({});
  await new Promise((resolve) => { stream.on('end', resolve); stream.resume(); });
  return (await exec.inspect()).ExitCode ?? -1;
}

export interface Started {
  container: Docker.Container;
  /** The healthcheck's last exit code: 0 once it passed. */
  healthExit: number;
  /** The program's output until then. */
  logs: string;
}

/**
 * Creates and starts the rendered service `name` of the stack in `stackDir` on `image`, runs its
 * own healthcheck command in it every half second until it passes (30 s at most; the engine's own
 * checks wait the whole interval), hands the container to `use`, and removes it with its anonymous
 * volumes whatever happens. A container that stops before its check passes makes the exec throw
 * ("... is not running").
 */
export async function withServiceRunning<T>(docker: Docker, stackDir: string, name: string, image: string, use: (started: Started) => Promise<T>): Promise<T> {
  const svc = composeService(stackDir, name);
  const check = healthCommand(svc);
  const container = await docker.createContainer(containerOptions(stackDir, svc, image));
  try {
    await container.start();
    let healthExit = -1;
    for (let i = 0; i < 60 && healthExit !== 0; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 500));
      healthExit = await execIn(container, check);
    }
    const logs = (await container.logs({ stdout: true, stderr: true })).toString('utf8');
    return await use({ container, healthExit, logs });
  } finally {
    await container.remove({ force: true, v: true });
  }
}
