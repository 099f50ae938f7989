// Writing a rendered stack to disk: nothing outside the target folder, nothing the user edited
// overwritten without --force, and a manifest of what was written so the next run can tell.
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync, constants, existsSync, fchmodSync, fstatSync, lstatSync, mkdirSync, openSync, readFileSync, realpathSync, renameSync, rmSync, writeSync,
} from 'node:fs';
import { basename, dirname, isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';
import type { RenderedFile } from '../render/types.js';
import { UserError } from '../../core/errors.js';

export const MANIFEST_PATH = '.fibre-stack/manifest.json';

interface Manifest {
  version: 1;
  /** Path → sha256 of the content fibre-stack last wrote there. */
  files: Record<string, string>;
}

export type WriteAction = 'created' | 'updated' | 'unchanged' | 'kept-edited' | 'removed' | 'kept-stale';

export interface WriteResult {
  path: string;
  action: WriteAction;
  /** For kept-edited: where the new version went. */
  newPath?: string;
}

export interface WriteOptions {
  /** Overwrite files the user edited (and remove stale ones even if edited). */
  force?: boolean;
  /** Paths written only when absent (the spec, .env): they hold the user's choices and secrets. */
  preserve?: readonly string[];
  /**
   * Files written beside the stack's own and left out of the manifest (the receivers' secrets: not
   * even their hashes are recorded); the stack's other files are neither planned nor removed.
   */
  untracked?: boolean;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Resolves a rendered path inside root, refusing anything that would land outside it. */
export function safeJoin(root: string, path: string): string {
  const norm = normalize(path);
  if (isAbsolute(path) || norm === '..' || norm.startsWith(`..${sep}`) || norm.split(sep).includes('..')) {
    throw new Error(`refusing to write ${JSON.stringify(path)}: outside the stack folder`);
  }
  const full = resolve(root, norm);
  const rel = relative(resolve(root), full);
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) throw new Error(`refusing to write ${JSON.stringify(path)}: outside the stack folder`);
  return full;
}

/**
 * Folders that hold rendered files are read inside containers by the services' own users (nobody
 * for Prometheus and Alertmanager, 472 for Grafana, 10001 for Loki): they need r-x for others
 * whatever the umask. Secrets are files of mode 0600 inside them.
 */
const DIR_MODE = 0o755;

/** Opens a path without following a final symlink; `O_DIRECTORY` where a folder is expected. */
function openNoFollow(path: string, flags: number): number {
  return openSync(path, flags | constants.O_NOFOLLOW);
}

/** Whether the real path of `dir` (which exists) is root itself or inside it. */
function resolvesInside(realRoot: string, dir: string): boolean {
  const real = realpathSync(dir);
  return real === realRoot || real.startsWith(realRoot + sep);
}

/**
 * Refuses a path whose existing part leaves the folder through a symlink: the deepest existing
 * ancestor of its folder must resolve inside root, and the file itself must not be a symlink.
 * Checked for every file before anything is written, so a refusal leaves the folder as it was.
 */
function checkInside(root: string, path: string, full: string): void {
  const realRoot = realpathSync(root);
  let dir = dirname(full);
  while (!existsSync(dir)) dir = dirname(dir);
  if (!resolvesInside(realRoot, dir)) {
    throw new UserError(`refusing to touch ${path}: ${dir} resolves to ${realpathSync(dir)}, outside the stack folder (a symlink?); remove the link and run again`);
  }
  if (lstatSafe(full)?.isSymbolicLink()) throw new UserError(`refusing to touch ${path}: it is a symlink; remove it and run again`);
}

function lstatSafe(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

/** Creates the folders of `dir` below root one by one, never through a symlink, each readable by the services. */
function ensureDirInside(root: string, dir: string): void {
  let current = root;
  for (const part of relative(root, dir).split(sep).filter(Boolean)) {
    current = join(current, part);
    try {
      mkdirSync(current);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let fd: number;
    try {
      fd = openNoFollow(current, constants.O_RDONLY | constants.O_DIRECTORY);
    } catch {
      throw new UserError(`refusing to write into ${current}: it is a symlink or not a folder; remove it and run again`);
    }
    try {
      // Only what the services need is added; a stricter folder the user made stays as strict for its owner.
      fchmodSync(fd, (fstatSync(fd).mode & 0o777) | DIR_MODE);
    } finally {
      closeSync(fd);
    }
  }
}

/**
 * Writes through a temporary file of an unpredictable name, created exclusively (O_EXCL, never
 * through a link planted in advance), then renamed over the target: the target is never half
 * written, and rename replaces a path, it does not follow it.
 */
function atomicWrite(full: string, content: string, mode: number): void {
  const tmp = join(dirname(full), `.${basename(full)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openNoFollow(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL);
  try {
    writeSync(fd, content);
    fchmodSync(fd, mode); // the umask may have narrowed it; .env must be exactly 0600.
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, full);
}

function readManifest(root: string): Manifest {
  const full = join(root, MANIFEST_PATH);
  if (!existsSync(full)) return { version: 1, files: {} };
  try {
    const m = JSON.parse(readFileSync(full, 'utf8')) as Manifest;
    return m && typeof m.files === 'object' ? m : { version: 1, files: {} };
  } catch {
    // A damaged manifest only costs us knowing what was edited: every file is then treated as edited.
    return { version: 1, files: {} };
  }
}

/** What writing would do, without touching the disk (for --dry-run and for writeStack itself). */
export function planStack(root: string, files: readonly RenderedFile[], opts: WriteOptions = {}): WriteResult[] {
  if (existsSync(root)) checkInside(root, MANIFEST_PATH, join(root, MANIFEST_PATH));
  const manifest = readManifest(root);
  const results: WriteResult[] = [];
  const rendered = new Set(files.map((f) => f.path));
  for (const file of files) {
    const full = safeJoin(root, file.path);
    if (existsSync(root)) checkInside(root, file.path, full);
    if (!existsSync(full)) {
      results.push({ path: file.path, action: 'created' });
      continue;
    }
    const current = readFileSync(full, 'utf8');
    if (current === file.content) results.push({ path: file.path, action: 'unchanged' });
    else if (opts.preserve?.includes(file.path)) results.push({ path: file.path, action: 'unchanged' });
    else if (opts.force || manifest.files[file.path] === sha256(current)) results.push({ path: file.path, action: 'updated' });
    else results.push({ path: file.path, action: 'kept-edited', newPath: `${file.path}.new` });
  }
  if (opts.untracked) return results;
  // Files an earlier run wrote that this one no longer makes (a profile was removed, say).
  for (const [path, hash] of Object.entries(manifest.files)) {
    if (rendered.has(path)) continue;
    // The manifest is a file in the folder, so its paths are checked like any other input.
    const full = safeJoin(root, path);
    checkInside(root, path, full);
    if (!existsSync(full)) continue;
    const unedited = sha256(readFileSync(full, 'utf8')) === hash;
    results.push({ path, action: unedited || opts.force ? 'removed' : 'kept-stale' });
  }
  return results;
}

export function writeStack(root: string, files: readonly RenderedFile[], opts: WriteOptions = {}): WriteResult[] {
  // Every path is checked while planning, so a refusal leaves the folder (or its absence) as it was.
  const plan = planStack(root, files, opts);
  mkdirSync(root, { recursive: true });
  const byPath = new Map(files.map((f) => [f.path, f]));
  const manifest = readManifest(root);
  for (const step of plan) {
    const file = byPath.get(step.path);
    const full = safeJoin(root, step.path);
    // Checked again right before acting: the plan was made a moment ago.
    checkInside(root, step.path, full);
    if (step.action === 'removed') {
      rmSync(full);
      delete manifest.files[step.path];
      continue;
    }
    if (!file || step.action === 'kept-stale') continue;
    ensureDirInside(root, dirname(full));
    const mode = file.mode ?? 0o644;
    if (step.action === 'created' || step.action === 'updated') {
      atomicWrite(full, file.content, mode);
      if (!opts.untracked) manifest.files[step.path] = sha256(file.content);
    } else if (step.action === 'kept-edited') {
      const beside = safeJoin(root, step.newPath!);
      checkInside(root, step.newPath!, beside);
      atomicWrite(beside, file.content, mode);
    } else if (step.action === 'unchanged' && !opts.preserve?.includes(step.path)) {
      manifest.files[step.path] = sha256(file.content);
    }
  }
  if (opts.untracked) return plan;
  ensureDirInside(root, dirname(join(root, MANIFEST_PATH)));
  atomicWrite(join(root, MANIFEST_PATH), JSON.stringify(manifest, null, 2) + '\n', 0o644);
  return plan;
}
