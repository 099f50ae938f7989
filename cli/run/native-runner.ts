// The native runner: the stack's services as processes on this host (run/native.ts supervises
// them), their state from pid files, their logs from logs/<service>.log.
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../core/errors.js';
import { stackServices } from '../render/stack-services.js';
import type { StackDir } from './stack-dir.js';
import type { ServiceState, StackRunner, UpOptions } from './runner.js';
import { logFile, nativeDown, nativeUp, stopRecorded, type StartOutcome } from './native.js';
import { isSameProcess, pidRecords, readPidRecord, readUnavailable } from './pidfile.js';

/** Summary lines and exit code of a native start. */
function summary(outcomes: StartOutcome[], say: UpOptions['say']): number {
  const unavailable = outcomes.filter((o) => o.state === 'unavailable');
  const failed = outcomes.filter((o) => o.state === 'failed');
  if (unavailable.length) say(`\nNot started (program not available): ${unavailable.map((o) => o.service).join(', ')}. The rest run without them.`);
  if (failed.length) say(`\nFailed to become ready: ${failed.map((o) => o.service).join(', ')} (see logs/<service>.log in the stack folder).`);
  return failed.length ? 1 : 0;
}

/** Stops the processes this run started, each by its pid file. */
async function stopStarted(stack: StackDir, children: Map<string, ChildProcess>, say: UpOptions['say']): Promise<void> {
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
 * started; Ctrl-C is listened for from the start, so an interrupted start leaves nothing behind.
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
  const { outcomes, children } = await nativeUp(stack, { say, readyTimeoutMs: opts.timeoutMs, signal: interrupt.signal });
  const interruptedWhileStarting = interrupt.signal.aborted;
  const code = interruptedWhileStarting ? 130 : summary(outcomes, say);
  if (detach || children.size === 0) {
    for (const child of children.values()) child.unref();
    if (detach) say(`\nDetached. Stop with: fibre-stack down --dir ${opts.userDir}`);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    return code;
  }
  if (!interruptedWhileStarting) {
    say('\nRunning in the foreground; Ctrl-C stops everything. (Use --detach to keep it running.)');
    for (const [name, child] of children) {
      child.on('exit', (exitCode, signal) => {
        if (!interrupt.signal.aborted) say(`  ${name} exited (${signal ?? `code ${exitCode}`}); see logs/${name}.log`);
      });
    }
    await new Promise((resolve) => interrupt.signal.addEventListener('abort', resolve, { once: true }));
  }
  await stopStarted(stack, children, say);
  return code;
}

/** Each service's process as its pid file and run/ records say. */
export function processStates(stack: StackDir): Map<string, ServiceState> {
  return new Map(
    stackServices(stack.spec).map((svc): [string, ServiceState] => {
      const state = { service: svc.name, check: 'process', reachableFromHost: true } as const;
      const why = readUnavailable(stack.dir, svc.name);
      if (why) return [svc.name, { ...state, running: false, detail: `${why.reason}; to fix: ${why.remedy}`, unavailable: { reason: why.reason, remedy: why.remedy } }];
      const rec = readPidRecord(stack.dir, svc.name);
      if (rec && isSameProcess(rec)) return [svc.name, { ...state, running: true, detail: `pid ${rec.pid}` }];
      return [svc.name, { ...state, running: false, detail: rec ? `pid ${rec.pid} has exited; see logs/${svc.name}.log` : 'not started (fibre-stack up)' }];
    }),
  );
}

/** True when `up` ran this stack's services natively here: they left pid files, or records of programs it could not have. */
export function hasNativeRecords(stack: StackDir): boolean {
  return pidRecords(stack.dir).length > 0 || stackServices(stack.spec).some((s) => readUnavailable(stack.dir, s.name));
}

export const nativeRunner: StackRunner = {
  mode: 'native',
  up,
  async down(stack, { volumes, say }) {
    say(`Stopping ${stack.spec.project} (native):`);
    await nativeDown(stack, say);
    if (volumes) {
      for (const svc of stackServices(stack.spec)) rmSync(join(stack.dir, svc.dataDir), { recursive: true, force: true });
      say('  data/ deleted');
    }
  },
  async serviceStates(stack) {
    return processStates(stack);
  },
  async logs(stack, { service, follow, tail }) {
    const names = service ? [service] : stackServices(stack.spec).map((s) => s.name);
    const files = names.map((n) => logFile(stack.dir, n)).filter((f) => existsSync(f));
    if (files.length === 0) throw new UserError(`no logs yet in ${stack.dir}/logs: start the stack with \`fibre-stack up --native\``);
    // tail names each file when given several, which is what a reader of mixed logs needs.
    const child = spawn('tail', ['-n', String(tail), ...(follow ? ['-F'] : []), ...files], { stdio: 'inherit' });
    return new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 0)));
  },
};
