// The rule files for a set of profiles: what `create` puts into a stack and what
// `fibre-stack dashboards` checks in under rules/.
import { ruleFileYaml, type RuleFileSpec } from '../../profiles/kit/rule-kit.js';
import { PROFILES, type Registry } from '../../profiles/registry.js';
import { hostRules } from '../services/host-rules.js';
import { stackRules } from '../services/rules.js';

export interface RuleFile {
  /** File name under prometheus/rules/ (and rules/ in this repository). */
  file: string;
  /** The rule file as YAML text. */
  content: string;
}

const STACK = 'stack';
const HOST = 'host';

/** Every rule file spec of these profiles, the stack's own and the host's, keyed by file stem (profile id, `stack` or `host`). */
export function ruleSpecs(registry: Registry = PROFILES): Record<string, RuleFileSpec> {
  return { ...Object.fromEntries(registry.profiles.map((def) => [def.id, def.rules])), [STACK]: stackRules, [HOST]: hostRules };
}

/** Every rule file spec we ship. */
export const ALL_RULE_SPECS: Record<string, RuleFileSpec> = ruleSpecs();

/** The stack's rule file, the host's, then one per profile. */
export function ruleFilesFor(ids: readonly string[], registry: Registry = PROFILES): RuleFile[] {
  const specs = ruleSpecs(registry);
  return [STACK, HOST, ...ids].map((stem) => ({ file: `${stem}.yml`, content: ruleFileYaml(specs[stem]) }));
}
