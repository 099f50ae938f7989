// The rule files for a set of profiles: what `create` puts into a stack and what
// `fibre-stack dashboards` checks in under rules/.
import type { ProfileId } from '../spec/types.js';
import { ruleFileYaml, type RuleFileSpec } from '../../profiles/kit/rule-kit.js';
import { fibreRules } from '../../profiles/fibre/rules.js';
import { bitcoinCoreRules } from '../../profiles/bitcoin-core/rules.js';
import { minerRules } from '../../profiles/miner/rules.js';
import { nodeosRules } from '../../profiles/nodeos/rules.js';
import { scrapeRules } from '../../profiles/scrape/rules.js';
import { stackRules } from '../services/rules.js';

export interface RuleFile {
  /** File name under prometheus/rules/ (and rules/ in this repository). */
  file: string;
  /** The rule file as YAML text. */
  content: string;
}

const RULES: Record<ProfileId, RuleFileSpec> = {
  fibre: fibreRules,
  'bitcoin-core': bitcoinCoreRules,
  miner: minerRules,
  nodeos: nodeosRules,
  scrape: scrapeRules,
};

const STACK = 'stack';

/** Every rule file spec we ship, keyed by file stem (profile id, or `stack`). */
export const ALL_RULE_SPECS: Record<string, RuleFileSpec> = { ...RULES, [STACK]: stackRules };

export function ruleFilesFor(ids: readonly ProfileId[]): RuleFile[] {
  return [STACK, ...ids].map((stem) => ({ file: `${stem}.yml`, content: ruleFileYaml(ALL_RULE_SPECS[stem]) }));
}
