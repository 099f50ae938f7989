// Builds the exporter image (exporter/Dockerfile) through the docker engine API, streaming the
// build's steps as they happen, so a user sees progress and the exact step that failed.
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import Docker from 'dockerode';
import { UserError } from '../../core/errors.js';
import { packageRoot } from '../../core/package-root.js';

export interface ImageBuildOptions {
  tag: string;
  /** BASE_IMAGE build argument; the Dockerfile's pinned default when absent. */
  baseImage?: string;
  /** Called with each piece of build output as it arrives. */
  progress(text: string): void;
  /** Package root to build from (the installed package when absent). */
  context?: string;
  docker?: Docker;
}

export interface ImageBuildResult {
  tag: string;
  imageId: string;
  seconds: number;
}

interface BuildMessage {
  stream?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: { ID?: string };
}

export async function buildExporterImage(opts: ImageBuildOptions): Promise<ImageBuildResult> {
  const docker = opts.docker ?? new Docker();
  await ensureDockerReachable(docker);
  const context = opts.context ?? packageRoot();
  const started = Date.now();
  opts.progress(`building ${opts.tag} from ${context}${opts.baseImage ? ` on ${opts.baseImage}` : ''}\n`);
  // Every file is listed, so dockerode applies .dockerignore to each path (it cannot apply it
  // inside directories it is given whole).
  const src = await listFiles(context);
  const stream = await docker.buildImage(
    { context, src },
    { t: opts.tag, dockerfile: 'exporter/Dockerfile', rm: true, forcerm: true, ...(opts.baseImage ? { buildargs: { BASE_IMAGE: opts.baseImage } } : {}) },
  );
  let imageId = '';
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (err: Error | null, messages: BuildMessage[]) => {
        const failed = err?.message ?? messages.find((m) => m.error)?.errorDetail?.message ?? messages.find((m) => m.error)?.error;
        if (failed) reject(new UserError(`building the exporter image failed: ${failed.trim()}`, 1));
        else resolve();
      },
      (m: BuildMessage) => {
        if (m.stream) opts.progress(m.stream);
        else if (m.status) opts.progress(`${m.status}\n`);
        if (m.aux?.ID) imageId = m.aux.ID;
      },
    );
  });
  if (!imageId) imageId = ((await docker.getImage(opts.tag).inspect()) as { Id: string }).Id;
  return { tag: opts.tag, imageId, seconds: Math.round((Date.now() - started) / 100) / 10 };
}

/** Fails with what to do when the docker engine does not answer. */
export async function ensureDockerReachable(docker: Docker): Promise<void> {
  try {
    await docker.ping();
  } catch (err) {
    const where = process.env.DOCKER_HOST ?? '/var/run/docker.sock';
    const code = (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));
    const hint =
      code === 'EACCES'
        ? 'you may not use it: run as root or join the docker group'
        : 'start it (`sudo systemctl start docker`, or run `dockerd`) or point DOCKER_HOST at a running engine';
    throw new UserError(`cannot reach the docker engine at ${where} (${code}): ${hint}.`);
  }
}

async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      // Symlinks (node_modules/.bin) go in as links, not followed.
      else out.push(relative(root, full));
    }
  };
  await walk(root);
  return out;
}
