// Downloads of pinned releases, against a local HTTP server (127.0.0.1 only) serving a real
// release-style archive and checksum file: a good archive installs, a tampered one is refused
// and deleted, and nothing half-installed is left in the cache.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prerequisites } from './support/prereq.js';
import { ChecksumMismatch, checksumFor, installRelease, installedBinary, installDir } from '../cli/run/download.js';
import { releaseArch, releaseFor, versionOfImage, type Release } from '../cli/run/releases.js';
import { locate } from '../cli/run/binaries.js';
import { stackServices } from '../cli/render/stack-services.js';
import { defaultSpec } from '../cli/spec/defaults.js';
import { DEFAULT_IMAGES } from '../cli/services/table.js';

const ready = prerequisites('run-download', { commands: ['tar'] });

describe('pinned releases', () => {
  it('follow the pinned image tags, so docker and native run the same versions', () => {
    const prom = releaseFor('prometheus', 'amd64');
    expect(prom.version).toBe(versionOfImage(DEFAULT_IMAGES.prometheus));
    expect(prom.source).toEqual({
      kind: 'checksum-file',
      archiveUrl: `https://github.com/prometheus/prometheus/releases/download/v${prom.version}/prometheus-${prom.version}.linux-amd64.tar.gz`,
      checksumUrl: `https://github.com/prometheus/prometheus/releases/download/v${prom.version}/sha256sums.txt`,
    });
    const loki = releaseFor('loki', 'arm64');
    expect(loki.source).toMatchObject({ archiveUrl: expect.stringMatching(/\/grafana\/loki\/releases\/download\/v[\d.]+\/loki-linux-arm64\.zip$/), checksumUrl: expect.stringMatching(/\/SHA256SUMS$/) });
    expect(releaseFor('alloy', 'amd64').binaryNames).toContain('alloy-linux-amd64');
    const grafana = releaseFor('grafana', 'amd64');
    expect(grafana.source).toEqual({ kind: 'downloads-api', apiUrl: `https://grafana.com/api/downloads/grafana/versions/${versionOfImage(DEFAULT_IMAGES.grafana)}/packages/amd64/linux` });
  });

  it('in native mode are those of the images the spec pins, not the built-in defaults', async () => {
    const spec = { ...defaultSpec(), mode: 'native' as const };
    spec.images = { ...spec.images, prometheus: 'prom/prometheus:v3.5.0', alertmanager: 'prom/alertmanager@sha256:' + 'a'.repeat(64) };
    const plan = stackServices(spec);
    const prometheus = plan.find((s) => s.name === 'prometheus')!;
    expect(prometheus.program).toMatchObject({ image: 'prom/prometheus:v3.5.0' });
    // The 3.5.0 release is in the cache, the default's is not; PATH has none (the host's would win).
    const cache = mkdtempSync(join(tmpdir(), 'run-download-pin-'));
    const installed = join(cache, 'prometheus-3.5.0', 'prometheus-3.5.0.linux-amd64', 'prometheus');
    mkdirSync(join(installed, '..'), { recursive: true });
    writeFileSync(installed, '#!/bin/sh\n', { mode: 0o755 });
    const path = process.env.PATH;
    process.env.PATH = '';
    try {
      if (releaseArch()) {
        expect(await locate(prometheus, { cache, download: false })).toEqual({ executable: installed, leadingArgs: [], via: 'cache' });
        // An image pinned by digest alone names no version to download: said, with the fix.
        const am = await locate(plan.find((s) => s.name === 'alertmanager')!, { cache, download: false });
        expect(am).toMatchObject({ reason: expect.stringContaining('images.alertmanager (prom/alertmanager@sha256:'), remedy: expect.stringContaining('pin images.alertmanager with a tag') });
      }
      expect(releaseFor('prometheus', 'amd64', 'prom/prometheus:v3.5.0').source).toMatchObject({ archiveUrl: expect.stringContaining('/v3.5.0/prometheus-3.5.0.linux-amd64.tar.gz') });
      expect(versionOfImage('registry.local:5000/grafana/loki:3.7.6@sha256:' + 'b'.repeat(64))).toBe('3.7.6');
    } finally {
      process.env.PATH = path;
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('of VictoriaMetrics and Mimir follow their release layouts', () => {
    const base = 'https://github.com/VictoriaMetrics/VictoriaMetrics/releases/download/v1.150.0';
    expect(releaseFor('victoria-metrics', 'amd64', 'victoriametrics/victoria-metrics:v1.150.0')).toMatchObject({
      version: '1.150.0',
      source: { archiveUrl: `${base}/victoria-metrics-linux-amd64-v1.150.0.tar.gz`, checksumUrl: `${base}/victoria-metrics-linux-amd64-v1.150.0_checksums.txt` },
      binaryNames: ['victoria-metrics-prod'],
    });
    // vmalert and vmauth come in one vmutils archive.
    expect(releaseFor('vmauth', 'arm64', 'victoriametrics/vmauth:v1.150.0')).toMatchObject({
      source: { archiveUrl: `${base}/vmutils-linux-arm64-v1.150.0.tar.gz` },
      binaryNames: ['vmauth-prod'],
    });
    // A bare binary beside its digest, under the tag mimir-<version> (grafana/mimir@mimir-3.0.2:Makefile dist).
    expect(releaseFor('mimir', 'amd64', 'grafana/mimir:3.0.2').source).toEqual({
      kind: 'checksum-file',
      archiveUrl: 'https://github.com/grafana/mimir/releases/download/mimir-3.0.2/mimir-linux-amd64',
      checksumUrl: 'https://github.com/grafana/mimir/releases/download/mimir-3.0.2/mimir-linux-amd64-sha-256',
    });
  });

  it('read sha256sum listings, binary-mode marks included, and nothing else', () => {
    const a = 'a'.repeat(64);
    const b = 'B'.repeat(64);
    const listing = `${a}  prometheus-1.0.0.linux-amd64.tar.gz\n${b} *alertmanager-1.0.0.linux-amd64.tar.gz\nnot a line\n`;
    expect(checksumFor(listing, 'prometheus-1.0.0.linux-amd64.tar.gz')).toBe(a);
    expect(checksumFor(listing, 'alertmanager-1.0.0.linux-amd64.tar.gz')).toBe(b.toLowerCase());
    expect(checksumFor(listing, 'prometheus-1.0.0.linux-arm64.tar.gz')).toBeUndefined();
  });
});

describe.skipIf(!ready)('installing a release from a local server', () => {
  let server: Server;
  let base: string;
  let work: string;
  const files = new Map<string, Buffer>();
  const archiveName = 'prometheus-9.9.9.linux-amd64.tar.gz';
  let good: Buffer;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'run-download-'));
    // A release-style archive: one top folder holding the executable and its licence.
    const tree = join(work, 'src', 'prometheus-9.9.9.linux-amd64');
    mkdirSync(tree, { recursive: true });
    writeFileSync(join(tree, 'prometheus'), '#!/bin/sh\necho "prometheus, version 9.9.9"\n');
    chmodSync(join(tree, 'prometheus'), 0o755);
    writeFileSync(join(tree, 'LICENSE'), 'Apache-2.0\n');
    execFileSync('tar', ['-czf', join(work, archiveName), '-C', join(work, 'src'), 'prometheus-9.9.9.linux-amd64']);
    good = readFileSync(join(work, archiveName));
    const sha = createHash('sha256').update(good).digest('hex');
    files.set(`/good/${archiveName}`, good);
    files.set('/good/sha256sums.txt', Buffer.from(`${'0'.repeat(64)}  other.tar.gz\n${sha}  ${archiveName}\n`));
    // Same checksum file, archive with one byte changed.
    const tampered = Buffer.from(good);
    tampered[tampered.length - 10] ^= 0xff;
    files.set(`/bad/${archiveName}`, tampered);
    files.set('/bad/sha256sums.txt', files.get('/good/sha256sums.txt')!);
    server = createServer((req, res) => {
      const body = files.get(req.url ?? '');
      if (!body) return res.writeHead(404).end('not found');
      res.writeHead(200, { 'content-length': body.length }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const addr = server.address() as { port: number };
    base = `http://127.0.0.1:${addr.port}`;
  });
  afterAll(() => {
    server?.close();
    rmSync(work, { recursive: true, force: true });
  });

  const release = (dir: string): Release => ({
    service: 'prometheus',
    version: '9.9.9',
    source: { kind: 'checksum-file', archiveUrl: `${base}/${dir}/${archiveName}`, checksumUrl: `${base}/${dir}/sha256sums.txt` },
    binaryNames: ['prometheus'],
  });

  it('installs a good archive, with progress, and finds its executable afterwards', async () => {
    const cache = join(work, 'cache-good');
    const seen: [number, number | undefined][] = [];
    const binary = await installRelease(cache, release('good'), (got, total) => seen.push([got, total]));
    expect(binary).toBe(join(installDir(cache, release('good')), 'prometheus-9.9.9.linux-amd64', 'prometheus'));
    expect(execFileSync(binary, { encoding: 'utf8' })).toContain('version 9.9.9');
    expect(seen.at(-1)).toEqual([good.length, good.length]);
    expect(await installedBinary(cache, release('good'))).toBe(binary);
    // Only the install is left: no archive, no work folder.
    expect(readdirSync(cache)).toEqual(['prometheus-9.9.9']);
  });

  it('refuses a tampered archive, deletes it and installs nothing', async () => {
    const cache = join(work, 'cache-bad');
    const attempt = installRelease(cache, release('bad'));
    await expect(attempt).rejects.toBeInstanceOf(ChecksumMismatch);
    await expect(attempt).rejects.toThrow(/refusing prometheus-9\.9\.9\.linux-amd64\.tar\.gz: its SHA-256 is [0-9a-f]{64}, the release publishes [0-9a-f]{64}/);
    expect(readdirSync(cache)).toEqual([]);
    expect(existsSync(installDir(cache, release('bad')))).toBe(false);
  });

  it('refuses an archive the checksum file does not list', async () => {
    const cache = join(work, 'cache-unlisted');
    files.set('/unlisted/sha256sums.txt', Buffer.from(`${'0'.repeat(64)}  other.tar.gz\n`));
    files.set(`/unlisted/${archiveName}`, good);
    await expect(installRelease(cache, release('unlisted'))).rejects.toThrow(/lists no checksum for prometheus-9\.9\.9/);
    expect(readdirSync(cache)).toEqual([]);
  });

  it('installs a bare executable checked against a file of its digest alone', async () => {
    const exe = Buffer.from('#!/bin/sh\necho "mimir, version 9.9.9"\n');
    files.set('/bare/mimir-linux-amd64', exe);
    files.set('/bare/mimir-linux-amd64-sha-256', Buffer.from(`${createHash('sha256').update(exe).digest('hex')}\n`));
    const bare: Release = {
      service: 'mimir',
      version: '9.9.9',
      source: { kind: 'checksum-file', archiveUrl: `${base}/bare/mimir-linux-amd64`, checksumUrl: `${base}/bare/mimir-linux-amd64-sha-256` },
      binaryNames: ['mimir-linux-amd64', 'mimir'],
    };
    const binary = await installRelease(join(work, 'cache-bare'), bare);
    expect(execFileSync(binary, { encoding: 'utf8' })).toContain('mimir, version 9.9.9');
    files.set('/bare/mimir-linux-amd64', Buffer.concat([exe, Buffer.from('#')]));
    await expect(installRelease(join(work, 'cache-bare-bad'), bare)).rejects.toBeInstanceOf(ChecksumMismatch);
  });

  it('refuses a release whose checksum file disagrees with the digest pinned for it', async () => {
    const cache = join(work, 'cache-repinned');
    const sha = createHash('sha256').update(good).digest('hex');
    await expect(installRelease(cache, { ...release('good'), pinnedSha256: '1'.repeat(64) })).rejects.toThrow(new RegExp(`lists ${sha} for prometheus-9\\.9\\.9\\.linux-amd64\\.tar\\.gz, but fibre-stack pinned 1{64}`));
    expect(readdirSync(cache)).toEqual([]);
    // The same release pinned with its real digest installs.
    expect(await installRelease(cache, { ...release('good'), pinnedSha256: sha })).toContain('prometheus-9.9.9');
  });

  it('says which URL failed when the server has no such file', async () => {
    await expect(installRelease(join(work, 'cache-404'), release('missing'))).rejects.toThrow(new RegExp(`cannot download ${base}/missing/sha256sums.txt: HTTP 404`));
  });
});
