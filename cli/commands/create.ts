// `fibre-stack create [dir]` (and `create-fibre-stack [dir]`): asks, renders, writes.
import { existsSync, readdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule, Options } from 'yargs';
import { FLEET_ENGINES, FLEET_TLS_MODES, LOG_AGENTS, MODES, type ProfileId } from '../spec/types.js';
import { defaultAnswers, specFromAnswers, type CreateAnswers } from '../spec/from-answers.js';
import { defaultSpec } from '../spec/defaults.js';
import { renderStack } from '../render/index.js';
import { stackUrls } from '../render/readme.js';
import { stackNotices } from '../render/host-advice.js';
import { loadPackageSources } from '../io/templates.js';
import { readHostFacts } from '../io/host-facts.js';
import { loadOrCreateSecrets } from '../io/spec-io.js';
import { planStack, writeStack } from '../io/stack-writer.js';
import { UserError } from '../../core/errors.js';
import { PROFILES, type Registry } from '../../profiles/registry.js';
import type { Question } from '../../profiles/types.js';
import { printWriteResults } from './stack-report.js';
import { describeChoices, ENGINE_CHOICES, LOG_AGENT_CHOICES, MODE_CHOICES, ROLE_CHOICES } from './choices.js';
import { ensureHubTls } from '../io/fleet-tls.js';
import { fleetNextSteps } from './fleet-steps.js';
import { createWarnings } from './create-warnings.js';

interface CreateArgs {
  dir: string;
  profiles?: string[];
  mode?: CreateAnswers['mode'];
  logAgent?: CreateAnswers['logAgent'];
  bind?: string;
  alertWebhook?: string;
  project?: string;
  role?: CreateAnswers['role'];
  hub?: string;
  host?: string;
  site?: string;
  tokenFile?: string;
  caFile?: string;
  engine?: CreateAnswers['engine'];
  nodes?: string[];
  listen?: string;
  tls?: CreateAnswers['tls'];
  tlsName?: string[];
  tlsCert?: string;
  tlsKey?: string;
  remoteWriteUrl?: string;
  queryUrl?: string;
  yes: boolean;
  overwrite: boolean;
  dryRun: boolean;
  json: boolean;
  /** The profiles' flags, by flag name (registry.questions). */
  [flag: string]: unknown;
}

const split = (xs?: unknown[]) => xs?.flatMap((x) => String(x).split(',')).map((x) => x.trim()).filter(Boolean);

/** A profile question's flag, as yargs declares it. */
function questionOption(q: Question): Options {
  switch (q.kind) {
    case 'text':
      return { type: 'string', describe: q.describe };
    case 'list':
      return { type: 'array', string: true, describe: q.describe };
    case 'choice':
      return { choices: [...q.choices], describe: q.describe };
  }
}

/** A profile question's answer from its flag's value. */
function answerFromFlag(q: Question, value: unknown): string | string[] {
  switch (q.kind) {
    case 'text':
    case 'choice':
      // yargs typed it; a repeated flag is a list, which the spec reader then refuses by name.
      return value as string;
    case 'list':
      return split(value as unknown[]) ?? [];
  }
}

/** Answers given by flags, and which ones, so that prompts ask only for the rest. */
export function answersFromFlags(args: CreateArgs, base: CreateAnswers, registry: Registry = PROFILES): { answers: CreateAnswers; given: Set<string> } {
  const a: Record<string, unknown> = { ...base };
  const given = new Set<string>();
  const set = (key: string, value: unknown) => {
    if (value === undefined) return;
    a[key] = value;
    given.add(key);
  };
  const profiles = split(args.profiles);
  if (profiles) {
    const unknown = profiles.filter((p) => !registry.ids.includes(p));
    if (unknown.length) throw new UserError(`--profiles: unknown profile ${unknown.join(', ')}; allowed: ${registry.ids.join(', ')}`);
    if (!profiles.length) throw new UserError(`--profiles: name at least one of ${registry.ids.join(', ')}`);
  }
  set('profiles', profiles as ProfileId[] | undefined);
  set('mode', args.mode);
  set('logAgent', args.logAgent);
  for (const q of registry.questions) if (args[q.flag] !== undefined) set(q.key, answerFromFlag(q, args[q.flag]));
  set('bind', args.bind);
  set('alertWebhook', args.alertWebhook);
  set('project', args.project);
  set('role', args.role);
  set('hubUrl', args.hub);
  set('host', args.host);
  set('site', args.site);
  set('tokenFile', args.tokenFile);
  set('caFile', args.caFile);
  set('engine', args.engine);
  set('nodes', split(args.nodes));
  set('listen', args.listen);
  set('tls', args.tls);
  set('tlsNames', split(args.tlsName));
  set('tlsCert', args.tlsCert);
  set('tlsKey', args.tlsKey);
  set('remoteWriteUrl', args.remoteWriteUrl);
  set('queryUrl', args.queryUrl);
  // A fleet flag says which role is meant: --hub only makes sense on a node, --nodes on a hub.
  if (!given.has('role') && (given.has('hubUrl') || given.has('engine') || given.has('nodes'))) {
    set('role', given.has('hubUrl') ? 'node' : 'hub');
  }
  if (!given.has('tls') && (given.has('tlsCert') || given.has('tlsKey'))) set('tls', 'files');
  return { answers: a as unknown as CreateAnswers, given };
}

