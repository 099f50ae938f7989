// fibre-stack up: start the stack with its runner (docker compose, or native processes) and wait
// until every service is healthy.
import type { Argv, CommandModule } from 'yargs';
import { loadStack } from '../run/stack-dir.js';
import { runnerToStart } from '../run/choose-runner.js';
import type { Say } from '../run/runner.js';
import { baseImageOption, buildOption, stackDirOption } from './dir-option.js';

interface UpArgs {
  dir: string;
  build: boolean;
  'base-image'?: string;
  native: boolean;
  detach: boolean;
  timeout: number;
}

const say: Say = (line) => process.stdout.write(line + '\n');

export const upCommand: CommandModule<object, UpArgs> = {
  command: 'up',
  describe: 'Start the stack (docker compose, or native processes) and wait until it is healthy',
  builder: (y) =>
    y
      .option('dir', stackDirOption)
      .option('build', buildOption)
      .option('base-image', baseImageOption)
      .option('native', { type: 'boolean', default: false, describe: 'Run the services as processes on this host, not in containers' })
      .option('detach', { alias: 'd', type: 'boolean', default: false, describe: 'Return once healthy and leave the services running (docker mode always does)' })
      .option('timeout', { type: 'number', default: 120, describe: 'Seconds to wait for the services to become healthy' })
      .epilog(
        'Without Docker (or with --native) the services run as processes: binaries from PATH, from ~/.cache/fibre-stack ' +
          '($FIBRE_STACK_CACHE), or downloaded and checksum-verified. A service whose program cannot be had is reported and the rest start.\n' +
          'Exit codes: 0 every started service is healthy, 1 one failed to become healthy, 2 usage or environment problem.',
      ) as unknown as Argv<UpArgs>,
  handler: async (args) => {
    const userStack = loadStack(args.dir);
    const { stack, runner } = await runnerToStart(userStack, { native: args.native, say });
    process.exitCode = await runner.up(stack, {
      say,
      timeoutMs: args.timeout * 1000,
      detach: args.detach,
      build: args.build,
      baseImage: args['base-image'],
      userDir: userStack.dir,
    });
  },
};
