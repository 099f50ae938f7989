// fibre-stack down: stop the stack. Data volumes and folders are kept unless --volumes says otherwise.
import type { Argv, CommandModule } from 'yargs';
import { runningStack } from '../run/choose-runner.js';
import { stackDirOption } from './dir-option.js';

interface DownArgs {
  dir: string;
  volumes: boolean;
}

export const downCommand: CommandModule<object, DownArgs> = {
  command: 'down',
  describe: 'Stop the stack; its data is kept unless --volumes',
  builder: (y) =>
    y
      .option('dir', stackDirOption)
      .option('volumes', { type: 'boolean', default: false, describe: 'Also delete the stored metrics, logs and dashboards state (volumes, or data/ natively)' }) as unknown as Argv<DownArgs>,
  handler: async (args) => {
    const { stack, runner } = runningStack(args.dir);
    await runner.down(stack, { volumes: args.volumes, say: (line) => process.stdout.write(line + '\n') });
  },
};
