// What a user waits for the first time, side by side with create-vite, each as a ratio (issue 17):
// - warm: `create-fibre-stack --yes` with every profile, run from the installed package (this
//   package packed and installed from its tarball alone), against create-vite making a vanilla-ts
//   app, run from its installed package. A new node process each time. Goal: within 2x.
// - cold: `npx --package <our tarball> create-fibre-stack --yes` against `npx create-vite`, each
//   with an empty npm cache, so npx downloads, unpacks and installs before it runs. create-vite
//   comes from the npm registry; when that is out of reach both the create-vite figures are
//   skipped with a message. Goal: within 3x.
// - the packed size and installed size (bytes on disk of the installed package and everything it
//   brought), for the README's before/after.
// And the render alone, in process, which is what is left when start-up costs nothing.
// Every run's folder is new, under one folder of this benchmark, so each starts in the same state.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { renderStack } from '../../cli/render/index.js';
import { loadPackageSources } from '../../cli/io/templates.js';
import { defaultAnswers, specFromAnswers } from '../../cli/spec/from-answers.js';
import { PROFILE_IDS } from '../../cli/spec/types.js';
import { packageRoot } from '../../core/package-root.js';
import { median, spread } from '../lib/stats.js';

const WARM_RUNS = 15;
const COLD_RUNS = 5;
/** The create-vite release compared against, pinned so the reference does not move under us. */
const CREATE_VITE = 'create-vite@9.3.0';
const OURS_ARGS = ['--yes', '--profiles', PROFILE_IDS.join(','), '--scrape-target', '10.0.0.1:9100'];
const VITE_ARGS = ['--template', 'vanilla-ts', '--no-interactive', '--no-immediate'];

const work = mkdtempSync(join(tmpdir(), 'bench-create-'));
const NPM_QUIET = { npm_config_update_notifier: 'false', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_loglevel: 'error' };

function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { encoding: 'utf8', cwd: opts.cwd, env: { ...process.env, ...NPM_QUIET, ...opts.env }, timeout: 300_000 });
}

function must(r: SpawnSyncReturns<string>, what: string): SpawnSyncReturns<string> {
  if (r.status !== 0) throw new Error(`${what} failed (${r.status ?? r.signal}): ${r.stderr || r.stdout || r.error?.message}`);
  return r;
}

/** A new empty folder under this benchmark's own. */
function freshDir(name: string): string {
  return mkdtempSync(join(work, `${name}-`));
}

/** Bytes of every file under dir (symlinks counted as links), as `du -sb` would add them up. */
function bytesUnder(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) if (!e.isDirectory()) total += statSync(join(e.parentPath, e.name)).size;
  return total;
}

/** Wall time of one command in a new empty folder, which it is given as its target. */
function timeOnce(cmd: string, args: (dir: string) => string[], env?: NodeJS.ProcessEnv): number {
  const cwd = freshDir('run');
  const start = performance.now();
  const r = run(cmd, args(join(cwd, 'app')), { cwd, env });
  const ms = performance.now() - start;
  must(r, `${cmd} ${args('<dir>').join(' ')}`);
  rmSync(cwd, { recursive: true, force: true });
  return ms;
}

/** Runs a and b alternately, n times each, so that a busy moment of the machine hits both. */
function sideBySide(n: number, a: () => number, b: () => number): [number[], number[]] {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < n; i++) {
    xs.push(a());
    ys.push(b());
  }
  return [xs, ys];
}

function ratioLine(label: string, ours: number[], reference: string, theirs: number[], goal: number): string {
  const ratio = median(ours) / median(theirs);
  return `${label}: ours ${spread(ours)}; ${reference} ${spread(theirs)}; ratio ${ratio.toFixed(2)} (goal: within ${goal}x)`;
}

