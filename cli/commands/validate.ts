// fibre-stack validate: prove the running stack healthy, service by service. Exit 0 only when it is.
import type { Argv, CommandModule } from 'yargs';
import { runningStack } from '../run/choose-runner.js';
import { allHealthy, printReports, validateUntil, type ServiceReport } from '../run/validation.js';
import { stackDirOption } from './dir-option.js';

interface ValidateArgs {
  dir: string;
  json: boolean;
  wait: number;
}

/** Says what is still awaited, each time that changes (on stderr, so stdout stays the table). */
function waitingProgress(): (reports: ServiceReport[]) => void {
  let shown = '';
  return (reports) => {
    const waiting = reports
      .filter((r) => r.status === 'unhealthy')
      .map((r) => `${r.service} (${r.checks.filter((c) => !c.ok).map((c) => c.check).join(', ')})`)
      .join(', ');
    if (waiting !== shown) process.stderr.write(`waiting for ${waiting}\n`);
    shown = waiting;
  };
}

export const validateCommand: CommandModule<object, ValidateArgs> = {
  command: 'validate',
  describe: "Check every service of the running stack: process or container, readiness, targets, rules, datasources, dashboards; a fleet hub's nodes (last sample age, send errors), a fleet node's send queue",
  builder: (y) =>
    y
      .option('dir', stackDirOption)
      .option('json', { type: 'boolean', default: false, describe: 'Print JSON (for CI)' })
      .option('wait', { type: 'number', default: 0, describe: 'Keep checking for up to this many seconds until healthy' })
      .epilog('Services in disabled_services are skipped. Exit codes: 0 all healthy, 1 something is not (including a service whose program could not be had), 2 usage or environment problem.') as unknown as Argv<ValidateArgs>,
  handler: async (args) => {
    const { stack, runner } = runningStack(args.dir);
    const reports = await validateUntil(stack, runner, args.wait, args.json ? undefined : waitingProgress());
    const healthy = allHealthy(reports);
    // A hub's nodes or a node's send queues, where a script finds them without searching the services.
    const fleet = reports.find((r) => r.fleet)?.fleet;
    if (args.json) process.stdout.write(JSON.stringify({ project: stack.spec.project, healthy, ...(fleet ? { fleet } : {}), services: reports }, null, 2) + '\n');
    else printReports(reports);
    process.exitCode = healthy ? 0 : 1;
  },
};
