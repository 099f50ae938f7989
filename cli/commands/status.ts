// fibre-stack status: what runs, at a glance (validate goes in depth).
import type { Argv, CommandModule } from 'yargs';
import { runningStack } from '../run/choose-runner.js';
import { stackServices } from '../render/stack-services.js';
import { printTable } from '../run/text-table.js';
import { stackDirOption } from './dir-option.js';

interface StatusArgs {
  dir: string;
  json: boolean;
}

interface ServiceStatus {
  service: string;
  running: boolean;
  /** up, stopped (or never started), crashed (died without being stopped), unavailable (its program could not be had). */
  state: 'up' | 'stopped' | 'crashed' | 'unavailable';
  detail: string;
  url: string;
}

export const statusCommand: CommandModule<object, StatusArgs> = {
  command: 'status',
  describe: 'Show whether each service of the stack is running',
  builder: (y) =>
    y
      .option('dir', stackDirOption)
      .option('json', { type: 'boolean', default: false, describe: 'Print JSON' }) as unknown as Argv<StatusArgs>,
  handler: async (args) => {
    const { stack, runner } = runningStack(args.dir);
    const states = await runner.serviceStates(stack);
    const rows: ServiceStatus[] = stackServices(stack.spec).map((svc) => {
      const state = states.get(svc.name)!;
      return {
        service: svc.name,
        running: state.running,
        state: state.running ? 'up' : state.unavailable ? 'unavailable' : (state.down ?? 'stopped'),
        detail: state.unavailable ? `unavailable: ${state.unavailable.reason}` : state.detail,
        url: state.reachableFromHost ? svc.readyUrl.replace(/^(https?:\/\/[^/]+).*$/, '$1') : '(stack network only)',
      };
    });
    if (args.json) {
      process.stdout.write(JSON.stringify({ project: stack.spec.project, mode: runner.mode, services: rows }, null, 2) + '\n');
    } else {
      process.stdout.write(`${stack.spec.project} (${runner.mode} mode)\n`);
      printTable(['SERVICE', 'STATE', 'URL', 'DETAIL'], rows.map((r) => [r.service, r.state, r.url, r.detail]));
    }
    process.exitCode = rows.every((r) => r.running) ? 0 : 1;
  },
};
