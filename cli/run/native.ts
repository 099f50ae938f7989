// The native runner's supervisor: the stack's services as plain processes on this host, started
// with cwd = the stack folder so the generated configs' relative paths (data/<service>/ ...) land
// inside it. Each gets its own process group, so Ctrl-C in the terminal reaches only the
// supervisor, which then stops them in order instead of every process racing to die at once.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { stackServices, resolveArg, type StackService } from '../render/stack-services.js';
import type { Say } from './runner.js';
import type { StackDir } from './stack-dir.js';
import { isLocated, locate, type LocateOptions, type Located } from './binaries.js';
import {
  clearUnavailable,
  isSameProcess,
  pidRecords,
  readPidRecord,
  removePidRecord,
  runDir,
  startTicksOf,
  writePidRecord,
  writeUnavailable,
  type PidRecord,
} from './pidfile.js';
import { describeProbe, probe, sleep } from './probe.js';

export const logFile = (stackDir: string, service: string) => join(stackDir, 'logs', `${service}.log`);

export interface StartOutcome {
  service: string;
  state: 'ready' | 'already running' | 'unavailable' | 'failed';
  detail: string;
  pid?: number;
}

/** The whole command line of a service, resolved against the stack folder. */
export function commandLine(stack: StackDir, svc: StackService, where: Located): { argv: string[]; env: Record<string, string> } {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(svc.env)) env[k] = resolveArg(v, stack.dir);
  for (const k of svc.envFromDotenv) if (stack.env[k] !== undefined) env[k] = stack.env[k];
  if (svc.core === 'grafana') env.GF_PATHS_HOME = grafanaHome(where.executable);
  return { argv: [where.executable, ...where.leadingArgs, ...svc.argv.map((a) => resolveArg(a, stack.dir))], env };
}

/**
 * Grafana needs its install folder (public/, conf/defaults.ini) as its home: the folder above bin/
 * in a release tarball, /usr/share/grafana for distribution packages.
 */
function grafanaHome(executable: string): string {
  const above = join(executable, '..', '..');
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
function failureLines(path: string, n: number): string {
  let lines: string[];
  try {
    lines = readFileSync(path, 'utf8').trimEnd().split('\n').slice(-60);
  } catch {
    return '';
  }
  const errors = lines.filter((l) => /level=(error|fatal)|\b(error|fatal|panic)\b/i.test(l));
  return (errors.length ? errors : lines).slice(-n).join('\n');
}

/** Spawns one service with its output appended to logs/<service>.log and records its pid. */
function spawnService(stack: StackDir, svc: StackService, where: Located): ChildProcess {
  mkdirSync(join(stack.dir, svc.dataDir), { recursive: true });
  mkdirSync(join(stack.dir, 'logs'), { recursive: true });
  const { argv, env } = commandLine(stack, svc, where);
  const out = openSync(logFile(stack.dir, svc.name), 'a');
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

/** Polls a service's readiness URL until it answers 200, the process exits, or time runs out. */
async function waitReady(svc: StackService, child: ChildProcess, timeoutMs: number, signal?: AbortSignal): Promise<{ ok: boolean; detail: string }> {
  const started = Date.now();
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = signal ? `killed by ${signal}` : `exited with code ${code}`));
  // The program could not be run at all (not executable, wrong architecture).
  child.once('error', (err) => (exited = `could not run: ${err.message}`));
  let last = '';
  while (Date.now() - started < timeoutMs) {
    if (exited) return { ok: false, detail: exited };
    if (signal?.aborted) return { ok: false, detail: 'interrupted' };
    const p = await probe(svc.readyUrl, { timeoutMs: 1000 });
    if (p.status === 200) return { ok: true, detail: `ready in ${((Date.now() - started) / 1000).toFixed(1)} s` };
    last = describeProbe(p);
    await sleep(100);
  }
  return { ok: false, detail: `not ready after ${timeoutMs / 1000} s (${svc.readyUrl}: ${last})` };
}

