// Which runner runs a stack: chosen here, once per command, by exhaustive switches over the run
// mode, so a new mode cannot silently fall to the docker runner.
import { loadStack, type StackDir } from './stack-dir.js';
import type { Say, StackRunner } from './runner.js';
import { dockerHere, dockerRunner } from './docker-runner.js';
import { hasNativeRecords, nativeRunner } from './native-runner.js';
import { runningNativeTwin, writeNativeVariant } from './native-variant.js';

export interface RunningStack {
  /** The folder it runs from: the stack folder, or its native twin. */
  stack: StackDir;
  runner: StackRunner;
}

/** The stack in `dir` as it runs now, and its runner: what down, status, logs and validate work on. */
export function runningStack(dir: string): RunningStack {
  const stack = loadStack(dir);
  switch (stack.spec.mode) {
    case 'native':
      return { stack, runner: nativeRunner };
    case 'docker': {
      const twin = runningNativeTwin(stack);
      if (twin) return { stack: twin, runner: nativeRunner };
      return { stack, runner: hasNativeRecords(stack) ? nativeRunner : dockerRunner };
    }
  }
}

/**
 * The runner `up` starts a stack with. A docker stack runs natively, as its native twin, with
 * `native` or when Docker or compose is missing here; the user's files stay as they are.
 */
export async function runnerToStart(stack: StackDir, opts: { native: boolean; say: Say }): Promise<RunningStack> {
  switch (stack.spec.mode) {
    case 'native':
      return { stack, runner: nativeRunner };
    case 'docker': {
      if (!opts.native) {
        const docker = await dockerHere();
        if (docker.ok) return { stack, runner: dockerRunner };
        opts.say(`${docker.reason}: running natively instead.`);
      }
      const { twin } = writeNativeVariant(stack);
      opts.say(`This stack is made for docker; its native twin (same spec, loopback addresses) is in ${twin.dir}.`);
      return { stack: twin, runner: nativeRunner };
    }
  }
}
