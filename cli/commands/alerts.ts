// `fibre-stack alerts test [--receiver NAME]`: posts a test alert to the running Alertmanager
// (API v2, POST /api/v2/alerts: prometheus/alertmanager@v0.34.0:api/v2/openapi.yaml) for each
// receiver in turn, routed to that receiver alone, and reports from Alertmanager's own counters
// whether it got through, and if not, what Alertmanager logged.
import { randomBytes } from 'node:crypto';
import type { Argv, CommandModule } from 'yargs';
import { UserError } from '../../core/errors.js';
import type { ReceiverSpec } from '../spec/alerting.js';
import { runningStack } from '../run/choose-runner.js';
import type { StackDir } from '../run/stack-dir.js';
import { stackServices } from '../render/stack-services.js';
import { ATTEMPTS, FAILED_ATTEMPTS, receiverCount, receiverLogErrors, testAlert } from '../run/alert-delivery.js';
import { logTail } from '../run/native.js';
import { sleep } from '../run/probe.js';
import { stackDirOption } from './dir-option.js';

interface TestArgs {
  dir: string;
  receiver?: string;
  json: boolean;
  timeout: number;
}

export interface ReceiverResult {
  receiver: string;
  type: string;
  delivered: boolean;
  /** What Alertmanager said: its failed attempts and log lines, or that nothing was attempted in time. */
  detail: string;
}

/** Alertmanager's address on this host. */
function alertmanagerBase(stack: StackDir): string {
  const svc = stackServices(stack.spec).find((s) => s.core === 'alertmanager');
  if (!svc) throw new UserError('alertmanager is in disabled_services of fibre-stack.yml: there is no Alertmanager to send a test alert through');
  return svc.readyUrl.replace(/^(https?:\/\/[^/]+).*$/, '$1');
}

async function metricsText(base: string): Promise<string> {
  let res: Response;
  try {
    res = await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(5000) });
  } catch (err) {
    throw new UserError(`Alertmanager does not answer at ${base} (${(err as Error).message}): start the stack with \`fibre-stack up\`, then try again`);
  }
  if (!res.ok) throw new UserError(`Alertmanager at ${base} answered /metrics with HTTP ${res.status}`);
  return res.text();
}

/** The last lines of Alertmanager's log, where the runner keeps it (natively logs/alertmanager.log; docker: the container's). */
async function alertmanagerLog(stack: StackDir): Promise<string[]> {
  if (stack.spec.mode === 'native') return logTail(stack.dir, 'alertmanager', 200);
  const { connectDocker, stackContainers, containerLogTail } = await import('../run/docker.js');
  const check = await connectDocker();
  if (!check.ok) return [];
  const container = (await stackContainers(check.docker, stack.spec.project)).get('alertmanager');
  return container ? (await containerLogTail(check.docker, container.id, 200)).split('\n') : [];
}

/** Sends one test alert to one receiver and waits for Alertmanager's verdict. */
async function testReceiver(stack: StackDir, base: string, r: ReceiverSpec, timeoutMs: number): Promise<ReceiverResult> {
  const before = await metricsText(base);
  const count = (text: string) => ({ attempts: receiverCount(text, ATTEMPTS, r), failed: receiverCount(text, FAILED_ATTEMPTS, r) });
  const start = count(before);
  const posted = await fetch(`${base}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([testAlert(r.name, randomBytes(4).toString('hex'), new Date())]),
  });
  if (!posted.ok) throw new UserError(`Alertmanager refused the test alert: HTTP ${posted.status} ${await posted.text()}`, 1);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let now = count(await metricsText(base));
    // An attempt is counted before its failure is (one after the other, around the request: notify/
    // retry_stage.go at v0.34.0, notify/notify.go at v0.28.0): once one shows, look again a moment later.
    if (now.attempts > start.attempts && now.failed === start.failed) {
      await sleep(300);
      now = count(await metricsText(base));
    }
    if (now.failed > start.failed) {
      const log = receiverLogErrors(await alertmanagerLog(stack), r.name);
      const said = log.length ? `; Alertmanager logged:\n    ${log.join('\n    ')}` : '';
      return { receiver: r.name, type: r.type, delivered: false, detail: `${now.failed - start.failed} failed attempt(s) to send (${FAILED_ATTEMPTS}{integration="${r.type}"})${said}` };
    }
    if (now.attempts > start.attempts) return { receiver: r.name, type: r.type, delivered: true, detail: 'sent; Alertmanager counted no failure' };
    if (Date.now() > deadline) {
      return { receiver: r.name, type: r.type, delivered: false, detail: `Alertmanager attempted no notification within ${timeoutMs / 1000} s: is its config the stack's current one (\`fibre-stack apply\`)?` };
    }
    await sleep(250);
  }
}

const testCommand: CommandModule<object, TestArgs> = {
  command: 'test',
  describe: 'Send a test alert through the running Alertmanager to each receiver (or one) and report whether it got through',
  builder: (y) =>
    y
      .option('dir', stackDirOption)
      .option('receiver', { type: 'string', describe: 'Only this receiver (a name in alerting.receivers)' })
      .option('timeout', { type: 'number', default: 30, describe: 'Seconds to wait for each receiver\'s notification' })
      .option('json', { type: 'boolean', default: false, describe: 'Print JSON' })
      .epilog('Exit codes: 0 every receiver tested got the alert, 1 one failed, 2 usage or no Alertmanager.') as unknown as Argv<TestArgs>,
  handler: async (args) => {
    const { stack } = runningStack(args.dir);
    const all = stack.spec.alerting.receivers;
    if (!all.length) throw new UserError('fibre-stack.yml has no alerting.receivers: add one (`fibre-stack create --help` lists the --alert-* flags), then `fibre-stack generate` and `fibre-stack apply`');
    const chosen = args.receiver === undefined ? all : all.filter((r) => r.name === args.receiver);
    if (!chosen.length) throw new UserError(`--receiver: no receiver named "${args.receiver}"; the stack has ${all.map((r) => r.name).join(', ')}`);
    const base = alertmanagerBase(stack);
    const results: ReceiverResult[] = [];
    for (const r of chosen) {
      if (!args.json) process.stderr.write(`sending a test alert to ${r.name} (${r.type})...\n`);
      results.push(await testReceiver(stack, base, r, args.timeout * 1000));
    }
    if (args.json) process.stdout.write(JSON.stringify({ alertmanager: base, receivers: results }, null, 2) + '\n');
    else for (const res of results) process.stdout.write(`${res.delivered ? 'ok    ' : 'FAILED'} ${res.receiver} (${res.type}): ${res.detail}\n`);
    process.exitCode = results.every((res) => res.delivered) ? 0 : 1;
  },
};

export const alertsCommand: CommandModule = {
  command: 'alerts <command>',
  describe: 'Alert delivery: send a test alert to the receivers',
  builder: (y) => y.command(testCommand).demandCommand(1),
  handler: () => undefined,
};
