// The native runner's supervisor: the stack's services as plain processes on this host, started
// with cwd = the stack folder so the generated configs' relative paths (data/<service>/ ...) land
// inside it. Each gets its own process group, so Ctrl-C in the terminal reaches only the
// supervisor, which then stops them in order instead of every process racing to die at once.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, constants, lstatSync, openSync, readFileSync, realpathSync, rmdirSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { stackServices, resolveArg, type StackService } from '../render/stack-services.js';
import type { Say } from './runner.js';
import { UserError } from '../../core/errors.js';
import type { StackDir } from './stack-dir.js';
import { isLocated, locate, type LocateOptions, type Located } from './binaries.js';
import { folderInStack } from './stack-dir.js';
import { describeListeners, listenersOn } from './listeners.js';
import { missingHostPaths } from './docker-preflight.js';
import { portOf } from './changes.js';
import {
  clearUnavailable,
  notOurs,
  ownerEnv,
  pidRecords,
  readPidRecord,
  removePidRecord,
  runDir,
  startTicksOf,
  writePidRecord,
  writeUnavailable,
  type PidRecord,
} from './pidfile.js';
import { describeProbe, probe, sleep, type Probe } from './probe.js';
import { adviceFromLog } from './failure-advice.js';
import { agentModeFlag } from '../render/fleet-node.js';
import { programVersion } from './program-version.js';
import { readyCa } from './hub-ca.js';

export const logFile = (stackDir: string, service: string) => join(stackDir, 'logs', `${service}.log`);

export interface StartOutcome {
  service: string;
  state: 'ready' | 'already running' | 'unavailable' | 'failed';
  detail: string;
  pid?: number;
}

/** Variables a service must be started with that the stack's .env lacks or leaves empty. */
export function missingDotenv(stack: StackDir, svc: StackService): string[] {
  return svc.envFromDotenv.filter((k) => !stack.env[k]);
}

/** The whole command line of a service, resolved against the stack folder. */
export function commandLine(stack: StackDir, svc: StackService, where: Located): { argv: string[]; env: Record<string, string> } {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(svc.env)) env[k] = resolveArg(v, stack.dir);
  for (const k of svc.envFromDotenv) if (stack.env[k] !== undefined) env[k] = stack.env[k];
  // Grafana reads its home only from --homepath, else from its working directory (the stack
  // folder here), and exits with "Could not find config defaults" without conf/defaults.ini there;
  // GF_PATHS_HOME is a variable of its Docker image's run.sh, never read by the server
  // (grafana/grafana@7895d8a692:pkg/setting/setting.go setHomePath; the flag in
  // grafana/grafana@035ee3ae62:pkg/cmd/grafana-server/commands/flags.go).
  const home = svc.core === 'grafana' ? ['--homepath', grafanaHome(where.executable)] : [];
  // Marks the process as this stack's (pidfile.ts notOurs): only a process we started carries it.
  Object.assign(env, ownerEnv(stack.dir, svc.name));
  const args = svc.argv.map((a) => resolveArg(a, stack.dir));
  return { argv: [where.executable, ...where.leadingArgs, ...home, ...(svc.core === 'prometheus' ? withAgentFlagOf(args, where.executable) : args)], env };
}

/**
 * A fleet node's agent is rendered with the pinned v3's `--agent`; an older Prometheus found here
 * (Debian's 2.42) takes agent mode as `--enable-feature=agent` instead, and refuses `--agent`.
 */
function withAgentFlagOf(args: string[], executable: string): string[] {
  if (!args.includes('--agent')) return args;
  const version = programVersion(executable);
  return version === undefined ? args : args.map((a) => (a === '--agent' ? agentModeFlag(version) : a));
}

/**
 * Grafana's home is its install folder (public/, conf/defaults.ini): the folder above bin/ in an
 * extracted release archive (the cache's grafana-<version>/grafana-v<version>/), or
 * /usr/share/grafana for distribution packages, whose grafana on PATH is a link or a wrapper.
 */
export function grafanaHome(executable: string): string {
  let real = executable;
  try {
    real = realpathSync(executable);
  } catch {
    // not there (yet): judge by the path as given
  }
  const above = join(real, '..', '..');
  for (const home of [above, '/usr/share/grafana']) {
    try {
      readFileSync(join(home, 'conf', 'defaults.ini'));
      return home;
    } catch {
      // not this one
    }
  }
  return above;
}

