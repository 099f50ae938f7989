// Dashboards and rule files for a set of profiles: what `create` puts into a stack and what
// `fibre-stack dashboards` checks in under dashboards/ and rules/.
import { PROFILE_IDS, type ProfileId } from '../cli/spec/types.js';
import { buildDashboard, type DashboardSpec } from './dashboard-kit.js';
import { ruleFileYaml, type RuleFileSpec } from './rule-kit.js';
import { fibreDashboard } from './fibre/dashboard.js';
import { bitcoinCoreDashboard } from './bitcoin-core/dashboard.js';
import { minerDashboard } from './miner/dashboard.js';
import { nodeosDashboard } from './nodeos/dashboard.js';
import { stackDashboard } from './stack/dashboard.js';
import { fibreRules } from './fibre/rules.js';
import { bitcoinCoreRules } from './bitcoin-core/rules.js';
import { minerRules } from './miner/rules.js';
import { nodeosRules } from './nodeos/rules.js';
import { scrapeRules } from './scrape/rules.js';
import { stackRules } from './stack/rules.js';

export interface DashboardFile {
  /** File name under grafana/dashboards/ (and dashboards/ in this repository). */
  file: string;
  dashboard: Record<string, unknown>;
}

export interface RuleFile {
  /** File name under prometheus/rules/ (and rules/ in this repository). */
  file: string;
  /** The rule file as YAML text. */
  content: string;
}

/** Per profile; the scrape profile's targets are unknown to us, so it has rules but no dashboard. */
const DASHBOARDS: Partial<Record<ProfileId, DashboardSpec>> = {
  fibre: fibreDashboard,
  'bitcoin-core': bitcoinCoreDashboard,
  miner: minerDashboard,
  nodeos: nodeosDashboard,
};

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

export function dashboardsFor(ids: readonly ProfileId[]): DashboardFile[] {
  const files: DashboardFile[] = [{ file: `${STACK}-overview.json`, dashboard: buildDashboard(stackDashboard) }];
  for (const id of ids) {
    const spec = DASHBOARDS[id];
    if (spec) files.push({ file: `${id}.json`, dashboard: buildDashboard(spec) });
  }
  return files;
}

export function ruleFilesFor(ids: readonly ProfileId[]): RuleFile[] {
  return [STACK, ...ids].map((stem) => ({ file: `${stem}.yml`, content: ruleFileYaml(ALL_RULE_SPECS[stem]) }));
}

/** A dashboard as the JSON text we write: two-space indent and a final newline, stable for diffs. */
export function dashboardText(d: DashboardFile): string {
  return JSON.stringify(d.dashboard, null, 2) + '\n';
}

/** What this repository checks in under dashboards/ and rules/: every profile's files. */
export function checkedInArtifacts(): { path: string; content: string }[] {
  return [
    ...dashboardsFor(PROFILE_IDS).map((d) => ({ path: `dashboards/${d.file}`, content: dashboardText(d) })),
    ...ruleFilesFor(PROFILE_IDS).map((r) => ({ path: `rules/${r.file}`, content: r.content })),
  ];
}