function main(): void {
  // This package as npm publishes it, installed from its tarball with an empty npm cache (what it
  // depends on, if anything, comes from the registry).
  const pack = JSON.parse(must(run('npm', ['pack', '--json', '--pack-destination', work], { cwd: packageRoot() }), 'npm pack').stdout) as { filename: string; size: number; unpackedSize: number }[];
  const tarball = join(work, pack[0].filename);
  const ours = freshDir('ours');
  writeFileSync(join(ours, 'package.json'), '{"private":true}\n');
  const installStart = performance.now();
  must(run('npm', ['install', tarball], { cwd: ours, env: { npm_config_cache: freshDir('cache') } }), 'installing the packed tarball');
  const installMs = performance.now() - installStart;
  const installed = readdirSync(join(ours, 'node_modules')).filter((d) => !d.startsWith('.'));
  console.log(`npm pack: ${pack[0].size} bytes packed, ${pack[0].unpackedSize} unpacked; npm install of the tarball (empty cache): ${installMs.toFixed(0)} ms, ${bytesUnder(join(ours, 'node_modules'))} bytes in node_modules, ${installed.length} top-level entries (${installed.slice(0, 8).join(', ')}${installed.length > 8 ? ', ...' : ''})`);
  const oursBin = join(ours, 'node_modules', 'fibre-stack', 'dist', 'cli', 'create-main.js');

  const vite = freshDir('vite');
  writeFileSync(join(vite, 'package.json'), '{"private":true}\n');
  const viteInstall = run('npm', ['install', CREATE_VITE], { cwd: vite, env: { npm_config_cache: freshDir('cache') } });
  const viteBin = viteInstall.status === 0 ? join(vite, 'node_modules', 'create-vite', 'index.js') : undefined;
  if (!viteBin) console.log(`${CREATE_VITE} could not be installed from the npm registry (${viteInstall.stderr.trim().split('\n').at(-1)}): the create-vite comparisons are skipped`);
  else console.log(`${CREATE_VITE} installed: ${bytesUnder(join(vite, 'node_modules'))} bytes in node_modules`);

  const warmOurs = () => timeOnce(process.execPath, (dir) => [oursBin, dir, ...OURS_ARGS]);
  if (viteBin) {
    const [a, b] = sideBySide(WARM_RUNS, warmOurs, () => timeOnce(process.execPath, (dir) => [viteBin, dir, ...VITE_ARGS]));
    console.log(ratioLine('warm create --yes, every profile, from the installed package', a, `${CREATE_VITE} vanilla-ts`, b, 2));
  } else console.log(`warm create --yes, every profile, from the installed package: ${spread(Array.from({ length: WARM_RUNS }, warmOurs))}`);

  // Cold: npx with an empty cache; a new cache folder per run.
  const coldOurs = () => timeOnce('npx', (dir) => ['--yes', '--package', tarball, 'create-fibre-stack', dir, ...OURS_ARGS], { npm_config_cache: freshDir('cache') });
  if (viteBin) {
    const [a, b] = sideBySide(COLD_RUNS, coldOurs, () => timeOnce('npx', (dir) => ['--yes', CREATE_VITE, dir, ...VITE_ARGS], { npm_config_cache: freshDir('cache') }));
    console.log(ratioLine('cold npx create-fibre-stack --yes from the packed tarball, empty npm cache', a, `cold npx ${CREATE_VITE}, empty npm cache`, b, 3));
  } else console.log(`cold npx create-fibre-stack --yes from the packed tarball, empty npm cache: ${spread(Array.from({ length: COLD_RUNS }, coldOurs))}`);

  const spec = specFromAnswers({ ...defaultAnswers('/tmp/bench'), profiles: [...PROFILE_IDS], scrapeTargets: ['10.0.0.1:9100'] });
  const sources = loadPackageSources();
  const render = Array.from({ length: 50 }, () => {
    const start = performance.now();
    renderStack(spec, { grafanaAdminPassword: 'x' }, sources);
    return performance.now() - start;
  });
  console.log(`render alone (in process, 50 runs): ${spread(render)}`);
}

try {
  mkdirSync(work, { recursive: true });
  main();
} finally {
  rmSync(work, { recursive: true, force: true });
}
