// The list of profiles. A new profile is a folder beside this file and one line in PROFILE_LIST.
// Everything else that knows the profiles (the spec's `profiles:` section, create's flags and
// prompts, the exporter subcommands, scrape jobs, rules, dashboards, runbooks) reads a Registry,
// this one unless a test builds its own from another list.
import type { ProfileDef, Question } from './types.js';
import { fibreProfile } from './fibre/index.js';
import { bitcoinCoreProfile } from './bitcoin-core/index.js';
import { minerProfile } from './miner/index.js';
import { nodeosProfile } from './nodeos/index.js';
import { scrapeProfile } from './scrape/index.js';

/** In this order: spec sections, prompts, scrape jobs, rule files and runbook sections follow it. */
export const PROFILE_LIST = [fibreProfile, bitcoinCoreProfile, minerProfile, nodeosProfile, scrapeProfile] as const;

export type ProfileId = (typeof PROFILE_LIST)[number]['id'];

export interface Registry {
  readonly profiles: readonly ProfileDef[];
  readonly ids: readonly string[];
  get(id: string): ProfileDef | undefined;
  /** Every question once, in the order first asked: by profile, then as each profile lists them. */
  readonly questions: readonly Question[];
}

/**
 * A registry of these profiles, checked for what would otherwise break far from its cause: ids,
 * exporter services and flags must be unique, and profiles asking the same thing must share the
 * question object.
 */
export function buildRegistry(list: readonly ProfileDef[]): Registry {
  const byId = new Map<string, ProfileDef>();
  const services = new Set<string>();
  const byKey = new Map<string, Question>();
  const byFlag = new Map<string, Question>();
  for (const def of list) {
    if (byId.has(def.id)) throw new Error(`two profiles are called ${def.id}`);
    byId.set(def.id, def);
    if (def.exporter) {
      if (services.has(def.exporter.service)) throw new Error(`${def.id}: exporter service ${def.exporter.service} is another profile's`);
      services.add(def.exporter.service);
    }
    for (const q of def.questions.asks) {
      const sameKey = byKey.get(q.key) ?? q;
      const sameFlag = byFlag.get(q.flag) ?? q;
      if (sameKey !== q || sameFlag !== q) throw new Error(`${def.id}: question ${q.key} (--${q.flag}) is another profile's; share that question object instead`);
      byKey.set(q.key, q);
      byFlag.set(q.flag, q);
    }
  }
  return {
    profiles: [...list],
    ids: [...byId.keys()],
    get: (id) => byId.get(id),
    questions: [...byKey.values()],
  };
}

export const PROFILES: Registry = buildRegistry(PROFILE_LIST);
