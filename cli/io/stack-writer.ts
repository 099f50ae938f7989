// Writing a rendered stack to disk: nothing outside the target folder, nothing the user edited
// overwritten without --force, and a manifest of what was written so the next run can tell.
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';
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
  if (rel.startsWith('..') || isAbsolute(rel)) throw new Error(`refusing to write ${JSON.stringify(path)}: outside the stack folder`);
  return full;
}

/** A symlink inside the stack folder could point a write anywhere: refuse to follow one. */
function ensureRealDirInside(root: string, dir: string): void {
  mkdirSync(dir, { recursive: true });
  const realRoot = realpathSync(root);
  const realDir = realpathSync(dir);
  if (realDir !== realRoot && !realDir.startsWith(realRoot + sep)) {
    throw new UserError(`refusing to write into ${dir}: it resolves to ${realDir}, outside the stack folder (a symlink?)`);
  }
}

function atomicWrite(full: string, content: string, mode: number): void {
  if (existsSync(full) && lstatSync(full).isSymbolicLink()) {
    throw new UserError(`refusing to write ${full}: it is a symlink; remove it first`);
  }
  const tmp = `${full}.tmp-${process.pid}`;
  writeFileSync(tmp, content, { mode });
  chmodSync(tmp, mode); // the umask may have narrowed it; .env must be exactly 0600.
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
  const manifest = readManifest(root);
  const results: WriteResult[] = [];
  const rendered = new Set(files.map((f) => f.path));
  for (const file of files) {
    const full = safeJoin(root, file.path);
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
  // Files an earlier run wrote that this one no longer makes (a profile was removed, say).
  for (const [path, hash] of Object.entries(manifest.files)) {
    if (rendered.has(path)) continue;
    const full = safeJoin(root, path);
    if (!existsSync(full)) continue;
    const unedited = sha256(readFileSync(full, 'utf8')) === hash;
    results.push({ path, action: unedited || opts.force ? 'removed' : 'kept-stale' });
  }
  return results;
}

export function writeStack(root: string, files: readonly RenderedFile[], opts: WriteOptions = {}): WriteResult[] {
  mkdirSync(root, { recursive: true });
  const plan = planStack(root, files, opts);
  const byPath = new Map(files.map((f) => [f.path, f]));
  const manifest = readManifest(root);
  for (const step of plan) {
    const file = byPath.get(step.path);
    const full = safeJoin(root, step.path);
    if (step.action === 'removed') {
      rmSync(full);
      delete manifest.files[step.path];
      continue;
    }
    if (!file || step.action === 'kept-stale') continue;
    ensureRealDirInside(root, dirname(full));
    const mode = file.mode ?? 0o644;
    if (step.action === 'created' || step.action === 'updated') {
      atomicWrite(full, file.content, mode);
      manifest.files[step.path] = sha256(file.content);
    } else if (step.action === 'kept-edited') {
      atomicWrite(safeJoin(root, step.newPath!), file.content, mode);
    } else if (step.action === 'unchanged' && !opts.preserve?.includes(step.path)) {
      manifest.files[step.path] = sha256(file.content);
    }
  }
  ensureRealDirInside(root, dirname(join(root, MANIFEST_PATH)));
  atomicWrite(join(root, MANIFEST_PATH), JSON.stringify(manifest, null, 2) + '\n', 0o644);
  return plan;
}