/** The lines of a log that say why a program stopped: its errors when it logged any, else its last lines. */
/** The last lines of a service's log (empty when it has none). */
export function logTail(stackDir: string, service: string, n = 60): string[] {
  try {
    return readFileSync(logFile(stackDir, service), 'utf8').trimEnd().split('\n').slice(-n);
  } catch {
    return [];
  }
}

function failureLines(lines: string[], n: number): string {
  const errors = lines.filter((l) => /level=(error|fatal)|\b(error|fatal|panic)\b/i.test(l));
  return (errors.length ? errors : lines).slice(-n).join('\n');
}

/** Who listens on a service's port when it is not the recorded process of ours (undefined: nobody else). */
export function foreignListener(svc: StackService, bindAddress: string, ourPid?: number): string | undefined {
  const listeners = listenersOn(portOf(svc), bindAddress).filter((l) => ourPid === undefined || !l.pids.includes(ourPid));
  return listeners.length ? describeListeners(listeners) : undefined;
}

/**
 * Makes a service's data and log folders, refusing (before anything starts) any that leads outside
 * the stack folder, and a log that is not a plain file (a symlink planted there is not written through).
 */
function prepareFolders(stack: StackDir, svc: StackService): void {
  if (svc.dataDir !== undefined) folderInStack(stack.dir, svc.dataDir);
  folderInStack(stack.dir, 'logs');
  const log = logFile(stack.dir, svc.name);
  let kind: Stats | undefined;
  try {
    kind = lstatSync(log);
  } catch {
    return; // not there yet
  }
  if (!kind.isFile()) throw new UserError(`${log} is not a plain file (a symlink?); fibre-stack appends only to its own logs: remove it, then run up again`);
}

/** Spawns one service with its output appended to logs/<service>.log and records its pid. */
function spawnService(stack: StackDir, svc: StackService, where: Located): ChildProcess {
  const { argv, env } = commandLine(stack, svc, where);
  // Appended to, never through a symlink planted in its place since prepareFolders looked.
  const out = openSync(logFile(stack.dir, svc.name), constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o640);
  const child = spawn(argv[0], argv.slice(1), {
    cwd: stack.dir,
    env: { ...process.env, ...env },
    stdio: ['ignore', out, out],
    detached: true,
  });
  closeSync(out);
  if (child.pid !== undefined) {
    writePidRecord(stack.dir, {
      service: svc.name,
      pid: child.pid,
      argv,
      startTicks: startTicksOf(child.pid) ?? '',
      startedAt: new Date().toISOString(),
    });
  }
  return child;
}

type Readiness = { ok: true; detail: string } | { ok: false; detail: string } | { waiting: string };

/** One look at a starting service: exited, ready (its own process answers on the port), or what it waits for. */
function readiness(svc: StackService, bindAddress: string, child: ChildProcess, p: Probe): Readiness {
  if (p.status !== 200) return { waiting: `${svc.readyUrl}: ${describeProbe(p)}` };
  // An answer counts only from our process: another program on the port answers just as well.
  const other = foreignListener(svc, bindAddress, child.pid);
  if (other) return { ok: false, detail: `port ${portOf(svc)} is answered by ${other}, not by the process started (pid ${child.pid})` };
  const ours = listenersOn(portOf(svc), bindAddress).some((l) => l.pids.includes(child.pid!));
  return ours ? { ok: true, detail: 'ready' } : { waiting: `${svc.readyUrl} answers, but not from pid ${child.pid}` };
}

/**
 * Polls a service's readiness URL until its own process answers 200, the process exits, time
 * runs out or `signal` aborts (Ctrl-C, or another service failed). `waiting` is told what it
 * waits for each time that changes.
 */
