// The package as npm publishes it (issue 17): the CLI bundled by scripts/build.mjs (vitest builds
// it first, test/support/build.ts), no runtime dependencies, everything the CLI reads at run time
// inside the tarball. Packed, installed from the tarball alone (offline, an empty npm cache: any
// dependency would fail the install), and run as `npx create-fibre-stack` runs it; the stack it
// writes is the one the sources render (so the templates precompiled into the bundle say what
// the templates say). The bundle's prompts are checked on a terminal by scaffold-interactive.test.ts.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderStack } from '../cli/render/index.js';
import { loadPackageSources } from '../cli/io/templates.js';
import { loadOrCreateSecrets, readSpec } from '../cli/io/spec-io.js';
import { readHostFacts } from '../cli/io/host-facts.js';
import { ROOT } from './support/cli.js';
import { tempDir } from './support/stack.js';
// @ts-expect-error: plain JavaScript of the build, without types
import { asciiWidth } from '../scripts/lib/ascii-width.mjs';

const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; dependencies?: object; bin: Record<string, string> };
const npmEnv = (cache: string) => ({ ...process.env, npm_config_cache: cache, npm_config_update_notifier: 'false', npm_config_audit: 'false', npm_config_fund: 'false' });

describe('the published package', () => {
  const work = tempDir('fibre-stack-bundle-');
  let packed: { filename: string; files: { path: string }[] };
  let prefix: string;

  beforeAll(() => {
    const pack = spawnSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: ROOT, env: npmEnv(join(work, 'pack-cache')), encoding: 'utf8', timeout: 120_000 });
    expect(pack.status, pack.stderr).toBe(0);
    packed = (JSON.parse(pack.stdout) as (typeof packed)[])[0];
    prefix = join(work, 'user');
    mkdirSync(prefix);
    writeFileSync(join(prefix, 'package.json'), '{"private":true}\n');
    const install = spawnSync('npm', ['install', '--offline', join(work, packed.filename)], { cwd: prefix, env: npmEnv(join(work, 'empty-cache')), encoding: 'utf8', timeout: 120_000 });
    expect(install.status, install.stderr).toBe(0);
  }, 240_000);

  it('has no runtime dependencies: installed offline from the tarball alone, it is all node_modules holds', () => {
    expect(PKG.dependencies ?? {}).toEqual({});
    expect(readdirSync(join(prefix, 'node_modules')).filter((d) => !d.startsWith('.'))).toEqual([PKG.name]);
  });

  it('holds the bundle and what the CLI reads at run time, and no sources, benchmarks or development bundle', () => {
    const paths = packed.files.map((f) => f.path);
    for (const bin of Object.values(PKG.bin)) expect(paths).toContain(bin);
    for (const dir of ['dist/chunks/', 'templates/', 'bpf/', 'dashboards/', 'rules/', 'rules/tests/', 'exporter/samples/']) expect(paths.some((p) => p.startsWith(dir)), dir).toBe(true);
    expect(paths).toContain('exporter/Dockerfile');
    expect(paths).toContain('dist/THIRD-PARTY-LICENSES.md');
    expect(paths.filter((p) => p.endsWith('.ts') || p.startsWith('dist/dev/') || p.startsWith('dist/scripts/') || p.startsWith('cli/'))).toEqual([]);
  });

  it('create-fibre-stack --yes writes the stack the sources render, and fibre-stack --version names this version', () => {
    const bin = join(prefix, 'node_modules', '.bin');
    const version = spawnSync(join(bin, 'fibre-stack'), ['--version'], { encoding: 'utf8' });
    expect(version.status, version.stderr).toBe(0);
    expect(version.stdout.trim()).toBe(PKG.version);

    const stack = join(work, 'stack');
    const r = spawnSync(join(bin, 'create-fibre-stack'), [stack, '--yes', '--profiles', 'fibre,bitcoin-core,miner,nodeos,scrape', '--scrape-target', '10.0.0.1:9100'], { cwd: work, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const spec = readSpec(stack);
    const files = renderStack(spec, loadOrCreateSecrets(stack), loadPackageSources(), readHostFacts(spec));
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) expect(readFileSync(join(stack, f.path), 'utf8'), f.path).toBe(f.content);
  });
});

describe("the bundle's string width for plain ASCII (scripts/lib/ascii-width.mjs)", () => {
  // yargs' (ES module), cliui's (ES module) and the prompts' (CommonJS, through wrap-ansi).
  const versions = ['yargs/node_modules/string-width', 'cliui/node_modules/string-width', 'string-width'];
  let widths: ((s: string) => number)[];
  beforeAll(async () => {
    widths = await Promise.all(versions.map(async (v) => (await import(join(ROOT, 'node_modules', v, 'index.js'))).default as (s: string) => number));
  });

  it('is what every string-width version the bundle puts it in front of says, for any ASCII text without ESC', () => {
    const ascii = fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).filter((c) => c !== 0x1b).map((c) => String.fromCharCode(c)) });
    fc.assert(fc.property(ascii, (s) => widths.every((w) => w(s) === asciiWidth(s))), { numRuns: 2000 });
    expect(asciiWidth('\tCommands:\r\n  create [dir]')).toBe(widths[0]('\tCommands:\r\n  create [dir]'));
  });

  it('leaves escape sequences and anything beyond ASCII to string-width', () => {
    expect(asciiWidth('\u001b[1mbold\u001b[22m')).toBeUndefined();
    expect(asciiWidth('Grafana \u2014 dashboards')).toBeUndefined();
    expect(asciiWidth('\u00e9')).toBeUndefined();
  });
});