function isNonEmptyDir(dir: string): boolean {
  return existsSync(dir) && readdirSync(dir).length > 0;
}

const handler = (registry: Registry) => async (args: ArgumentsCamelCase<CreateArgs>): Promise<void> => {
  const dir = resolve(args.dir);
  const { answers, given } = answersFromFlags(args, defaultAnswers(dir, registry, hostname()), registry);
  let final = answers;
  if (!args.yes) {
    if (!process.stdin.isTTY) {
      throw new UserError('no terminal to ask questions on: pass --yes to take the defaults for what the flags leave open (see --help)');
    }
    // Loaded only when asking: the prompt library is a noticeable part of start-up time.
    const { promptAnswers } = await import('./create-prompts.js');
    try {
      final = await promptAnswers(answers, given, registry);
    } catch (err) {
      // Ctrl-C at a question: the user chose to stop, which needs no stack trace. 130 is 128 + SIGINT.
      if ((err as Error).name === 'ExitPromptError') {
        process.stderr.write('\nCancelled; nothing was written.\n');
        process.exit(130);
      }
      throw err;
    }
  }
  const spec = specFromAnswers(final, registry);
  if (isNonEmptyDir(dir) && !args.overwrite && !args.dryRun) {
    throw new UserError(`${dir} is not empty: choose an empty or new folder, or pass --overwrite to replace the files fibre-stack makes there (other files are left alone)`);
  }
  const files = renderStack(spec, loadOrCreateSecrets(dir, spec), { ...loadPackageSources(), profiles: registry }, readHostFacts(spec, registry));
  if (args.dryRun) {
    const plan = planStack(dir, files, { force: true });
    if (args.json) process.stdout.write(JSON.stringify({ dir, dryRun: true, files: plan }, null, 2) + '\n');
    else {
      process.stdout.write(`Dry run: nothing written. In ${dir}:\n`);
      printWriteResults(plan, { dryRun: true, verbose: true });
    }
    return;
  }
  const results = writeStack(dir, files, { force: args.overwrite });
  // A hub's CA and certificate: made once, beside what was written (kept on --overwrite).
  const tls = ensureHubTls(dir, spec);
  // What the stack cannot do as specified, or a choice to reconsider, with the fix: said, not refused.
  const warnings = [...stackNotices(spec, registry), ...createWarnings(spec, registry)];
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  if (args.json) {
    process.stdout.write(JSON.stringify({ dir, files: results, tls, urls: stackUrls(spec), warnings }, null, 2) + '\n');
    return;
  }
  process.stdout.write(`Created a ${spec.mode} ${spec.fleet ? `fleet ${spec.fleet.role}` : 'stack'} for ${Object.keys(spec.profiles).join(', ')} in ${dir}:\n`);
  printWriteResults(results);
  for (const f of tls.made) process.stdout.write(`  made     ${f}\n`);
  for (const line of fleetNextSteps(spec)) process.stdout.write(`${line}\n`);
  const cd = dir === process.cwd() ? '' : `cd ${JSON.stringify(args.dir)} && `;
  const grafana = stackUrls(spec).find((u) => u.name === 'grafana')?.url;
  process.stdout.write(
    `\nNext steps:\n  ${cd}fibre-stack up${spec.mode === 'native' ? ' --native' : ''}\n  fibre-stack validate --wait 60\n` +
      (spec.fleet?.role === 'node'
        ? "Then open Grafana on the hub: this node's metrics and logs are there.\n"
        : `Then open Grafana at ${grafana ?? '(grafana disabled)'} as admin; the password is in ${dir}/.env.\n`),
  );
};

