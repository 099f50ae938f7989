// fibre-stack up: start the stack, with docker compose or as native processes, and wait until
// every service is healthy.
import type { ChildProcess } from 'node:child_process';
import type { Argv, CommandModule } from 'yargs';
import { loadStack, type StackDir } from '../run/stack-dir.js';
import { connectDocker } from '../run/docker.js';
import { composeCli, NO_COMPOSE } from '../run/compose.js';
import { nativeUp, stopRecorded, type Say, type StartOutcome } from '../run/native.js';
import { readPidRecord } from '../run/pidfile.js';
import { writeNativeVariant } from '../run/native-variant.js';
import { stackDirOption } from './dir-option.js';

interface UpArgs {
  dir: string;
  build: boolean;
  'base-image'?: string;
  native: boolean;
  detach: boolean;
  timeout: number;
}

const say: Say = (line) => process.stdout.write(line + '\n');

/** Summary line and exit code of a native start. */
function nativeSummary(outcomes: StartOutcome[]): number {
  const unavailable = outcomes.filter((o) => o.state === 'unavailable');
  const failed = outcomes.filter((o) => o.state === 'failed');
  if (unavailable.length) say(`\nNot started (program not available): ${unavailable.map((o) => o.service).join(', ')}. The rest run without them.`);
  if (failed.length) say(`\nFailed to become ready: ${failed.map((o) => o.service).join(', ')} (see logs/<service>.log in the stack folder).`);
  return failed.length ? 1 : 0;
}

/** Stops the processes this run started, each by its pid file. */
async function stopStarted(stack: StackDir, children: Map<string, ChildProcess>): Promise<void> {
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
 * `userDir`: the folder the user named, for the hint on how to stop (the stack may run from its twin).
 */
export async function upNative(stack: StackDir, detach: boolean, timeoutMs: number, userDir = stack.dir): Promise<number> {
  say(`Starting ${stack.spec.project} natively in ${stack.dir}:`);
  const interrupt = new AbortController();
  const onSignal = () => interrupt.abort();
  if (!detach) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  const { outcomes, children } = await nativeUp(stack, { say, readyTimeoutMs: timeoutMs, signal: interrupt.signal });
  const interruptedWhileStarting = interrupt.signal.aborted;
  const code = interruptedWhileStarting ? 130 : nativeSummary(outcomes);
  if (detach || children.size === 0) {
    for (const child of children.values()) child.unref();
    if (detach) say(`\nDetached. Stop with: fibre-stack down --dir ${userDir}`);
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
  await stopStarted(stack, children);
  return code;
}

export const upCommand: CommandModule<object, UpArgs> = {
  command: 'up',
  describe: 'Start the stack (docker compose, or native processes) and wait until it is healthy',
  builder: (y) =>
    y
      .option('dir', stackDirOption)
      .option('build', { type: 'boolean', default: false, describe: 'Rebuild the exporter image first (docker mode)' })
      .option('base-image', { type: 'string', describe: 'Base image for the exporter build (a local node:20 bookworm image where no registry is reachable)' })
      .option('native', { type: 'boolean', default: false, describe: 'Run the services as processes on this host, not in containers' })
      .option('detach', { alias: 'd', type: 'boolean', default: false, describe: 'Return once healthy and leave the services running (docker mode always does)' })
      .option('timeout', { type: 'number', default: 120, describe: 'Seconds to wait for the services to become healthy' })
      .epilog(
        'Without Docker (or with --native) the services run as processes: binaries from PATH, from ~/.cache/fibre-stack ' +
          '($FIBRE_STACK_CACHE), or downloaded and checksum-verified. A service whose program cannot be had is reported and the rest start.\n' +
          'Exit codes: 0 every started service is healthy, 1 one failed to become healthy, 2 usage or environment problem.',
      ) as unknown as Argv<UpArgs>,
  handler: async (args) => {
    const stack = loadStack(args.dir);
    const timeoutMs = args.timeout * 1000;
    if (stack.spec.mode === 'native') {
      process.exitCode = await upNative(stack, args.detach, timeoutMs);
      return;
    }
    const docker = args.native ? undefined : await connectDocker();
    const noDocker = args.native ? undefined : !docker!.ok ? docker!.reason : !(await composeCli()) ? NO_COMPOSE : undefined;
    if (args.native || noDocker || !docker?.ok) {
      if (noDocker) say(`${noDocker}: running natively instead.`);
      const twin = writeNativeVariant(stack);
      say(`This stack is made for docker; its native twin (same spec, loopback addresses) is in ${twin.dir}.`);
      process.exitCode = await upNative(twin, args.detach, timeoutMs, stack.dir);
      return;
    }
    say(`Starting ${stack.spec.project} with docker compose in ${stack.dir}:`);
    // Imported here: it loads dockerode, slow to import and of no use to native mode.
    const r = await (await import('../run/docker-up.js')).dockerUp(stack, docker.docker, { say, build: args.build, baseImage: args['base-image'], timeoutMs });
    if (r.unavailable.length) say(`\nNot started (no image): ${r.unavailable.map((u) => u.service).join(', ')}. The rest run without them.`);
    if (r.unhealthy.length) {
      say(`\nNot healthy: ${r.unhealthy.join(', ')}. See \`fibre-stack logs <service> --dir ${stack.dir}\`.`);
      process.exitCode = 1;
    } else say('\nAll started services are healthy. Check them in depth with `fibre-stack validate`.');
  },
};
