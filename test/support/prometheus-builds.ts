// The Prometheus and Alertmanager builds the suites that run them for real check: Debian 12's
// (Prometheus 2.42, Alertmanager 0.25, installed on the host) and Debian 13 "trixie"'s (2.53 and
// 0.28), which run from the local images scripts/images/build.sh makes from a debootstrapped
// trixie root, so the host's libc is never upgraded. Like bpftrace-builds.ts: a build this
// machine cannot run is skipped with its reason, and fails the run in CI (prerequisites()).
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { hasCommand, isRoot, prerequisites } from './prereq.js';
import { TRIXIE_ALERTMANAGER_IMAGE, TRIXIE_PROMETHEUS_IMAGE, ensureTestImages } from './images.js';

/** The programs of Debian's prometheus and prometheus-alertmanager packages. */
export type PromProgram = 'prometheus' | 'promtool' | 'prometheus-alertmanager' | 'amtool';

export interface RunOptions {
  cwd?: string;
  /** Host folders the program reads (args and cwd name files in them); mounted read-only at the same path in an image. */
  reads?: string[];
  /** Host folders the program writes; mounted read-write at the same path in an image. */
  writes?: string[];
}

export interface PromBuild {
  /** e.g. `Prometheus 2.53.3, Alertmanager 0.28.1 (Debian trixie images)`. */
  name: string;
  /** Runs a program to completion. */
  run(program: PromProgram, args: string[], opts?: RunOptions): SpawnSyncReturns<string>;
  /** Starts a server on the host's loopback; stop() ends it (and removes its container). */
  start(program: PromProgram, args: string[], opts?: RunOptions): { stop(): void };
}

const host: Omit<PromBuild, 'name'> = {
  run: (program, args, opts = {}) => spawnSync(program, args, { cwd: opts.cwd, encoding: 'utf8' }),
  start: (program, args) => {
    const p = spawn(program, args, { stdio: 'ignore' });
    return { stop: () => void p.kill('SIGTERM') };
  },
};

function imageOf(program: PromProgram): string {
  switch (program) {
    case 'prometheus': case 'promtool': return TRIXIE_PROMETHEUS_IMAGE;
    case 'prometheus-alertmanager': case 'amtool': return TRIXIE_ALERTMANAGER_IMAGE;
  }
}

/**
 * `docker run` of a program in its trixie image: on the host's network (so a server listens on
 * the host's loopback, as the native processes do), as root (test folders are 0700 mkdtemp
 * folders; the user the image runs as is checked by infra-images.test.ts), with the folders it
 * needs at their host paths so every path in the arguments means the same inside.
 */
function dockerArgs(name: string, program: PromProgram, args: string[], opts: RunOptions): string[] {
  const mounts = [...new Set([...(opts.reads ?? []), ...(opts.cwd ? [opts.cwd] : [])])].flatMap((d) => ['-v', `${d}:${d}:ro`]);
  for (const d of opts.writes ?? []) mounts.push('-v', `${d}:${d}`);
  return ['run', '--rm', '--name', name, '--network', 'host', '--user', '0', ...mounts, ...(opts.cwd ? ['-w', opts.cwd] : []),
    '--entrypoint', `/usr/bin/${program}`, imageOf(program), ...args];
}

const trixie: Omit<PromBuild, 'name'> = {
  run: (program, args, opts = {}) =>
    spawnSync('docker', dockerArgs(`fibre-stack-test-${randomBytes(4).toString('hex')}`, program, args, opts), { encoding: 'utf8', timeout: 120_000 }),
  start: (program, args, opts = {}) => {
    const name = `fibre-stack-test-${randomBytes(4).toString('hex')}`;
    spawn('docker', dockerArgs(name, program, args, opts), { stdio: 'ignore' });
    return { stop: () => void spawnSync('docker', ['rm', '-f', name], { stdio: 'ignore' }) };
  },
};

function imagesMissing(): string | undefined {
  const missing = () => [TRIXIE_PROMETHEUS_IMAGE, TRIXIE_ALERTMANAGER_IMAGE]
    .filter((i) => spawnSync('docker', ['image', 'inspect', i], { stdio: 'ignore' }).status !== 0);
  // Build them when this machine can (root, debootstrap): a few minutes once, then cached.
  if (missing().length > 0 && isRoot() && hasCommand('debootstrap')) {
    try { ensureTestImages(); } catch { /* reported below */ }
  }
  const left = missing();
  return left.length ? `the images ${left.join(', ')} (scripts/images/build.sh builds them, as root with debootstrap)` : undefined;
}

/** `promtool, version 2.53.3+ds1 (...)` -> `2.53.3`. */
function version(build: Omit<PromBuild, 'name'>, program: PromProgram): string {
  const r = build.run(program, ['--version']);
  return /version (\d+\.\d+\.\d+)/.exec(`${r.stdout}${r.stderr}`)?.[1] ?? 'unknown version';
}

function named(build: Omit<PromBuild, 'name'>, programs: PromProgram[], where: string): PromBuild {
  const parts: string[] = [];
  if (programs.some((p) => p === 'prometheus' || p === 'promtool')) parts.push(`Prometheus ${version(build, 'promtool')}`);
  if (programs.some((p) => p === 'prometheus-alertmanager' || p === 'amtool')) parts.push(`Alertmanager ${version(build, 'amtool')}`);
  return { ...build, name: `${parts.join(', ')} (${where})` };
}

/** Every build this machine can run the programs of; in CI a missing one fails the suite. */
export function prometheusBuilds(suite: string, programs: PromProgram[]): PromBuild[] {
  const builds: PromBuild[] = [];
  if (prerequisites(`${suite} on Debian 12's build`, { commands: programs })) builds.push(named(host, programs, 'Debian 12, host'));
  const newer = trixieBuild(suite, programs);
  if (newer) builds.push(newer);
  return builds;
}

/** Debian trixie's build alone, for what only its newer programs have (Alertmanager's *_file settings of 0.26 and 0.27). */
export function trixieBuild(suite: string, programs: PromProgram[]): PromBuild | undefined {
  return prerequisites(`${suite} on Debian trixie's build`, { docker: true, check: imagesMissing }) ? named(trixie, programs, 'Debian trixie image') : undefined;
}
