// The native runner: the stack's services as processes on this host (run/native.ts supervises
// them), their state from pid files proved against the processes, their logs from logs/<service>.log.
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { UserError } from '../../core/errors.js';
import { stackServices, type StackService } from '../render/stack-services.js';
import { pathInStack, type StackDir } from './stack-dir.js';
import type { ApplyOptions, RestartOptions, Say, ServiceState, StackRunner, UpOptions } from './runner.js';
import { commandLine, foreignListener, logFile, logTail, nativeDown, nativeUp, stopRecorded, type StartOutcome } from './native.js';
import { adviceFromLog } from './failure-advice.js';
import { notOurs, pidRecords, readPidRecord, readUnavailable, type PidRecord } from './pidfile.js';
import { isLocated, locate } from './binaries.js';
import { baseUrlOf, changesFor, portOf } from './changes.js';
import { reloadOverHttp } from './probe.js';

/** Summary lines and exit code of a native start. */
function summary(outcomes: StartOutcome[], say: Say): number {
  const unavailable = outcomes.filter((o) => o.state === 'unavailable');
  const failed = outcomes.filter((o) => o.state === 'failed');
  if (unavailable.length) say(`\nNot started (program not available): ${unavailable.map((o) => o.service).join(', ')}. The rest run without them.`);
  if (failed.length) say(`\nFailed to become ready: ${failed.map((o) => o.service).join(', ')} (see logs/<service>.log in the stack folder).`);
  return failed.length ? 1 : 0;
}

/** Stops the processes this run started, each by its pid file. */
async function stopStarted(stack: StackDir, children: Map<string, ChildProcess>, say: Say): Promise<void> {
  say('\nStopping ...');
  await Promise.all(
    [...children.keys()].map(async (name) => {
      const rec = readPidRecord(stack.dir, name);
      if (rec) say(`  ${name}: ${await stopRecorded(stack.dir, rec)}`);
    }),
  );
}

/**
 * Starts the stack natively. In the foreground it then runs until Ctrl-C and stops what it
 * started; Ctrl-C is listened for from the start, so an interrupted start leaves nothing behind,
 * and a service that fails to become ready ends the run at once (exit 1), stopping what it started.
 */
async function up(stack: StackDir, opts: UpOptions): Promise<number> {
  const { say, detach } = opts;
  say(`Starting ${stack.spec.project} natively in ${stack.dir}:`);
  const interrupt = new AbortController();
  const onSignal = () => interrupt.abort();
  if (!detach) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  const { outcomes, children } = await nativeUp(stack, { say, readyTimeoutMs: opts.timeoutMs, signal: interrupt.signal, failFast: !detach });
  const interruptedWhileStarting = interrupt.signal.aborted;
  const code = interruptedWhileStarting ? 130 : summary(outcomes, say);
  if (detach || children.size === 0) {
    for (const child of children.values()) child.unref();
    if (detach) say(`\nDetached. Stop with: fibre-stack down --dir ${opts.userDir}`);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    return code;
  }
  if (!interruptedWhileStarting && code === 0) {
    say('\nRunning in the foreground; Ctrl-C stops everything. (Use --detach to keep it running.)');
    for (const [name, child] of children) {
      child.on('exit', (exitCode, signal) => {
        if (!interrupt.signal.aborted) say(`  ${name} exited (${signal ?? `code ${exitCode}`}); see logs/${name}.log`);
      });
    }
    await new Promise((resolve) => interrupt.signal.addEventListener('abort', resolve, { once: true }));
  }
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  await stopStarted(stack, children, say);
  return code;
}

/** One service's process as its pid file says, once that process is proved ours. */
function processState(stack: StackDir, svc: StackService): ServiceState {
  const state = { service: svc.name, check: 'process', reachableFromHost: true } as const;
  const why = readUnavailable(stack.dir, svc.name);
  if (why) return { ...state, running: false, down: 'stopped', detail: `${why.reason}; to fix: ${why.remedy}`, unavailable: { reason: why.reason, remedy: why.remedy } };
  const rec = readPidRecord(stack.dir, svc.name);
  // `down` and a foreground run remove the pid files of what they stop: one left behind is of a process that died.
  if (!rec) return { ...state, running: false, down: 'stopped', detail: 'stopped (fibre-stack up starts it)' };
  const notOurProcess = notOurs(stack.dir, rec);
  if (notOurProcess) {
    const advice = adviceFromLog(logTail(stack.dir, svc.name).join('\n'));
    return { ...state, running: false, down: 'crashed', detail: `crashed: ${notOurProcess}; ${advice ? `to fix: ${advice}` : `see logs/${svc.name}.log`}` };
  }
  const other = foreignListener(svc, stack.spec.bind_address, rec.pid);
  const identity = other
    ? { ours: false, detail: `port ${portOf(svc)} is answered by ${other}, not by pid ${rec.pid}` }
    : { ours: true, detail: `port ${portOf(svc)} is pid ${rec.pid}'s` };
  return { ...state, running: true, detail: `pid ${rec.pid}`, identity };
}

/** Each service's process as its pid file and run/ records say. */
export function processStates(stack: StackDir): Map<string, ServiceState> {
  return new Map(stackServices(stack.spec).map((svc) => [svc.name, processState(stack, svc)]));
}

