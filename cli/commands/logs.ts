// fibre-stack logs: a service's output (or every service's), optionally followed.
import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import type { Argv, CommandModule } from 'yargs';
import { UserError } from '../../core/errors.js';
import { loadRunningStack } from '../run/native-variant.js';
import { runsNatively } from '../run/runtime.js';
import { compose } from '../run/compose.js';
import { logFile } from '../run/native.js';
import { nativePlan } from '../render/native-plan.js';
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
    const stack = loadRunningStack(args.dir);
    const names = nativePlan(stack.spec).map((s) => s.name);
    if (args.service && !names.includes(args.service)) throw new UserError(`${args.service} is not a service of this stack; its services: ${names.join(', ')}`);
    if (!runsNatively(stack)) {
      const r = await compose(stack, ['logs', '--tail', String(args.tail), ...(args.follow ? ['-f'] : []), ...(args.service ? [args.service] : [])], { inherit: true });
      process.exitCode = r.code;
      return;
    }
    const files = (args.service ? [args.service] : names).map((n) => logFile(stack.dir, n)).filter((f) => existsSync(f));
    if (files.length === 0) throw new UserError(`no logs yet in ${stack.dir}/logs: start the stack with \`fibre-stack up --native\``);
    // tail names each file when given several, which is what a reader of mixed logs needs.
    const child = spawn('tail', ['-n', String(args.tail), ...(args.follow ? ['-F'] : []), ...files], { stdio: 'inherit' });
    process.exitCode = await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 0)));
  },
};
