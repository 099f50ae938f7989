// fibre-stack logs: a service's output (or every service's), optionally followed.
import type { Argv, CommandModule } from 'yargs';
import { UserError } from '../../core/errors.js';
import { runningStack } from '../run/choose-runner.js';
import { stackServices } from '../render/stack-services.js';
import { stackDirOption } from './dir-option.js';

interface LogsArgs {
  dir: string;
  service?: string;
  follow: boolean;
  tail: number;
}

export const logsCommand: CommandModule<object, LogsArgs> = {
  command: 'logs [service]',
  describe: "Show a service's logs (all services when none is named)",
  builder: (y) =>
    y
      .positional('service', { type: 'string', describe: 'prometheus, grafana, fibre-exporter, ...' })
      .option('dir', stackDirOption)
      .option('follow', { alias: 'f', type: 'boolean', default: false, describe: 'Keep printing new lines' })
      .option('tail', { type: 'number', default: 100, describe: 'Lines to show from the end of each log' }) as unknown as Argv<LogsArgs>,
  handler: async (args) => {
    const { stack, runner } = runningStack(args.dir);
    const names = stackServices(stack.spec).map((s) => s.name);
    if (args.service && !names.includes(args.service)) throw new UserError(`${args.service} is not a service of this stack; its services: ${names.join(', ')}`);
    process.exitCode = await runner.logs(stack, { service: args.service, follow: args.follow, tail: args.tail });
  },
};
