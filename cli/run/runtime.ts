// Which way a stack is running: as native processes (pid files under run/) or as compose
// containers. The spec says how it was generated; pid files say what `up` actually did.
import { UserError } from '../../core/errors.js';
import type { StackDir } from './stack-dir.js';
import { pidRecords, readUnavailable } from './pidfile.js';
import { nativePlan } from '../render/native-plan.js';
import { connectDocker, stackContainers } from './docker.js';
import type { Runtime } from './checks.js';

export function runsNatively(stack: StackDir): boolean {
  return stack.spec.mode === 'native' || pidRecords(stack.dir).length > 0 || nativePlan(stack.spec).some((s) => readUnavailable(stack.dir, s.name));
}

export async function currentRuntime(stack: StackDir): Promise<Runtime> {
  if (runsNatively(stack)) return { mode: 'native' };
  const docker = await connectDocker();
  if (!docker.ok) throw new UserError(`${docker.reason}; this stack runs in docker mode`);
  return { mode: 'docker', containers: await stackContainers(docker.docker, stack.spec.project) };
}
