// `fibre-stack create [dir]` (and `npx create-fibre-stack [dir]`): asks, renders, writes.
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { BITSTREAMS, LOG_AGENTS, MODES, PROFILE_IDS, type ProfileId } from '../spec/types.js';
import { defaultAnswers, specFromAnswers, type CreateAnswers } from '../spec/from-answers.js';
import { renderStack } from '../render/index.js';
import { stackUrls } from '../render/readme.js';
import { loadTemplates } from '../io/templates.js';
import { loadOrCreateSecrets } from '../io/spec-io.js';
import { planStack, writeStack } from '../io/stack-writer.js';
import { UserError } from '../../core/errors.js';
import { printWriteResults } from './stack-report.js';

interface CreateArgs {
  dir: string;
  profiles?: string[];
  mode?: CreateAnswers['mode'];
  logAgent?: CreateAnswers['logAgent'];
  nodeName?: string;
  bitcoind?: string;
  bitcoinDatadir?: string;
  minerLog?: string[];
  minerBitstream?: CreateAnswers['minerBitstream'];
  card?: string[];
  nodeosUrl?: string;
  scrapeTarget?: string[];
  bind?: string;
  alertWebhook?: string;
  project?: string;
  yes: boolean;
  overwrite: boolean;
  dryRun: boolean;
  json: boolean;
}

/** Answers given by flags, and which ones, so that prompts ask only for the rest. */
function answersFromFlags(args: CreateArgs, base: CreateAnswers): { answers: CreateAnswers; given: Set<keyof CreateAnswers> } {
  const a = { ...base };
  const given = new Set<keyof CreateAnswers>();
  const set = <K extends keyof CreateAnswers>(key: K, value: CreateAnswers[K] | undefined) => {
    if (value === undefined) return;
    a[key] = value;
    given.add(key);
  };
  const split = (xs?: string[]) => xs?.flatMap((x) => String(x).split(',')).map((x) => x.trim()).filter(Boolean);
  const profiles = split(args.profiles);
  if (profiles) {
    const unknown = profiles.filter((p) => !(PROFILE_IDS as readonly string[]).includes(p));
    if (unknown.length) throw new UserError(`--profiles: unknown profile ${unknown.join(', ')}; allowed: ${PROFILE_IDS.join(', ')}`);
    if (!profiles.length) throw new UserError(`--profiles: name at least one of ${PROFILE_IDS.join(', ')}`);
  }
  set('profiles', profiles as ProfileId[] | undefined);
  set('mode', args.mode);
  set('logAgent', args.logAgent);
  set('nodeName', args.nodeName);
  set('bitcoind', args.bitcoind);
  set('bitcoinDatadir', args.bitcoinDatadir);
  set('minerLogs', split(args.minerLog));
  set('minerBitstream', args.minerBitstream);
  set('cards', split(args.card));
  set('nodeosUrl', args.nodeosUrl);
  set('scrapeTargets', split(args.scrapeTarget));
  set('bind', args.bind);
  set('alertWebhook', args.alertWebhook);
  set('project', args.project);
  return { answers: a, given };
}

function isNonEmptyDir(dir: string): boolean {
  return existsSync(dir) && readdirSync(dir).length > 0;
}

async function handler(args: ArgumentsCamelCase<CreateArgs>): Promise<void> {
  const dir = resolve(args.dir);
  const { answers, given } = answersFromFlags(args, defaultAnswers(dir));
  let final = answers;
  if (!args.yes) {
    if (!process.stdin.isTTY) {
      throw new UserError('no terminal to ask questions on: pass --yes to take the defaults for what the flags leave open (see --help)');
    }
    // Loaded only when asking: the prompt library is a noticeable part of start-up time.
    const { promptAnswers } = await import('./create-prompts.js');
    final = await promptAnswers(answers, given);
  }
  const spec = specFromAnswers(final);
  if (isNonEmptyDir(dir) && !args.overwrite && !args.dryRun) {
    throw new UserError(`${dir} is not empty: choose an empty or new folder, or pass --overwrite to replace the files fibre-stack makes there (other files are left alone)`);
  }
  const files = renderStack(spec, loadOrCreateSecrets(dir), loadTemplates());
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
  if (args.json) {
    process.stdout.write(JSON.stringify({ dir, files: results, urls: stackUrls(spec) }, null, 2) + '\n');
    return;
  }
  process.stdout.write(`Created a ${spec.mode} stack for ${Object.keys(spec.profiles).join(', ')} in ${dir}:\n`);
  printWriteResults(results);
  const cd = dir === process.cwd() ? '' : `cd ${JSON.stringify(args.dir)} && `;
  process.stdout.write(
    `\nNext steps:\n  ${cd}fibre-stack up${spec.mode === 'native' ? ' --native' : ''}\n  fibre-stack validate\n` +
      `Then open Grafana at ${stackUrls(spec).find((u) => u.name === 'grafana')?.url ?? '(grafana disabled)'} as admin; the password is in ${dir}/.env.\n`,
  );
}

export const createCommand: CommandModule<object, CreateArgs> = {
  command: 'create [dir]',
  describe: 'Create a monitoring stack in a folder (asks on a terminal; every question has a flag)',
  builder: (y: Argv) =>
    y
      .positional('dir', { type: 'string', default: 'fibre-stack', describe: 'Folder to create the stack in' })
      .option('profiles', { type: 'array', string: true, describe: `What to monitor, comma-separated: ${PROFILE_IDS.join(',')}` })
      .option('mode', { choices: MODES, describe: 'docker (compose) or native (processes on this host)' })
      .option('log-agent', { choices: LOG_AGENTS, describe: 'alloy (default) or promtail (end of life 2026-03-02)' })
      .option('node-name', { type: 'string', describe: 'Node name, the `node` label (default localhost)' })
      .option('bitcoind', { type: 'string', describe: 'Path of the bitcoind binary (fibre, bitcoin-core)' })
      .option('bitcoin-datadir', { type: 'string', describe: 'bitcoind data folder, where debug.log is' })
      .option('miner-log', { type: 'array', string: true, describe: 'Miner log file(s)' })
      .option('miner-bitstream', { choices: BITSTREAMS, describe: 'Miner bitstream' })
      .option('card', { type: 'array', string: true, describe: 'Card name per miner log (default card0, card1, ...)' })
      .option('nodeos-url', { type: 'string', describe: 'nodeos http_plugin URL (default http://127.0.0.1:8888)' })
      .option('scrape-target', { type: 'array', string: true, describe: 'Extra Prometheus target(s), host:port' })
      .option('bind', { type: 'string', describe: 'Address published ports bind to (default 127.0.0.1)' })
      .option('alert-webhook', { type: 'string', describe: 'Alertmanager webhook URL (default: no receiver)' })
      .option('project', { type: 'string', describe: 'Project name (default: the folder name)' })
      .option('yes', { alias: 'y', type: 'boolean', default: false, describe: 'Take defaults for everything not given; never prompt' })
      .option('overwrite', { type: 'boolean', default: false, describe: 'Write into a non-empty folder, replacing files fibre-stack makes' })
      .option('dry-run', { type: 'boolean', default: false, describe: 'List what would be written; write nothing' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the result as JSON' })
      .example('$0 create my-stack --yes --profiles fibre,miner --miner-log /var/log/miner.log', 'Non-interactive')
      .example('npx create-fibre-stack my-stack', 'Interactive') as unknown as Argv<CreateArgs>,
  handler,
};
