// fibre-stack validate: prove the running stack healthy, service by service. Exit 0 only when it is.
import type { Argv, CommandModule } from 'yargs';
import type { StackDir } from '../run/stack-dir.js';
import { loadRunningStack } from '../run/native-variant.js';
import { currentRuntime } from '../run/runtime.js';
import { allHealthy, validateStack, type ServiceReport } from '../run/checks.js';
import { sleep } from '../run/http.js';
import { printTable } from '../run/table.js';
import { stackDirOption } from './dir-option.js';

interface ValidateArgs {
  dir: string;
  json: boolean;
  wait: number;
}

/**
 * How often --wait checks again. Checks are a few loopback requests; polling finely matters
 * because Prometheus hands targets to its scrapers on a 5 s tick, and a coarse poll adds up to
 * its own period after that.
 */
const POLL_MS = 250;

/** Validates once, or polls until healthy (but for unavailable services) or `waitSeconds` have passed. */
export async function validateUntil(stack: StackDir, waitSeconds: number, onRetry?: (reports: ServiceReport[]) => void): Promise<ServiceReport[]> {
  const deadline = Date.now() + waitSeconds * 1000;
  for (;;) {
    const reports = await validateStack(stack, await currentRuntime(stack));
    // A service whose program could not be had stays that way until the next `up`: no use waiting for it.
    const settled = reports.every((r) => r.status !== 'unhealthy');
    if (settled || Date.now() >= deadline) return reports;
    onRetry?.(reports);
    await sleep(Math.min(POLL_MS, Math.max(0, deadline - Date.now())));
  }
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

export function printReports(reports: ServiceReport[]): void {
  const mark = (r: ServiceReport, ok: boolean) => (r.status === 'skipped' ? 'skip' : ok ? 'ok' : 'FAIL');
  printTable(
    ['SERVICE', 'CHECK', 'RESULT', 'DETAIL'],
    reports.flatMap((r) => r.checks.map((c, i) => [i === 0 ? r.service : '', c.check, mark(r, c.ok), c.detail])),
  );
  const bad = reports.filter((r) => r.status === 'unhealthy' || r.status === 'unavailable');
  process.stdout.write(bad.length === 0 ? '\nThe stack is healthy.\n' : `\nNot healthy: ${bad.map((r) => `${r.service} (${r.status})`).join(', ')}\n`);
}

export const validateCommand: CommandModule<object, ValidateArgs> = {
  command: 'validate',
  describe: 'Check every service of the running stack: process or container, readiness, targets, rules, datasources, dashboards',
  builder: (y) =>
    y
      .option('dir', stackDirOption)
      .option('json', { type: 'boolean', default: false, describe: 'Print JSON (for CI)' })
      .option('wait', { type: 'number', default: 0, describe: 'Keep checking for up to this many seconds until healthy' })
      .epilog('Services in disabled_services are skipped. Exit codes: 0 all healthy, 1 something is not (including a service whose program could not be had), 2 usage or environment problem.') as unknown as Argv<ValidateArgs>,
  handler: async (args) => {
    const stack = loadRunningStack(args.dir);
    const reports = await validateUntil(stack, args.wait, args.json ? undefined : waitingProgress());
    const healthy = allHealthy(reports);
    if (args.json) process.stdout.write(JSON.stringify({ project: stack.spec.project, healthy, services: reports }, null, 2) + '\n');
    else printReports(reports);
    process.exitCode = healthy ? 0 : 1;
  },
};