async function waitReady(
  stack: StackDir,
  svc: StackService,
  child: ChildProcess,
  opts: { timeoutMs: number; signal: AbortSignal; waiting: (what: string) => void },
): Promise<{ ok: boolean; detail: string }> {
  const started = Date.now();
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = signal ? `killed by ${signal}` : `exited with code ${code}`));
  // The program could not be run at all (not executable, wrong architecture).
  child.once('error', (err) => (exited = `could not run: ${err.message}`));
  let last = '';
  while (Date.now() - started < opts.timeoutMs) {
    if (exited) return { ok: false, detail: exited };
    if (opts.signal.aborted) return { ok: false, detail: 'stopped waiting' };
    const r = readiness(svc, stack.spec.bind_address, child, await probe(svc.readyUrl, { timeoutMs: 1000, ca: readyCa(stack, svc) }));
    // Exited meanwhile: its port may be someone else's answer, which says nothing of ours.
    if (exited) return { ok: false, detail: exited };
    if ('ok' in r) return r.ok ? { ok: true, detail: `ready in ${((Date.now() - started) / 1000).toFixed(1)} s` } : r;
    if (r.waiting !== last) opts.waiting(r.waiting);
    last = r.waiting;
    await sleep(100);
  }
  return { ok: false, detail: `not ready after ${opts.timeoutMs / 1000} s (${last})` };
}

export interface NativeUpOptions extends LocateOptions {
  say: Say;
  readyTimeoutMs?: number;
  /** Stops waiting for readiness (Ctrl-C while starting). */
  signal?: AbortSignal;
  /** Stop waiting for the others as soon as one service fails (a foreground run then stops what it started). */
  failFast?: boolean;
  /** Only these services (restart, apply); every service of the stack when absent. */
  only?: readonly string[];
}

export interface NativeUp {
  outcomes: StartOutcome[];
  /** Processes started by this call, for a foreground supervisor to watch and stop. */
  children: Map<string, ChildProcess>;
}

/**
 * The services whose port another program already holds, with who holds it: `up` refuses to start
 * any of the stack while one is, rather than start half of it.
 */
export function portsTaken(stack: StackDir, services: readonly StackService[]): string[] {
  return services.flatMap((svc) => {
    const other = foreignListener(svc, stack.spec.bind_address);
    return other ? [`${svc.name}: port ${portOf(svc)} on ${stack.spec.bind_address} is taken by ${other}`] : [];
  });
}

/**
 * Starts every service of the stack that is not already running. Services whose program cannot
 * be had are recorded (run/<service>.unavailable) with how to get it; the rest start regardless.
 * A port held by another program is refused before anything starts.
 */
