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
import { imageExists, waitHealthy } from './docker.js';
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

/** Service name → image, as the compose file says (the file, not the spec: the user may have edited it). */
function composeImages(stack: StackDir): Map<string, string> {
  let doc: { services?: Record<string, { image?: string }> };
  try {
    doc = load(readFileSync(join(stack.dir, 'docker-compose.yml'), 'utf8')) as typeof doc;
  } catch (err) {
    throw new UserError(`cannot read ${join(stack.dir, 'docker-compose.yml')}: ${(err as Error).message}; run \`fibre-stack generate\` to write it`);
  }
  return new Map(Object.entries(doc.services ?? {}).map(([name, s]) => [name, s.image ?? '']));
}

export async function dockerUp(stack: StackDir, docker: Docker, opts: DockerUpOptions): Promise<DockerUpResult> {
  const { say } = opts;
  const images = composeImages(stack);
  const exporterServices = new Set(exporterRuns(stack.spec, PROFILES).map((r) => r.service));
  const unavailable: DockerUpResult['unavailable'] = [];

  if (exporterServices.size > 0) {
    const image = stack.spec.images.exporter;
    if (opts.build || !(await imageExists(docker, image))) {
      say(`Building the exporter image ${image} ...`);
      const built = await buildExporterImage({ tag: image, baseImage: opts.baseImage, progress: (text) => process.stdout.write(text.replace(/^(?=.)/gm, '    ')) });
      say(`  built ${built.tag} in ${built.seconds} s`);
    }
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