export interface NativeUpOptions extends LocateOptions {
  say: Say;
  readyTimeoutMs?: number;
  /** Stops waiting for readiness (Ctrl-C while starting). */
  signal?: AbortSignal;
}

export interface NativeUp {
  outcomes: StartOutcome[];
  /** Processes started by this call, for a foreground supervisor to watch and stop. */
  children: Map<string, ChildProcess>;
}

/**
 * Starts every service of the stack that is not already running. Services whose program cannot
 * be had are recorded (run/<service>.unavailable) with how to get it; the rest start regardless.
 */
export async function nativeUp(stack: StackDir, opts: NativeUpOptions): Promise<NativeUp> {
  const { say } = opts;
  const plan = stackServices(stack.spec);
  const outcomes: StartOutcome[] = [];
  const children = new Map<string, ChildProcess>();
  const width = Math.max(...plan.map((s) => s.name.length));
  const line = (name: string, text: string) => say(`  ${name.padEnd(width)}  ${text}`);
  // Find every program first (downloads print their own progress), then start them together.
  const found: { svc: StackService; where: Located }[] = [];
  for (const svc of plan) {
    const running = readPidRecord(stack.dir, svc.name);
    if (running && isSameProcess(running)) {
      line(svc.name, `already running (pid ${running.pid})`);
      outcomes.push({ service: svc.name, state: 'already running', detail: `pid ${running.pid}`, pid: running.pid });
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
  const started = found.map(({ svc, where }) => {
    const child = spawnService(stack, svc, where);
    children.set(svc.name, child);
    line(svc.name, `starting ${where.executable} (${where.via}), pid ${child.pid}`);
    return { svc, child };
  });
  await Promise.all(
    started.map(async ({ svc, child }) => {
      const r = await waitReady(svc, child, opts.readyTimeoutMs ?? 90_000, opts.signal);
      if (r.ok) {
        line(svc.name, r.detail);
        outcomes.push({ service: svc.name, state: 'ready', detail: r.detail, pid: child.pid });
      } else {
        const tail = failureLines(logFile(stack.dir, svc.name), 5);
        line(svc.name, `FAILED: ${r.detail}${tail ? `\n${tail.replace(/^/gm, '      | ')}` : ''}`);
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
 * Stops one recorded process: SIGTERM, then SIGKILL after the grace period. A pid that no longer
 * names the process we started (it exited and the pid was reused) is left alone.
 */
export async function stopRecorded(stackDir: string, rec: PidRecord, graceMs = 10_000): Promise<'stopped' | 'killed' | 'was not running'> {
  if (!isSameProcess(rec)) {
    removePidRecord(stackDir, rec.service);
    return 'was not running';
  }
  process.kill(rec.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isSameProcess(rec) || !alive(rec.pid)) {
      removePidRecord(stackDir, rec.service);
      return 'stopped';
    }
    await sleep(50);
  }
  process.kill(rec.pid, 'SIGKILL');
  removePidRecord(stackDir, rec.service);
  return 'killed';
}

/** Stops every native service of the stack folder, all at once: none of them depends on another to shut down. */
export async function nativeDown(stack: StackDir, say: Say): Promise<void> {
  const recs = pidRecords(stack.dir);
  if (recs.length === 0) say('  no native services are running');
  await Promise.all(
    recs.map(async (rec) => {
      const how = await stopRecorded(stack.dir, rec);
      say(`  ${rec.service}: ${how}${how === 'was not running' ? ' (stale pid file removed)' : ` (pid ${rec.pid})`}`);
    }),
  );
  for (const svc of stackServices(stack.spec)) clearUnavailable(stack.dir, svc.name);
  // An empty run/ says nothing runs here any more (a docker stack's native twin is found by it).
  try {
    rmdirSync(runDir(stack.dir));
  } catch {
    // not empty (a pid file of a process that would not stop) or already gone
  }
}
