// fibre-stack restart [SERVICE]: restart one service of the running stack, or all of it, keeping its data.
import type { Argv, CommandModule } from 'yargs';
import { UserError } from '../../core/errors.js';
import { runningStack } from '../run/choose-runner.js';
import { stackServices } from '../render/stack-services.js';
import { stackDirOption } from './dir-option.js';

interface RestartArgs {
  dir: string;
  service?: string;
  timeout: number;
}

export const restartCommand: CommandModule<object, RestartArgs> = {
  command: 'restart [service]',
  describe: 'Restart a service of the running stack (every service when none is named); data is kept',
  builder: (y) =>
    y
      .positional('service', { type: 'string', describe: 'prometheus, alertmanager, fibre-exporter, ...' })
      .option('dir', stackDirOption)
      .option('timeout', { type: 'number', default: 120, describe: 'Seconds to wait for it to become healthy again' })
      .epilog('Exit codes: 0 restarted and healthy, 1 not healthy again in time, 2 usage or environment problem.') as unknown as Argv<RestartArgs>,
  handler: async (args) => {
    const { stack, runner } = runningStack(args.dir);
    const names = stackServices(stack.spec).map((s) => s.name);
    if (args.service && !names.includes(args.service)) throw new UserError(`${args.service} is not a service of this stack; its services: ${names.join(', ')}`);
    process.exitCode = await runner.restart(stack, { service: args.service, say: (line) => process.stdout.write(line + '\n'), timeoutMs: args.timeout * 1000 });
  },
};
