// The docker runner: the stack as compose containers. `up` checks what compose would otherwise
// fail on halfway, builds or pulls what it needs and waits for health (docker-up.ts); state comes
// from the containers compose labelled for the project.
import { UserError } from '../../core/errors.js';
import { stackServices, type StackService } from '../render/stack-services.js';
import type { StackDir } from './stack-dir.js';
import type { ApplyOptions, RestartOptions, ServiceState, StackRunner, UpOptions } from './runner.js';
import { compose, composeCli, composeOk, NO_COMPOSE } from './compose.js';
import { connectDocker, containerCrashed, containerHealthy, containerLogTail, containerProblem, stackContainers, waitHealthy, type ContainerState, type DockerCheck } from './docker.js';
import { adviceFromLog } from './failure-advice.js';
import { baseUrlOf, changesFor, portOf } from './changes.js';
import { reloadOverHttp } from './probe.js';
import { CORE_SERVICES } from '../services/table.js';

/** The Docker daemon when the docker runner can run a stack here (daemon and compose CLI), else why not. */
export async function dockerHere(): Promise<DockerCheck> {
  const docker = await connectDocker();
  if (docker.ok && !(await composeCli())) return { ok: false, reason: NO_COMPOSE };
  return docker;
}

async function daemon() {
  const docker = await connectDocker();
  if (!docker.ok) throw new UserError(`${docker.reason}; this stack runs in docker mode`);
  return docker.docker;
}

async function up(stack: StackDir, opts: UpOptions): Promise<number> {
  const { say } = opts;
  const docker = await daemon();
  say(`Starting ${stack.spec.project} with docker compose in ${stack.dir}:`);
  // Imported here: it loads dockerode, slow to import and of no use to the other runners.
  const r = await (await import('./docker-up.js')).dockerUp(stack, docker, { say, build: opts.build, baseImage: opts.baseImage, timeoutMs: opts.timeoutMs });
  if (r.unavailable.length) say(`\nNot started (no image): ${r.unavailable.map((u) => u.service).join(', ')}. The rest run without them.`);
  if (r.unhealthy.length) {
    say(`\nNot healthy: ${r.unhealthy.join(', ')}. See \`fibre-stack logs <service> --dir ${stack.dir}\`.`);
    return 1;
  }
  say('\nAll started services are healthy. Check them in depth with `fibre-stack validate`.');
  return 0;
}

/**
 * Each service's container, as docker reports it. Exporter containers publish no port: only the
 * compose network reaches them. A core service's answer counts only when its own container
 * publishes the port it is asked on.
 */
export function containerStates(services: StackService[], containers: ReadonlyMap<string, ContainerState>): Map<string, ServiceState> {
  return new Map(
    services.map((svc): [string, ServiceState] => {
      const c = containers.get(svc.name);
      const running = containerHealthy(c);
      const detail = running ? `running, ${c!.health === 'none' ? 'no healthcheck' : c!.health}` : containerProblem(c);
      const reachableFromHost = svc.core !== undefined;
      const state: ServiceState = { service: svc.name, check: 'container', running, detail, reachableFromHost };
      if (!running) return [svc.name, { ...state, down: containerCrashed(c) ? 'crashed' : 'stopped' }];
      if (!reachableFromHost) return [svc.name, state];
      const port = portOf(svc);
      // On the host's network nothing is published: a running container there holds its port
      // itself, since its program exits when another holds it (node_exporter: web.ListenAndServe's
      // error ends it, prometheus/node_exporter@v1.12.1:node_exporter.go).
      if (svc.core !== undefined && CORE_SERVICES[svc.core].hostAccess?.network) {
        return [svc.name, { ...state, identity: { ours: true, detail: `its container runs on the host's network and holds port ${port} itself` } }];
      }
      const ours = c!.publishedPorts.includes(port);
      return [svc.name, { ...state, identity: { ours, detail: ours ? `port ${port} is published by its container` : `its container does not publish port ${port}: what answers there is not it` } }];
    }),
  );
}

async function apply(stack: StackDir, opts: ApplyOptions): Promise<number> {
  const { say } = opts;
  const docker = await daemon();
  const before = await stackContainers(docker, stack.spec.project);
  if (![...before.values()].some((c) => c.state === 'running')) {
    say(`${stack.spec.project} is not running: \`fibre-stack up\` starts it with the new files.`);
    return 0;
  }
  const services = stackServices(stack.spec);
  // Bind-mounted files changed under running containers: reload what can, restart the rest.
  const changes = changesFor(services.filter((s) => containerHealthy(before.get(s.name))), opts.changedFiles, new Set());
  let code = 0;
  for (const c of changes.filter((x) => x.how === 'reload')) {
    const r = await reloadOverHttp(baseUrlOf(services.find((s) => s.name === c.service)!));
    say(`  ${c.service}: ${r.detail} (${c.why})`);
    if (!r.ok) code = 1;
  }
  for (const c of changes.filter((x) => x.how === 'restart')) {
    say(`  ${c.service}: restarting (${c.why})`);
    await composeOk(stack, ['restart', c.service]);
  }
  // Compose recreates the containers whose definition changed (image, flags, ports) and starts new ones, keeping volumes.
  const r = await (await import('./docker-up.js')).dockerUp(stack, docker, { say, build: opts.build, baseImage: opts.baseImage, timeoutMs: opts.timeoutMs });
  return r.unhealthy.length ? 1 : code;
}

async function restart(stack: StackDir, opts: RestartOptions): Promise<number> {
  const docker = await daemon();
  const names = opts.service ? [opts.service] : stackServices(stack.spec).map((s) => s.name);
  opts.say(`Restarting ${names.join(', ')} ...`);
  await composeOk(stack, ['restart', ...names]);
  const unhealthy = await waitHealthy(docker, stack.spec.project, names, opts.say, opts.timeoutMs);
  return unhealthy.length ? 1 : 0;
}

export const dockerRunner: StackRunner = {
  mode: 'docker',
  up,
  async down(stack, { volumes, say }) {
    say(`Stopping ${stack.spec.project} (docker compose)${volumes ? ' and deleting its volumes' : ''} ...`);
    await composeOk(stack, ['down', '--remove-orphans', ...(volumes ? ['--volumes'] : [])], { inherit: true });
  },
  async serviceStates(stack) {
    const docker = await daemon();
    const containers = await stackContainers(docker, stack.spec.project);
    const states = containerStates(stackServices(stack.spec), containers);
    // A container that stopped or keeps restarting may say why in its log: add the fix when we know it.
    for (const [name, state] of states) {
      const c = containers.get(name);
      if (state.running || !c) continue;
      const advice = adviceFromLog(await containerLogTail(docker, c.id));
      if (advice) states.set(name, { ...state, detail: `${state.detail}; to fix: ${advice}` });
    }
    return states;
  },
  apply,
  restart,
  async logs(stack, { service, follow, tail }) {
    const r = await compose(stack, ['logs', '--tail', String(tail), ...(follow ? ['-f'] : []), ...(service ? [service] : [])], { inherit: true });
    return r.code;
  },
};
