// The rule files for a set of profiles: what `create` puts into a stack and what
// `fibre-stack dashboards` checks in under rules/.
import { ruleFileYaml, type RuleFileSpec } from '../../profiles/kit/rule-kit.js';
import { PROFILES, type Registry } from '../../profiles/registry.js';
import { hostRules } from '../services/host-rules.js';
import { stackRules } from '../services/rules.js';
import { fleetRules } from '../services/fleet-rules.js';

export interface RuleFile {
  /** File name under prometheus/rules/ (and rules/ in this repository). */
  file: string;
  /** The rule file as YAML text. */
  content: string;
}

const STACK = 'stack';
const HOST = 'host';
/** The hub's rules about its nodes: only a fleet hub loads them. */
const FLEET = 'fleet';

/** Every rule file spec of these profiles, the stack's own, the host's and the fleet hub's, keyed by file stem (profile id, `stack`, `host` or `fleet`). */
export function ruleSpecs(registry: Registry = PROFILES): Record<string, RuleFileSpec> {
  return { ...Object.fromEntries(registry.profiles.map((def) => [def.id, def.rules])), [STACK]: stackRules, [HOST]: hostRules, [FLEET]: fleetRules };
}

/** Every rule file spec we ship. */
export const ALL_RULE_SPECS: Record<string, RuleFileSpec> = ruleSpecs();

/** The stack's rule file, the host's, then one per profile. */
export function ruleFilesFor(ids: readonly string[], registry: Registry = PROFILES): RuleFile[] {
  const specs = ruleSpecs(registry);
  return [STACK, HOST, ...ids].map((stem) => ({ file: `${stem}.yml`, content: ruleFileYaml(specs[stem]) }));
}

/** The fleet hub's rule file (nodes gone silent), beside the others on a hub only. */
export function fleetRuleFile(): RuleFile {
  return { file: `${FLEET}.yml`, content: ruleFileYaml(fleetRules) };
}

/** Every rule file we ship: what this repository checks in under rules/. */
export function allRuleFiles(registry: Registry = PROFILES): RuleFile[] {
  return [...ruleFilesFor(registry.ids, registry), fleetRuleFile()];
}