export async function nativeUp(stack: StackDir, opts: NativeUpOptions): Promise<NativeUp> {
  const { say } = opts;
  const plan = stackServices(stack.spec).filter((s) => !opts.only || opts.only.includes(s.name));
  const outcomes: StartOutcome[] = [];
  const children = new Map<string, ChildProcess>();
  const width = Math.max(...plan.map((s) => s.name.length));
  const line = (name: string, text: string) => say(`  ${name.padEnd(width)}  ${text}`);
  // Find every program first (downloads print their own progress), then start them together.
  const found: { svc: StackService; where: Located }[] = [];
  const toStart: StackService[] = [];
  for (const svc of plan) {
    const running = readPidRecord(stack.dir, svc.name);
    if (running && notOurs(stack.dir, running) === undefined) {
      line(svc.name, `already running (pid ${running.pid})`);
      outcomes.push({ service: svc.name, state: 'already running', detail: `pid ${running.pid}`, pid: running.pid });
      continue;
    }
    toStart.push(svc);
  }
  const taken = portsTaken(stack, toStart);
  if (taken.length) {
    throw new UserError(
      `cannot start: ${taken.join('; ')}.\nStop that program, or give this stack other ports (ports: in fibre-stack.yml, then \`fibre-stack apply\`). Nothing was started.`,
    );
  }
  for (const svc of toStart) {
    const lacking = missingDotenv(stack, svc);
    if (lacking.length) {
      // vmauth would take an unset %{VAR} placeholder literally, as a token anyone can read in auth.yml.
      line(svc.name, `cannot start: ${stack.dir}/.env has no value for ${lacking.join(', ')}\n  ${' '.repeat(width)}  to fix: run \`fibre-stack generate\`, which adds what is missing`);
      outcomes.push({ service: svc.name, state: 'failed', detail: `.env has no value for ${lacking.join(', ')}; run fibre-stack generate` });
      continue;
    }
    const where = await locate(svc, opts);
    if (!isLocated(where)) {
      writeUnavailable(stack.dir, { service: svc.name, reason: where.reason, remedy: where.remedy });
      line(svc.name, `cannot start: ${where.reason}\n  ${' '.repeat(width)}  to fix: ${where.remedy}`);
      outcomes.push({ service: svc.name, state: 'unavailable', detail: `${where.reason}; to fix: ${where.remedy}` });
      continue;
    }
    clearUnavailable(stack.dir, svc.name);
    found.push({ svc, where });
  }
  for (const { svc } of found) prepareFolders(stack, svc);
  const started = found.map(({ svc, where }) => {
    const child = spawnService(stack, svc, where);
    children.set(svc.name, child);
    line(svc.name, `starting ${where.executable} (${where.via}), pid ${child.pid}`);
    return { svc, child };
  });
  // Aborted by the caller (Ctrl-C) or, with failFast, by the first service that fails.
  const stopWaiting = new AbortController();
  opts.signal?.addEventListener('abort', () => stopWaiting.abort(), { once: true });
  await Promise.all(
    started.map(async ({ svc, child }) => {
      const r = await waitReady(stack, svc, child, {
        timeoutMs: opts.readyTimeoutMs ?? 90_000,
        signal: stopWaiting.signal,
        waiting: (what) => line(svc.name, `waiting: ${what}`),
      });
      if (r.ok) {
        line(svc.name, r.detail);
        outcomes.push({ service: svc.name, state: 'ready', detail: r.detail, pid: child.pid });
      } else {
        if (opts.failFast && !stopWaiting.signal.aborted) stopWaiting.abort();
        const lines = logTail(stack.dir, svc.name);
        const tail = failureLines(lines, 5);
        const advice = adviceFromLog(lines.join('\n'));
        const hints = [...(missingHostPaths(stack.spec).get(svc.name) ?? []), ...(advice ? [advice] : [])].map((h) => `\n      to fix: ${h}`).join('');
        line(svc.name, `FAILED: ${r.detail}${tail ? `\n${tail.replace(/^/gm, '      | ')}` : ''}${hints}`);
        outcomes.push({ service: svc.name, state: 'failed', detail: `${r.detail}; see logs/${svc.name}.log`, pid: child.pid });
      }
    }),
  );
  return { outcomes, children };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * Stops one recorded process: SIGTERM, then SIGKILL after the grace period. Only a process proved
 * to be the one `up` started for this stack is signalled (pidfile.ts notOurs); for anything else
 * the pid file is only removed.
 */
export async function stopRecorded(stackDir: string, rec: PidRecord, graceMs = 10_000): Promise<'stopped' | 'killed' | 'was not running'> {
  if (notOurs(stackDir, rec) !== undefined) {
    removePidRecord(stackDir, rec.service);
    return 'was not running';
  }
  process.kill(rec.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    // Once it is no longer ours (exited, or reaped and the pid reused), it has stopped.
    if (notOurs(stackDir, rec) !== undefined || !alive(rec.pid)) {
      removePidRecord(stackDir, rec.service);
      return 'stopped';
    }
    await sleep(50);
  }
  if (notOurs(stackDir, rec) === undefined) process.kill(rec.pid, 'SIGKILL');
  removePidRecord(stackDir, rec.service);
  return 'killed';
}

/** Stops the named native services of the stack folder (every one when absent), all at once: none of them depends on another to shut down. */
export async function nativeDown(stack: StackDir, say: Say, only?: readonly string[]): Promise<void> {
  const services = new Set(stackServices(stack.spec).map((s) => s.name));
  // A pid file named after no service of this stack is not acted on (it may be from an older spec: it is removed).
  const recs = pidRecords(stack.dir).filter((r) => !only || only.includes(r.service));
  if (recs.length === 0) say('  no native services are running');
  await Promise.all(
    recs.map(async (rec) => {
      const how = await stopRecorded(stack.dir, rec);
      const stale = how === 'was not running' ? ` (pid file removed: ${notOurs(stack.dir, rec)})` : ` (pid ${rec.pid})`;
      say(`  ${rec.service}: ${how}${stale}${services.has(rec.service) ? '' : ', no longer a service of this stack'}`);
    }),
  );
  if (only) return;
  for (const svc of services) clearUnavailable(stack.dir, svc);
  // An empty run/ says nothing runs here any more (a docker stack's native twin is found by it).
  try {
    rmdirSync(runDir(stack.dir));
  } catch {
    // not empty (a pid file of a process that would not stop) or already gone
  }
}
