// The docker runner's `up`: make sure every image is there (building the exporter's, pulling the
// rest), start what can start with compose, and wait until each service is healthy.
import type Docker from 'dockerode';
import { load } from 'js-yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../core/errors.js';
import { exporterRuns } from '../render/stack-profiles.js';
import { PROFILES } from '../../profiles/registry.js';

import type { StackDir } from './stack-dir.js';
import { compose, composeOk } from './compose.js';
import { bridgeGateway, imageExists, stackContainers, waitHealthy } from './docker.js';
import { foreignAddresses, foreignAddressProblems, missingBindSources, takenPorts, type ComposeService } from './docker-preflight.js';
import type { Say } from './runner.js';
import { buildExporterImage } from './image-build.js';

export interface DockerUpOptions {
  say: Say;
  /** Rebuild the exporter image even when it exists. */
  build: boolean;
  /** BASE_IMAGE for that build; the Dockerfile's pinned default when absent. */
  baseImage?: string;
  timeoutMs: number;
}

export interface DockerUpResult {
  started: string[];
  /** Services left out because their image could not be had, with why. */
  unavailable: { service: string; reason: string }[];
  unhealthy: string[];
}

/** The services of the compose file (the file, not the spec: the user may have edited it). */
function composeServices(stack: StackDir): Map<string, ComposeService> {
  let doc: { services?: Record<string, ComposeService> };
  try {
    doc = load(readFileSync(join(stack.dir, 'docker-compose.yml'), 'utf8')) as typeof doc;
  } catch (err) {
    throw new UserError(`cannot read ${join(stack.dir, 'docker-compose.yml')}: ${(err as Error).message}; run \`fibre-stack generate\` to write it`);
  }
  return new Map(Object.entries(doc.services ?? {}));
}

/** Refuses, before anything starts, a bind-mounted path missing here, an address not this host's, or a port another program holds (compose would fail halfway). */
async function preflight(stack: StackDir, docker: Docker, services: ReadonlyMap<string, ComposeService>): Promise<void> {
  const running = await stackContainers(docker, stack.spec.project);
  // A port our own running container publishes is ours.
  const toStart = new Map([...services].filter(([name]) => running.get(name)?.state !== 'running'));
  const foreign = await foreignAddresses(toStart);
  const problems = [
    ...missingBindSources(stack, toStart),
    ...foreignAddressProblems(foreign, stack.spec, foreign.size > 0 ? await bridgeGateway(docker) : undefined),
    ...(await takenPorts(docker, toStart)),
  ];
  if (problems.length) throw new UserError(`cannot start ${stack.spec.project}:\n  ${problems.join('\n  ')}\nNothing was started.`);
}

/** Builds the exporter image; a base image that cannot be pulled is an environment problem with its fix. */
async function buildExporter(image: string, opts: DockerUpOptions): Promise<void> {
  opts.say(`Building the exporter image ${image} ...`);
  try {
    const built = await buildExporterImage({ tag: image, baseImage: opts.baseImage, progress: (text) => process.stdout.write(text.replace(/^(?=.)/gm, '    ')) });
    opts.say(`  built ${built.tag} in ${built.seconds} s`);
  } catch (err) {
    const message = (err as Error).message;
    if (!/pull|registry|manifest|resolve|dial tcp|no such host|not found|i\/o timeout/i.test(message)) throw err;
    const base = opts.baseImage ? `the base image ${opts.baseImage}` : "the base image pinned in exporter/Dockerfile (BASE_IMAGE)";
    throw new UserError(
      `cannot build the exporter image: ${base} is not on this host and cannot be pulled (${message.split('\n')[0]}).\n` +
        'Pass --base-image with a Node.js 20 Debian bookworm image this host has (see `docker images`), e.g. `fibre-stack up --build --base-image IMAGE`, or load the base image with `docker load`.',
    );
  }
}

export async function dockerUp(stack: StackDir, docker: Docker, opts: DockerUpOptions): Promise<DockerUpResult> {
  const { say } = opts;
  const declared = composeServices(stack);
  const images = new Map([...declared].map(([name, svc]) => [name, svc.image ?? '']));
  await preflight(stack, docker, declared);
  const exporterServices = new Set(exporterRuns(stack.spec, PROFILES).map((r) => r.service));
  const unavailable: DockerUpResult['unavailable'] = [];

  if (exporterServices.size > 0) {
    const image = stack.spec.images.exporter;
    if (opts.build || !(await imageExists(docker, image))) await buildExporter(image, opts);
  }
  for (const [service, image] of images) {
    if (exporterServices.has(service) || (await imageExists(docker, image))) continue;
    say(`Pulling ${image} for ${service} ...`);
    const pulled = await compose(stack, ['pull', service]);
    if (pulled.code !== 0) {
      const why = pulled.output.trim().split('\n').pop() ?? `exit ${pulled.code}`;
      unavailable.push({ service, reason: `image ${image} is not here and cannot be pulled (${why}); pull or build it, set images.${service} in fibre-stack.yml to one you have, or add ${service} to disabled_services` });
    }
  }
  const services = [...images.keys()].filter((s) => !unavailable.some((u) => u.service === s));
  for (const u of unavailable) say(`  ${u.service}: cannot start: ${u.reason}`);
  if (services.length === 0) throw new UserError('no service of the stack has an image here; nothing to start');

  say(`Starting ${services.join(', ')} ...`);
  // With services missing, their dependents start without them rather than not at all.
  await composeOk(stack, ['up', '-d', '--remove-orphans', ...(unavailable.length ? ['--no-deps'] : []), ...services]);
  say('Waiting for every service to be healthy:');
  const unhealthy = await waitHealthy(docker, stack.spec.project, services, say, opts.timeoutMs);
  return { started: services, unavailable, unhealthy };
}
