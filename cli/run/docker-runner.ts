// The docker runner: the stack as compose containers. `up` builds or pulls what it needs and waits
// for health (docker-up.ts); state comes from the containers compose labelled for the project.
import { UserError } from '../../core/errors.js';
import { stackServices, type StackService } from '../render/stack-services.js';
import type { StackDir } from './stack-dir.js';
import type { ServiceState, StackRunner, UpOptions } from './runner.js';
import { compose, composeCli, composeOk, NO_COMPOSE } from './compose.js';
import { connectDocker, containerHealthy, containerProblem, stackContainers, type ContainerState, type DockerCheck } from './docker.js';

/** The Docker daemon when the docker runner can run a stack here (daemon and compose CLI), else why not. */
export async function dockerHere(): Promise<DockerCheck> {
  const docker = await connectDocker();
  if (docker.ok && !(await composeCli())) return { ok: false, reason: NO_COMPOSE };
  return docker;
}

async function up(stack: StackDir, opts: UpOptions): Promise<number> {
  const { say } = opts;
  const docker = await connectDocker();
  if (!docker.ok) throw new UserError(`${docker.reason}; this stack runs in docker mode`);
  say(`Starting ${stack.spec.project} with docker compose in ${stack.dir}:`);
  // Imported here: it loads dockerode, slow to import and of no use to the other runners.
  const r = await (await import('./docker-up.js')).dockerUp(stack, docker.docker, { say, build: opts.build, baseImage: opts.baseImage, timeoutMs: opts.timeoutMs });
  if (r.unavailable.length) say(`\nNot started (no image): ${r.unavailable.map((u) => u.service).join(', ')}. The rest run without them.`);
  if (r.unhealthy.length) {
    say(`\nNot healthy: ${r.unhealthy.join(', ')}. See \`fibre-stack logs <service> --dir ${stack.dir}\`.`);
    return 1;
  }
  say('\nAll started services are healthy. Check them in depth with `fibre-stack validate`.');
  return 0;
}

/** Each service's container, as docker reports it. Exporter containers publish no port: only the compose network reaches them. */
export function containerStates(services: StackService[], containers: ReadonlyMap<string, ContainerState>): Map<string, ServiceState> {
  return new Map(
    services.map((svc): [string, ServiceState] => {
      const c = containers.get(svc.name);
      const running = containerHealthy(c);
      const detail = running ? `running, ${c!.health === 'none' ? 'no healthcheck' : c!.health}` : containerProblem(c);
      return [svc.name, { service: svc.name, check: 'container', running, detail, reachableFromHost: svc.core !== undefined }];
    }),
  );
}

export const dockerRunner: StackRunner = {
  mode: 'docker',
  up,
  async down(stack, { volumes, say }) {
    say(`Stopping ${stack.spec.project} (docker compose)${volumes ? ' and deleting its volumes' : ''} ...`);
    await composeOk(stack, ['down', '--remove-orphans', ...(volumes ? ['--volumes'] : [])], { inherit: true });
  },
  async serviceStates(stack) {
    const docker = await connectDocker();
    if (!docker.ok) throw new UserError(`${docker.reason}; this stack runs in docker mode`);
    return containerStates(stackServices(stack.spec), await stackContainers(docker.docker, stack.spec.project));
  },
  async logs(stack, { service, follow, tail }) {
    const r = await compose(stack, ['logs', '--tail', String(tail), ...(follow ? ['-f'] : []), ...(service ? [service] : [])], { inherit: true });
    return r.code;
  },
};
