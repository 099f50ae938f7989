// Finding the program each native service runs: on PATH, in the cache, or by downloading the
// pinned release. A service whose program cannot be had is reported with how to get it; it never
// stops the others from starting.
import { accessSync, constants, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { packagePath } from '../../core/package-root.js';
import type { StackService } from '../render/stack-services.js';

import { installRelease, installedBinary, progressBar, type Progress } from './download.js';
import { releaseArch, releaseFor, versionOfImage } from './releases.js';
import { CORE_SERVICES } from '../services/table.js';

export interface Located {
  /** The executable to spawn. */
  executable: string;
  /** Arguments before the service's own (`server` for `grafana server`, main.js for node). */
  leadingArgs: readonly string[];
  /** Where it was found, for the progress output. */
  via: 'PATH' | 'cache' | 'download' | 'this package';
}

export interface Unavailable {
  reason: string;
  /** What the user can do about it. */
  remedy: string;
}

/** $FIBRE_STACK_CACHE, else the XDG cache folder: where downloads and user-placed binaries live. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FIBRE_STACK_CACHE) return env.FIBRE_STACK_CACHE;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'fibre-stack');
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function onPath(name: string, pathVar = process.env.PATH ?? ''): string | undefined {
  for (const dir of pathVar.split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

export interface LocateOptions {
  cache?: string;
  /** False: only look, never download (status, validate). */
  download?: boolean;
  progress?: (label: string) => Progress;
}

/** Finds (or downloads) the program of one native service. */
export async function locate(service: StackService, opts: LocateOptions = {}): Promise<Located | Unavailable> {
  const program = service.program;
  if (program.kind === 'fibre-stack') {
    const main = packagePath('dist', 'cli', 'main.js');
    if (!existsSync(main)) return { reason: `${main} is missing`, remedy: 'build fibre-stack first: npm run build' };
    return { executable: process.execPath, leadingArgs: [main], via: 'this package' };
  }
  const cache = opts.cache ?? cacheRoot();
  for (const c of program.candidates) {
    const found = onPath(c.name);
    if (found) return { executable: found, leadingArgs: c.leadingArgs, via: 'PATH' };
  }
  for (const c of program.candidates) {
    const placed = join(cache, 'bin', c.name);
    if (isExecutable(placed)) return { executable: placed, leadingArgs: c.leadingArgs, via: 'cache' };
  }
  const names = program.candidates.map((c) => c.name).join(' or ');
  const core = service.core!;
  const remedy = `install it (${CORE_SERVICES[core].howToGet}) so that ${names} is on PATH, or put the binary in ${join(cache, 'bin')}`;
  const arch = releaseArch();
  if (!arch) return { reason: `${names} not found and there is no release for ${process.arch}`, remedy };
  // The version the spec pins for this service, as docker mode runs it.
  if (versionOfImage(program.image) === undefined) {
    return { reason: `${names} not found, and images.${core} (${program.image}) names no version to download`, remedy: `${remedy}, or pin images.${core} with a tag (name:tag)` };
  }
  const release = releaseFor(core, arch, program.image);
  const withArgs = (executable: string, via: Located['via']): Located => {
    const candidate = program.candidates.find((c) => executable.endsWith(`/${c.name}`)) ?? program.candidates[0];
    return { executable, leadingArgs: candidate.leadingArgs, via };
  };
  const installed = await installedBinary(cache, release);
  if (installed) return withArgs(installed, 'cache');
  if (opts.download === false) return { reason: `${names} not found on PATH or in ${cache}`, remedy };
  try {
    const label = `${service.name} ${release.version}`;
    return withArgs(await installRelease(cache, release, (opts.progress ?? progressBar)(label)), 'download');
  } catch (err) {
    return { reason: `${names} not found on PATH or in ${cache}, and the download failed: ${(err as Error).message}`, remedy };
  }
}

export function isLocated(x: Located | Unavailable): x is Located {
  return 'executable' in x;
}
