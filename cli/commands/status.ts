// fibre-stack status: what runs, at a glance (validate goes in depth).
import type { Argv, CommandModule } from 'yargs';
import { loadRunningStack } from '../run/native-variant.js';
import { currentRuntime } from '../run/runtime.js';
import { nativePlan } from '../render/native-plan.js';
import { isSameProcess, readPidRecord, readUnavailable } from '../run/pidfile.js';
import { containerHealthy, containerProblem } from '../run/docker.js';
import { printTable } from '../run/table.js';
import { stackDirOption } from './dir-option.js';

interface StatusArgs {
  dir: string;
  json: boolean;
}

interface ServiceStatus {
  service: string;
  running: boolean;
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
    const stack = loadRunningStack(args.dir);
    const rt = await currentRuntime(stack);
    const rows: ServiceStatus[] = nativePlan(stack.spec).map((svc) => {
      // Exporter containers publish no port: they are reached on the compose network only.
      const url = rt.mode === 'docker' && !svc.core ? '(compose network)' : svc.readyUrl.replace(/^(https?:\/\/[^/]+).*$/, '$1');
      if (rt.mode === 'docker') {
        const c = rt.containers.get(svc.name);
        return { service: svc.name, running: containerHealthy(c), detail: c && containerHealthy(c) ? `running, ${c.health}` : containerProblem(c), url };
      }
      const rec = readPidRecord(stack.dir, svc.name);
      if (rec && isSameProcess(rec)) return { service: svc.name, running: true, detail: `pid ${rec.pid}`, url };
      const why = readUnavailable(stack.dir, svc.name);
      return { service: svc.name, running: false, detail: why ? `unavailable: ${why.reason}` : 'stopped', url };
    });
    if (args.json) {
      process.stdout.write(JSON.stringify({ project: stack.spec.project, mode: rt.mode, services: rows }, null, 2) + '\n');
    } else {
      process.stdout.write(`${stack.spec.project} (${rt.mode} mode)\n`);
      printTable(['SERVICE', 'STATE', 'URL', 'DETAIL'], rows.map((r) => [r.service, r.running ? 'up' : 'down', r.url, r.detail]));
    }
    process.exitCode = rows.every((r) => r.running) ? 0 : 1;
  },
};
