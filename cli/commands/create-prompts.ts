// The questions `create` asks on a terminal, each only when its flag was not given.
import { checkbox, input, select } from '@inquirer/prompts';
import { BITSTREAMS, PROFILE_IDS, type ProfileId } from '../spec/types.js';
import type { CreateAnswers } from '../spec/from-answers.js';
import { checkHostPort } from '../spec/validate.js';
import { PROFILES } from '../../profiles/registry.js';

const list = (s: string) => s.split(/[,\s]+/).map((x) => x.trim()).filter(Boolean);

/** Asks for every answer whose key is not in `given`, starting from the defaults in `a`. */
export async function promptAnswers(a: CreateAnswers, given: ReadonlySet<keyof CreateAnswers>): Promise<CreateAnswers> {
  const out = { ...a };
  const ask = (key: keyof CreateAnswers) => !given.has(key);
  if (ask('profiles')) {
    out.profiles = await checkbox<ProfileId>({
      message: 'What do you want to monitor?',
      choices: PROFILE_IDS.map((id) => ({ value: id, name: `${id}: ${PROFILES[id].title}`, checked: a.profiles.includes(id) })),
      required: true,
    });
  }
  const has = (id: ProfileId) => out.profiles.includes(id);
  if (ask('mode')) {
    out.mode = await select({ message: 'Run the stack in', choices: [{ value: 'docker' as const, name: 'docker (docker compose)' }, { value: 'native' as const, name: 'native (processes on this host)' }], default: a.mode });
  }
  if (ask('nodeName') && (has('fibre') || has('bitcoin-core') || has('nodeos'))) {
    out.nodeName = await input({ message: 'Node name (the `node` label on its series)', default: a.nodeName, validate: (s) => (s.trim() ? true : 'a name is needed') });
  }
  if (has('fibre') || has('bitcoin-core')) {
    if (ask('bitcoind')) out.bitcoind = await input({ message: 'Path of the bitcoind binary', default: a.bitcoind, validate: (s) => (s.startsWith('/') ? true : 'an absolute path') });
    if (ask('bitcoinDatadir')) out.bitcoinDatadir = await input({ message: 'bitcoind data folder (where debug.log is)', default: a.bitcoinDatadir, validate: (s) => (s.startsWith('/') ? true : 'an absolute path') });
  }
  if (has('miner')) {
    if (ask('minerLogs')) out.minerLogs = list(await input({ message: 'Miner log files (comma-separated)', default: a.minerLogs.join(', '), validate: (s) => (list(s).length && list(s).every((p) => p.startsWith('/')) ? true : 'one or more absolute paths') }));
    if (ask('cards')) out.cards = list(await input({ message: 'Card names, one per log (empty: card0, card1, ...)', default: a.cards.join(', ') }));
    if (ask('minerBitstream')) out.minerBitstream = await select({ message: 'Bitstream', choices: BITSTREAMS.map((b) => ({ value: b })), default: a.minerBitstream });
  }
  if (has('nodeos') && ask('nodeosUrl')) {
    out.nodeosUrl = await input({ message: 'nodeos http_plugin URL', default: a.nodeosUrl });
  }
  if (has('scrape') && ask('scrapeTargets')) {
    out.scrapeTargets = list(await input({ message: 'Extra scrape targets, host:port (comma-separated)', default: a.scrapeTargets.join(', '), validate: (s) => list(s).map(checkHostPort).find(Boolean) ?? true }));
  }
  if (ask('logAgent')) {
    out.logAgent = await select({ message: 'Log agent', choices: [{ value: 'alloy' as const, name: 'alloy (recommended)' }, { value: 'promtail' as const, name: 'promtail (end of life since 2026-03-02)' }], default: a.logAgent });
  }
  if (ask('alertWebhook')) {
    out.alertWebhook = (await input({ message: 'Alertmanager webhook URL (empty: keep alerts in Alertmanager, send nowhere)', default: a.alertWebhook })).trim();
  }
  return out;
}
