// Downloading a pinned release into the cache: fetch with a progress bar, check the SHA-256 the
// release publishes, refuse (and delete) anything that does not match, then extract. An archive is
// only ever extracted after its checksum matched, and lands in its final folder in one rename, so
// the cache never holds half an install.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { UserError } from '../../core/errors.js';
import type { Release } from './releases.js';

const execFileP = promisify(execFile);

export class ChecksumMismatch extends UserError {
  constructor(file: string, expected: string, actual: string) {
    super(`refusing ${file}: its SHA-256 is ${actual}, the release publishes ${expected}; the download was deleted`);
  }
}

/** Reports download progress; `total` is undefined when the server sends no length. */
export type Progress = (received: number, total: number | undefined) => void;

/** The folder a release is installed in. */
export function installDir(cacheRoot: string, release: Release): string {
  return join(cacheRoot, `${release.service}-${release.version}`);
}

/** The executable of an installed release, or undefined when it is not installed. */
export async function installedBinary(cacheRoot: string, release: Release): Promise<string | undefined> {
  return findFile(installDir(cacheRoot, release), release.binaryNames, 3);
}

/** Finds the first file named one of `names`, searching `depth` levels of folders, `bin/` first. */
async function findFile(dir: string, names: string[], depth: number): Promise<string | undefined> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return undefined;
  }
  for (const name of names) {
    if (entries.some((e) => e.isFile() && e.name === name)) return join(dir, name);
  }
  if (depth === 0) return undefined;
  const folders = entries.filter((e) => e.isDirectory()).sort((a, b) => Number(b.name === 'bin') - Number(a.name === 'bin'));
  for (const f of folders) {
    const found = await findFile(join(dir, f.name), names, depth - 1);
    if (found) return found;
  }
  return undefined;
}

async function fetchOk(url: string): Promise<Response> {
  // A server that never answers must not hang `up`; once headers arrive, a slow body is fine.
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(new Error('no answer in 30 s')), 30_000);
  let res: Response;
  try {
    res = await fetch(url, { redirect: 'follow', signal: abort.signal });
  } catch (err) {
    const cause = (err as Error).cause;
    throw new UserError(`cannot download ${url}: ${cause instanceof Error ? cause.message : (err as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
  if (!res.ok) throw new UserError(`cannot download ${url}: HTTP ${res.status}`);
  return res;
}

/** The archive's URL and its expected SHA-256, as the release publishes them. */
export async function resolveArchive(release: Release): Promise<{ url: string; sha256: string }> {
  const src = release.source;
  if (src.kind === 'downloads-api') {
    const body = (await (await fetchOk(src.apiUrl)).json()) as { url?: unknown; sha256?: unknown };
    if (typeof body.url !== 'string' || typeof body.sha256 !== 'string') {
      throw new UserError(`${src.apiUrl} did not answer with a download url and sha256`);
    }
    return { url: body.url, sha256: body.sha256.toLowerCase() };
  }
  const sums = await (await fetchOk(src.checksumUrl)).text();
  const file = basename(new URL(src.archiveUrl).pathname);
  // A file of one bare digest is the checksum of the one asset it is named after (Mimir's -sha-256).
  const sha256 = checksumFor(sums, file) ?? /^([0-9a-fA-F]{64})\s*$/.exec(sums)?.[1].toLowerCase();
  if (!sha256) throw new UserError(`${src.checksumUrl} lists no checksum for ${file}`);
  if (release.pinnedSha256 !== undefined && release.pinnedSha256 !== sha256) {
    throw new UserError(`${src.checksumUrl} lists ${sha256} for ${file}, but fibre-stack pinned ${release.pinnedSha256}: the release was re-published; download nothing and report it`);
  }
  return { url: src.archiveUrl, sha256 };
}

/** The SHA-256 of `file` in a `sha256sum`-style listing (`<hex>  <name>`, `*name` for binary mode). */
export function checksumFor(listing: string, file: string): string | undefined {
  for (const line of listing.split('\n')) {
    const m = /^([0-9a-fA-F]{64})\s+\*?(\S+)\s*$/.exec(line);
    if (m && basename(m[2]) === file) return m[1].toLowerCase();
  }
  return undefined;
}

/** Streams a URL to a file, hashing as it goes. */
async function downloadTo(url: string, path: string, progress?: Progress): Promise<string> {
  const res = await fetchOk(url);
  const length = Number(res.headers.get('content-length'));
  const total = Number.isFinite(length) && length > 0 ? length : undefined;
  const hash = createHash('sha256');
  const out = createWriteStream(path, { mode: 0o600 });
  let received = 0;
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      received += chunk.length;
      progress?.(received, total);
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
  } finally {
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
  return hash.digest('hex');
}

async function extract(archive: string, into: string): Promise<void> {
  if (!/\.(zip|tar\.gz|tgz)$/.test(archive)) {
    // A bare executable (a github-binary release): nothing to unpack.
    await copyFile(archive, join(into, basename(archive)));
    await chmod(join(into, basename(archive)), 0o755);
    return;
  }
  try {
    if (archive.endsWith('.zip')) await execFileP('unzip', ['-q', archive, '-d', into]);
    else await execFileP('tar', ['-xzf', archive, '-C', into, '--no-same-owner']);
  } catch (err) {
    const tool = archive.endsWith('.zip') ? 'unzip' : 'tar';
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new UserError(missing ? `extracting ${basename(archive)} needs \`${tool}\`; install it (apt-get install ${tool})` : `cannot extract ${basename(archive)}: ${(err as Error).message}`);
  }
}

/**
 * Downloads, verifies and extracts a release into the cache; returns its executable. A checksum
 * mismatch deletes the download and throws ChecksumMismatch.
 */
export async function installRelease(cacheRoot: string, release: Release, progress?: Progress): Promise<string> {
  await mkdir(cacheRoot, { recursive: true });
  const { url, sha256 } = await resolveArchive(release);
  const work = await mkdtemp(join(cacheRoot, `.${release.service}-`));
  try {
    const file = basename(new URL(url).pathname);
    const archive = join(work, file);
    const actual = await downloadTo(url, archive, progress);
    if (actual !== sha256) {
      await rm(archive, { force: true });
      throw new ChecksumMismatch(file, sha256, actual);
    }
    const tree = join(work, 'tree');
    await mkdir(tree);
    await extract(archive, tree);
    const target = installDir(cacheRoot, release);
    await rm(target, { recursive: true, force: true });
    await rename(tree, target);
    const binary = await installedBinary(cacheRoot, release);
    if (!binary || !(await stat(binary)).isFile()) {
      throw new UserError(`${file} holds no ${release.binaryNames.join(' or ')}; the release layout may have changed`);
    }
    return binary;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** A one-line progress bar on stderr: redrawn in place on a terminal, a line per 25% otherwise. */
export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  let lastQuarter = -1;
  return (received, total) => {
    const mb = (n: number) => (n / 1e6).toFixed(1);
    if (!total) {
      if (stream.isTTY) stream.write(`\r  ${label}  ${mb(received)} MB`);
      return;
    }
    const frac = Math.min(1, received / total);
    if (stream.isTTY) {
      const width = 30;
      const filled = Math.round(frac * width);
      stream.write(`\r  ${label}  [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${Math.round(frac * 100)}% ${mb(received)}/${mb(total)} MB`);
      if (received >= total) stream.write('\n');
    } else {
      const quarter = Math.floor(frac * 4);
      if (quarter > lastQuarter) {
        lastQuarter = quarter;
        stream.write(`  ${label}  ${quarter * 25}% of ${mb(total)} MB\n`);
      }
    }
  };
}
