// `fibre-stack create [dir]` (and `create-fibre-stack [dir]`): asks, renders, writes.
import { existsSync, readdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { FLEET_ENGINES, FLEET_TLS_MODES, LOG_AGENTS, MODES, type ProfileId, type StackSpec } from '../spec/types.js';
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
import { ALERT_OPTIONS, receiversFromFlags, type AlertFlags } from './alert-flags.js';
import type { PlainCommand, PlainOption } from '../plain-argv.js';
import { receiverSecretFiles, writeReceiverSecrets } from '../io/receiver-secrets.js';

interface CreateArgs extends AlertFlags {
  dir: string;
  profiles?: string[];
  mode?: CreateAnswers['mode'];
  logAgent?: CreateAnswers['logAgent'];
  bind?: string;
  syntheticChecks?: boolean;
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
  node?: string[];
  yes: boolean;
  overwrite: boolean;
  dryRun: boolean;
  json: boolean;
  /** The profiles' flags, by flag name (registry.questions). */
  [flag: string]: unknown;
}

const split = (xs?: unknown[]) => xs?.flatMap((x) => String(x).split(',')).map((x) => x.trim()).filter(Boolean);

/** A profile question's flag, as yargs declares it. */
function questionOption(q: Question): PlainOption {
  switch (q.kind) {
    case 'text':
      return { type: 'string', describe: q.describe };
    case 'list':
      return { type: 'array', string: true, describe: q.describe };
    case 'choice':
      return { choices: [...q.choices], describe: q.describe };
  }
}

/**
 * `create`'s options for these profiles, as data (yargs' builder and the plain command line,
 * cli/plain-argv.ts, read the same record), in the order --help lists them: the profiles' flags
 * come after the stack's first three, in the order they are asked.
 */
function createOptions(registry: Registry): Record<string, PlainOption> {
  return {
    profiles: { type: 'array', string: true, describe: `What to monitor, comma-separated: ${registry.ids.join(',')}` },
    mode: { choices: MODES, describe: describeChoices(MODE_CHOICES) },
    'log-agent': { choices: LOG_AGENTS, describe: `${describeChoices(LOG_AGENT_CHOICES)}; default ${defaultSpec().log_agent}` },
    ...Object.fromEntries(registry.questions.map((q) => [q.flag, questionOption(q)])),
    bind: { type: 'string', describe: 'Address published ports bind to (default 127.0.0.1)' },
    'synthetic-checks': { type: 'boolean', describe: "Run the blackbox exporter: probe nodeos's API, bitcoind's P2P and RPC ports and the stack's pages, with alerts (default off)" },
    node: {
      type: 'array',
      string: true,
      describe:
        'A node of a profile, for more than one per profile: PROFILE:KEY=VALUE,... with KEY one of that profile\'s flags without dashes ' +
        '(a list flag\'s may repeat), e.g. bitcoin-core:node-name=b,bitcoin-datadir=/srv/b. Repeat it, once per node: a profile named by --node has ' +
        'exactly those nodes, each taking the other flags as its defaults; each after the first gets a free exporter port',
    },
    ...ALERT_OPTIONS,
    project: { type: 'string', describe: 'Project name (default: the folder name)' },
    role: { choices: ['standalone', 'node', 'hub'], describe: describeChoices(ROLE_CHOICES) },
    hub: { type: 'string', describe: "Node: the hub's write endpoint, such as https://hub.example:8427" },
    host: { type: 'string', describe: "Node: this machine's name on every series it sends (default: the host name)" },
    site: { type: 'string', describe: 'Node: its site label (default: default)' },
    'token-file': { type: 'string', describe: "Node: the token file copied from the hub's fleet/nodes/<host>.token (default fleet/hub.token)" },
    'ca-file': { type: 'string', describe: "Node: the hub's CA, copied from its fleet/tls/ca.crt (default fleet/ca.crt; empty: the system's CAs)" },
    engine: { choices: FLEET_ENGINES, describe: `Hub: ${describeChoices(ENGINE_CHOICES)}` },
    nodes: { type: 'array', string: true, describe: 'Hub: the nodes allowed to write, comma-separated; one token each' },
    listen: { type: 'string', describe: 'Hub: address the write endpoint (vmauth) listens on (default 0.0.0.0)' },
    tls: { choices: FLEET_TLS_MODES, describe: 'Hub: generate a CA and certificate (default), use your files, or off (plain HTTP)' },
    'tls-name': { type: 'array', string: true, describe: 'Hub: a name or address nodes reach it by, for the generated certificate (repeatable; default: host name, localhost, 127.0.0.1)' },
    'tls-cert': { type: 'string', describe: 'Hub: your certificate (PEM), with --tls files' },
    'tls-key': { type: 'string', describe: 'Hub: its private key (PEM), with --tls files' },
    'remote-write-url': { type: 'string', describe: "Hub, engine external: your engine's remote_write URL" },
    'query-url': { type: 'string', describe: "Hub, engine external: your engine's Prometheus query API URL" },
    yes: { alias: 'y', type: 'boolean', default: false, describe: 'Take defaults for everything not given; never prompt' },
    overwrite: { type: 'boolean', default: false, describe: 'Write into a non-empty folder, replacing files fibre-stack makes' },
    'dry-run': { type: 'boolean', default: false, describe: 'List what would be written; write nothing' },
    json: { type: 'boolean', default: false, describe: 'Print the result as JSON' },
  };
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

/**
 * One `--node PROFILE[:KEY=VALUE,...]`: a node of PROFILE whose answers are its flags' (KEY, a flag
 * of that profile without the dashes; a list flag's key may repeat) over the other flags'.
 */
export function nodeFromFlag(value: string, registry: Registry): { profile: ProfileId; answers: Record<string, unknown> } {
  const colon = value.indexOf(':');
  const profile = (colon < 0 ? value : value.slice(0, colon)).trim();
  const def = registry.get(profile);
  if (!def?.spec.name) {
    const named = registry.profiles.filter((p) => p.spec.name).map((p) => p.id);
    throw new UserError(`--node ${value}: start with the profile of the node, one of ${named.join(', ')}, as in --node bitcoin-core:node-name=b,bitcoin-datadir=/srv/b`);
  }
  const answers: Record<string, unknown> = {};
  const pairs = colon < 0 ? [] : value.slice(colon + 1).split(',').map((p) => p.trim()).filter(Boolean);
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const q = def.questions.asks.find((x) => x.flag === pair.slice(0, eq).trim());
    if (eq < 0 || !q) {
      throw new UserError(`--node ${value}: "${pair}" is not KEY=VALUE with KEY one of ${profile}'s: ${def.questions.asks.map((x) => x.flag).join(', ')}`);
    }
    const v = pair.slice(eq + 1).trim();
    answers[q.key] = q.kind === 'list' ? [...((answers[q.key] as string[] | undefined) ?? []), v] : v;
  }
  return { profile: profile as ProfileId, answers };
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
  const nodes = (args.node ?? []).map((v) => nodeFromFlag(String(v), registry));
  const noded = registry.ids.filter((id) => nodes.some((n) => n.profile === id)) as ProfileId[];
  const unchosen = profiles ? noded.filter((id) => !profiles.includes(id)) : [];
  if (unchosen.length) throw new UserError(`--node: ${unchosen.join(', ')} is not among --profiles ${profiles!.join(',')}; add it there, or leave --profiles out to monitor what --node names`);
  // --node names the profiles when --profiles does not.
  set('profiles', (profiles ?? (noded.length ? noded : undefined)) as ProfileId[] | undefined);
  if (nodes.length) set('nodes', Object.fromEntries(noded.map((id) => [id, nodes.filter((n) => n.profile === id).map((n) => n.answers)])));
  set('mode', args.mode);
  set('logAgent', args.logAgent);
  for (const q of registry.questions) if (args[q.flag] !== undefined) set(q.key, answerFromFlag(q, args[q.flag]));
  set('bind', args.bind);
  set('syntheticChecks', args.syntheticChecks);
  set('receivers', receiversFromFlags(args));
  set('grafanaUrl', args.grafanaUrl);
  set('project', args.project);
  set('role', args.role);
  set('hubUrl', args.hub);
  set('host', args.host);
  set('site', args.site);
  set('tokenFile', args.tokenFile);
  set('caFile', args.caFile);
  set('engine', args.engine);
  set('fleetNodes', split(args.nodes));
  set('listen', args.listen);
  set('tls', args.tls);
  set('tlsNames', split(args.tlsName));
  set('tlsCert', args.tlsCert);
  set('tlsKey', args.tlsKey);
  set('remoteWriteUrl', args.remoteWriteUrl);
  set('queryUrl', args.queryUrl);
  // A fleet flag says which role is meant: --hub only makes sense on a node, --nodes on a hub.
  if (!given.has('role') && (given.has('hubUrl') || given.has('engine') || given.has('fleetNodes'))) {
    set('role', given.has('hubUrl') ? 'node' : 'hub');
  }
  if (!given.has('tls') && (given.has('tlsCert') || given.has('tlsKey'))) set('tls', 'files');
  return { answers: a as unknown as CreateAnswers, given };
}

/** The profiles of a stack, each with its nodes' count when it has more than one. */
function describeNodes(spec: StackSpec): string {
  return Object.entries(spec.profiles).map(([id, nodes]) => (nodes.length > 1 ? `${id} (${nodes.length} nodes)` : id)).join(', ');
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
  const secretFiles = receiverSecretFiles(spec, final.receivers);
  if (args.dryRun) {
    const plan = [...planStack(dir, files, { force: true }), ...planStack(dir, secretFiles, { force: true, untracked: true })];
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
  const secrets = writeReceiverSecrets(dir, spec, secretFiles);
  // What the stack cannot do as specified, or a choice to reconsider, with the fix: said, not refused.
  const warnings = [...stackNotices(spec, registry), ...createWarnings(spec, registry, final.receivers), ...secrets.flatMap((s) => s.warning ?? [])];
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  if (args.json) {
    process.stdout.write(JSON.stringify({ dir, files: results, secrets: secrets.map((s) => s.path), tls, urls: stackUrls(spec), warnings }, null, 2) + '\n');
    return;
  }
  process.stdout.write(`Created a ${spec.mode} ${spec.fleet ? `fleet ${spec.fleet.role}` : 'stack'} for ${describeNodes(spec)} in ${dir}:\n`);
  printWriteResults([...results, ...secrets.map((s) => ({ path: s.path, action: 'created' as const }))]);
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

const DIR = { name: 'dir', variadic: false, default: 'fibre-stack' } as const;

/**
 * `create` for these profiles: their flags beside the stack's own. `plain`: the command line
 * without yargs when it is plain, as `create-fibre-stack my-stack --yes --profiles ...` is
 * (cli/plain-argv.ts).
 */
export function createCommandFor(registry: Registry): CommandModule<object, CreateArgs> & { plain: PlainCommand<CreateArgs> } {
  const options = createOptions(registry);
  const run = handler(registry);
  return {
    command: 'create [dir]',
    describe: 'Create a monitoring stack in a folder (asks on a terminal; every question has a flag)',
    builder: (y: Argv) =>
      y
        .positional(DIR.name, { type: 'string', default: DIR.default, describe: 'Folder to create the stack in' })
        .options(options)
        .example('$0 create my-stack --yes --profiles fibre,miner --miner-log /var/log/miner.log', 'Non-interactive')
        .example('$0 create hub --yes --role hub --nodes rig-1,rig-2 --tls-name hub.example', 'A fleet hub (VictoriaMetrics) for two nodes')
        .example('$0 create rig-1 --yes --role node --hub https://hub.example:8427 --host rig-1 --profiles miner', 'A fleet node')
        .example('$0 create my-stack --yes --alert-telegram -1001234567890 --alert-telegram-token-file ~/telegram.token', 'Alerts to a Telegram chat')
        .example(
          '$0 create my-stack --yes --node bitcoin-core:node-name=a,bitcoin-datadir=/srv/a --node bitcoin-core:node-name=b,bitcoin-datadir=/srv/b',
          'Two Bitcoin Core nodes on one host',
        )
        .example('create-fibre-stack my-stack', 'Interactive') as unknown as Argv<CreateArgs>,
    handler: run,
    plain: { options, positional: DIR, handler: run },
  };
}

export const createCommand = createCommandFor(PROFILES);
