// fibre-stack apply: `generate`, then make the running stack take the new files (Prometheus and
// Alertmanager reload, the other programs restart, changed containers are recreated).
import { resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { runningStack } from '../run/choose-runner.js';
import { writeNativeVariant } from '../run/native-variant.js';
import { loadStack } from '../run/stack-dir.js';
import type { Say } from '../run/runner.js';
import { changedPaths, generateStack, printGenerated } from './generate.js';
import { baseImageOption, buildOption, stackDirOption } from './dir-option.js';

interface ApplyArgs {
  dir: string;
  force: boolean;
  build: boolean;
  'base-image'?: string;
  timeout: number;
}

const say: Say = (line) => process.stdout.write(line + '\n');

/** Re-renders the stack and applies what changed to what runs; returns the exit code. (upgrade runs it too.) */
export async function applyStack(dir: string, opts: { force: boolean; build: boolean; baseImage?: string; timeoutMs: number }): Promise<number> {
  const generated = generateStack(dir, { force: opts.force });
  printGenerated(generated);
  const running = runningStack(dir);
  let { stack } = running;
  let changedFiles = changedPaths(generated.results);
  if (stack.dir !== generated.dir) {
    // A docker stack running natively runs its twin, rendered anew from the same spec.
    const twin = writeNativeVariant(loadStack(dir));
    stack = twin.twin;
    changedFiles = changedPaths(twin.results);
  }
  say(`\nApplying to the running stack (${running.runner.mode}):`);
  return running.runner.apply(stack, { say, changedFiles, timeoutMs: opts.timeoutMs, build: opts.build, baseImage: opts.baseImage });
}

export const applyCommand: CommandModule<object, ApplyArgs> = {
  command: 'apply',
  describe: 'Re-render the stack from fibre-stack.yml and make the running services take the changes',
  builder: (y) =>
    y
      .option('dir', stackDirOption)
      .option('force', { type: 'boolean', default: false, describe: 'Overwrite files you edited instead of writing <file>.new beside them' })
      .option('build', buildOption)
      .option('base-image', baseImageOption)
      .option('timeout', { type: 'number', default: 120, describe: 'Seconds to wait for restarted services to become healthy' })
      .epilog(
        'Prometheus and Alertmanager reload their files over HTTP (POST /-/reload); Loki, the log agent, Grafana and the exporters restart; ' +
          'containers whose definition changed are recreated, keeping their volumes; natively, a service whose command line changed restarts. ' +
          'A stack that is not running is only re-rendered.\nExit codes: 0 applied, 1 a service refused the change or did not come back healthy, 2 usage or environment problem.',
      ) as unknown as Argv<ApplyArgs>,
  handler: async (args) => {
    process.exitCode = await applyStack(resolve(args.dir), { force: args.force, build: args.build, baseImage: args['base-image'], timeoutMs: args.timeout * 1000 });
  },
};
