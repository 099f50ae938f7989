// The answers `create` gathers (from flags or prompts), turned into a spec. The result goes
// through validateSpec like any fibre-stack.yml, so flags and files are checked the same way.
import { basename } from 'node:path';
import type { Bitstream, LogAgent, Mode, ProfileId, StackSpec } from './types.js';
import { defaultProfile, defaultSpec } from './defaults.js';
import { validateSpec } from './validate.js';

export interface CreateAnswers {
  profiles: ProfileId[];
  mode: Mode;
  logAgent: LogAgent;
  nodeName: string;
  bitcoind: string;
  bitcoinDatadir: string;
  minerLogs: string[];
  minerBitstream: Bitstream;
  cards: string[];
  nodeosUrl: string;
  scrapeTargets: string[];
  bind: string;
  /** Empty: alerts are kept in Alertmanager and sent nowhere. */
  alertWebhook: string;
  project: string;
}

/** A compose project name from a folder name: lower-case, safe characters, never empty. */
export function projectNameFor(dir: string): string {
  const name = basename(dir).toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^[-_]+|-+$/g, '');
  return name || 'fibre-stack';
}

export function defaultAnswers(dir: string): CreateAnswers {
  const spec = defaultSpec();
  const fibre = defaultProfile('fibre') as NonNullable<StackSpec['profiles']['fibre']>;
  const miner = defaultProfile('miner') as NonNullable<StackSpec['profiles']['miner']>;
  return {
    profiles: ['fibre'],
    mode: spec.mode,
    logAgent: spec.log_agent,
    nodeName: fibre.node_name,
    bitcoind: fibre.bitcoind,
    bitcoinDatadir: fibre.bitcoin_datadir,
    minerLogs: miner.logs.map((l) => l.path),
    minerBitstream: miner.bitstream,
    cards: [],
    nodeosUrl: (defaultProfile('nodeos') as NonNullable<StackSpec['profiles']['nodeos']>).url,
    scrapeTargets: [],
    bind: spec.bind_address,
    alertWebhook: '',
    project: projectNameFor(dir),
  };
}

export function specFromAnswers(a: CreateAnswers): StackSpec {
  const profiles: Record<string, unknown> = {};
  for (const id of a.profiles) {
    switch (id) {
      case 'fibre':
      case 'bitcoin-core':
        profiles[id] = { ...defaultProfile(id), node_name: a.nodeName, bitcoind: a.bitcoind, bitcoin_datadir: a.bitcoinDatadir };
        break;
      case 'miner':
        profiles[id] = {
          ...defaultProfile(id),
          bitstream: a.minerBitstream,
          // Cards are named in the order of the logs; unnamed ones are card0, card1, ...
          logs: a.minerLogs.map((path, i) => ({ path, card: a.cards[i] ?? `card${i}` })),
        };
        break;
      case 'nodeos':
        profiles[id] = { node_name: a.nodeName, url: a.nodeosUrl };
        break;
      case 'scrape':
        profiles[id] = { targets: a.scrapeTargets };
        break;
    }
  }
  const base = defaultSpec();
  return validateSpec(
    {
      ...base,
      project: a.project,
      mode: a.mode,
      log_agent: a.logAgent,
      bind_address: a.bind,
      alerting: a.alertWebhook ? { receiver: 'webhook', webhook_url: a.alertWebhook } : { receiver: 'none', webhook_url: '' },
      profiles,
    },
    'the options given',
  );
}
