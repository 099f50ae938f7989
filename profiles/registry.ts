// The list of profiles. A new profile is a folder beside this file and one line here.
import type { ProfileId } from '../cli/spec/types.js';
import type { ProfileDef } from './types.js';
import { fibreProfile } from './fibre/index.js';
import { bitcoinCoreProfile } from './bitcoin-core/index.js';
import { minerProfile } from './miner/index.js';
import { nodeosProfile } from './nodeos/index.js';
import { scrapeProfile } from './scrape/index.js';

export const PROFILES: { [Id in ProfileId]: ProfileDef<Id> } = {
  fibre: fibreProfile,
  'bitcoin-core': bitcoinCoreProfile,
  miner: minerProfile,
  nodeos: nodeosProfile,
  scrape: scrapeProfile,
};