/** True when `up` ran this stack's services natively here: they left pid files, or records of programs it could not have. */
export function hasNativeRecords(stack: StackDir): boolean {
  return pidRecords(stack.dir).length > 0 || stackServices(stack.spec).some((s) => readUnavailable(stack.dir, s.name));
}

/** The running services of the stack (proved ours), with their pid records. */
function runningRecords(stack: StackDir): Map<string, PidRecord> {
  const out = new Map<string, PidRecord>();
  for (const rec of pidRecords(stack.dir)) if (notOurs(stack.dir, rec) === undefined) out.set(rec.service, rec);
  return out;
}

/** Services whose command line would now differ from the one they run with (spec edit, other binary). */
async function argvChanged(stack: StackDir, running: ReadonlyMap<string, PidRecord>): Promise<Set<string>> {
  const out = new Set<string>();
  for (const svc of stackServices(stack.spec)) {
    const rec = running.get(svc.name);
    if (!rec) continue;
    const where = await locate(svc);
    if (!isLocated(where)) continue;
    if (commandLine(stack, svc, where).argv.join('\0') !== rec.argv.join('\0')) out.add(svc.name);
  }
  return out;
}

/** Restarts the named services (stop by pid file, start detached); returns the exit code. */
async function restartServices(stack: StackDir, names: readonly string[], opts: { say: Say; timeoutMs: number }): Promise<number> {
  if (names.length === 0) return 0;
  await nativeDown(stack, opts.say, names);
  const { outcomes, children } = await nativeUp(stack, { say: opts.say, readyTimeoutMs: opts.timeoutMs, only: names });
  for (const child of children.values()) child.unref();
  return summary(outcomes, opts.say);
}

async function apply(stack: StackDir, opts: ApplyOptions): Promise<number> {
  const { say } = opts;
  const running = runningRecords(stack);
  if (running.size === 0) {
    say(`${stack.spec.project} is not running here: \`fibre-stack up\` starts it with the new files.`);
    return 0;
  }
  const services = stackServices(stack.spec);
  const names = new Set(services.map((s) => s.name));
  // Services the spec no longer has are stopped.
  const gone = [...running.keys()].filter((n) => !names.has(n));
  if (gone.length) {
    say(`Stopping what the stack no longer has: ${gone.join(', ')}`);
    await nativeDown(stack, say, gone);
  }
  const changes = changesFor(services.filter((s) => running.has(s.name)), opts.changedFiles, await argvChanged(stack, running));
  let code = 0;
  for (const c of changes.filter((x) => x.how === 'reload')) {
    const r = await reloadOverHttp(baseUrlOf(services.find((s) => s.name === c.service)!));
    say(`  ${c.service}: ${r.detail} (${c.why})`);
    if (!r.ok) code = 1;
  }
  const restarts = changes.filter((c) => c.how === 'restart');
  for (const c of restarts) say(`  ${c.service}: restarting (${c.why})`);
  const fresh = services.filter((s) => !running.has(s.name) && !readUnavailable(stack.dir, s.name)).map((s) => s.name);
  if (fresh.length) say(`  starting what is not running: ${fresh.join(', ')}`);
  const started = await restartServices(stack, [...restarts.map((c) => c.service), ...fresh], opts);
  if (changes.length === 0 && fresh.length === 0 && gone.length === 0) say('Every running service already has the current files.');
  return Math.max(code, started);
}

async function restart(stack: StackDir, opts: RestartOptions): Promise<number> {
  const running = runningRecords(stack);
  const names = opts.service ? [opts.service] : [...running.keys()];
  if (names.length === 0) throw new UserError(`nothing of ${stack.spec.project} runs here: start it with \`fibre-stack up\``);
  opts.say(`Restarting ${names.join(', ')} ...`);
  return restartServices(stack, names, opts);
}

export const nativeRunner: StackRunner = {
  mode: 'native',
  up,
  async down(stack, { volumes, say }) {
    say(`Stopping ${stack.spec.project} (native):`);
    await nativeDown(stack, say);
    if (volumes) {
      // Each data folder is checked to really be inside the stack: a `data` symlink to elsewhere is refused, not followed.
      const folders = stackServices(stack.spec).flatMap((svc) => (svc.dataDir === undefined ? [] : [pathInStack(stack.dir, svc.dataDir)]));
      for (const folder of folders) rmSync(folder, { recursive: true, force: true });
      say('  data/ deleted');
    }
  },
  async serviceStates(stack) {
    return processStates(stack);
  },
  apply,
  restart,
  async logs(stack, { service, follow, tail }) {
    const names = service ? [service] : stackServices(stack.spec).map((s) => s.name);
    const files = names.map((n) => logFile(stack.dir, n)).filter((f) => existsSync(f));
    if (files.length === 0) throw new UserError(`no logs yet in ${stack.dir}/logs: start the stack with \`fibre-stack up --native\``);
    // tail names each file when given several, which is what a reader of mixed logs needs.
    const child = spawn('tail', ['-n', String(tail), ...(follow ? ['-F'] : []), ...files], { stdio: 'inherit' });
    return new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 0)));
  },
};