/** `create` for these profiles: their flags beside the stack's own, in the order they are asked. */
export function createCommandFor(registry: Registry): CommandModule<object, CreateArgs> {
  return {
    command: 'create [dir]',
    describe: 'Create a monitoring stack in a folder (asks on a terminal; every question has a flag)',
    builder: (y: Argv) => {
      let parser = y
        .positional('dir', { type: 'string', default: 'fibre-stack', describe: 'Folder to create the stack in' })
        .option('profiles', { type: 'array', string: true, describe: `What to monitor, comma-separated: ${registry.ids.join(',')}` })
        .option('mode', { choices: MODES, describe: describeChoices(MODE_CHOICES) })
        .option('log-agent', { choices: LOG_AGENTS, describe: `${describeChoices(LOG_AGENT_CHOICES)}; default ${defaultSpec().log_agent}` });
      for (const q of registry.questions) parser = parser.option(q.flag, questionOption(q));
      return parser
        .option('bind', { type: 'string', describe: 'Address published ports bind to (default 127.0.0.1)' })
        .option('alert-webhook', { type: 'string', describe: 'Alertmanager webhook URL (default: no receiver)' })
        .option('project', { type: 'string', describe: 'Project name (default: the folder name)' })
        .option('role', { choices: ['standalone', 'node', 'hub'] as const, describe: describeChoices(ROLE_CHOICES) })
        .option('hub', { type: 'string', describe: "Node: the hub's write endpoint, such as https://hub.example:8427" })
        .option('host', { type: 'string', describe: "Node: this machine's name on every series it sends (default: the host name)" })
        .option('site', { type: 'string', describe: 'Node: its site label (default: default)' })
        .option('token-file', { type: 'string', describe: "Node: the token file copied from the hub's fleet/nodes/<host>.token (default fleet/hub.token)" })
        .option('ca-file', { type: 'string', describe: "Node: the hub's CA, copied from its fleet/tls/ca.crt (default fleet/ca.crt; empty: the system's CAs)" })
        .option('engine', { choices: FLEET_ENGINES, describe: `Hub: ${describeChoices(ENGINE_CHOICES)}` })
        .option('nodes', { type: 'array', string: true, describe: 'Hub: the nodes allowed to write, comma-separated; one token each' })
        .option('listen', { type: 'string', describe: 'Hub: address the write endpoint (vmauth) listens on (default 0.0.0.0)' })
        .option('tls', { choices: FLEET_TLS_MODES, describe: 'Hub: generate a CA and certificate (default), use your files, or off (plain HTTP)' })
        .option('tls-name', { type: 'array', string: true, describe: 'Hub: a name or address nodes reach it by, for the generated certificate (repeatable; default: host name, localhost, 127.0.0.1)' })
        .option('tls-cert', { type: 'string', describe: 'Hub: your certificate (PEM), with --tls files' })
        .option('tls-key', { type: 'string', describe: 'Hub: its private key (PEM), with --tls files' })
        .option('remote-write-url', { type: 'string', describe: "Hub, engine external: your engine's remote_write URL" })
        .option('query-url', { type: 'string', describe: "Hub, engine external: your engine's Prometheus query API URL" })
        .option('yes', { alias: 'y', type: 'boolean', default: false, describe: 'Take defaults for everything not given; never prompt' })
        .option('overwrite', { type: 'boolean', default: false, describe: 'Write into a non-empty folder, replacing files fibre-stack makes' })
        .option('dry-run', { type: 'boolean', default: false, describe: 'List what would be written; write nothing' })
        .option('json', { type: 'boolean', default: false, describe: 'Print the result as JSON' })
        .example('$0 create my-stack --yes --profiles fibre,miner --miner-log /var/log/miner.log', 'Non-interactive')
        .example('$0 create hub --yes --role hub --nodes rig-1,rig-2 --tls-name hub.example', 'A fleet hub (VictoriaMetrics) for two nodes')
        .example('$0 create rig-1 --yes --role node --hub https://hub.example:8427 --host rig-1 --profiles miner', 'A fleet node')
        .example('create-fibre-stack my-stack', 'Interactive') as unknown as Argv<CreateArgs>;
    },
    handler: handler(registry),
  };
}

export const createCommand = createCommandFor(PROFILES);
