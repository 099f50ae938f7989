// What the status page asks Prometheus about a stack: its profiles (scrape jobs, alert names,
// headline queries) and its own services. Pure: from the spec alone.
import type { StackSpec } from '../spec/types.js';
import type { Registry } from '../../profiles/registry.js';
import type { StatusHeadline } from '../../profiles/types.js';
import type { RuleFileSpec } from '../../profiles/kit/rule-kit.js';
import { addressing } from '../render/addressing.js';
import { enabledProfiles, exporterServiceOf } from '../render/stack-profiles.js';
import { enabledServices } from '../services/table.js';
import { stackRules } from '../services/rules.js';
import { probeAlert } from '../services/probe-rules.js';
import type { ProbeCheck } from '../../profiles/types.js';

export interface PlannedSection {
  /** A profile id, or `stack` for the stack's own services. */
  id: string;
  title: string;
  /** Its scrape jobs: each target of these is a node of the section. */
  jobs: string[];
  /** Names of its alerts: a firing one colours the section. */
  alerts: string[];
  headlines: readonly StatusHeadline[];
}

export interface StatusPlan {
  sections: PlannedSection[];
  /**
   * Made without the stack's spec (every profile at its defaults): a section Prometheus has no
   * target of is left out rather than reported missing.
   */
  guessed: boolean;
  /** Read the targets from their `up` series, not the targets API: a fleet hub's (prometheus-api.ts). */
  targetsFromUp: boolean;
}

const alertNames = (rules: RuleFileSpec) => rules.groups.flatMap((g) => g.rules.flatMap((r) => ('alert' in r ? [r.alert] : [])));

export const STACK_SECTION = 'stack';

/**
 * The stack's own services first (when Prometheus is down nothing else can be known), then each
 * enabled profile that has a scrape job (an extra-targets profile with none has nothing to show).
 */
export function statusPlan(spec: StackSpec, registry: Registry, guessed = false): StatusPlan {
  const at = addressing(spec);
  // A failing synthetic check is about what it probes: its alert (a stack rule) belongs to the
  // profile whose probe it is, and matches its node by the `node` label they share.
  const profiles = enabledProfiles(spec, registry).map(({ def, nodes }) => ({
    id: def.id,
    title: def.title,
    jobs: [...new Set(nodes.flatMap((settings, i) => def.scrapeJobs(settings, at, exporterServiceOf(def, i)).map((j) => j.job_name)))],
    alerts: [...alertNames(def.rules), ...checkAlerts(nodes.flatMap((settings) => def.probes?.(settings, at).map((p) => p.check) ?? []))],
    headlines: def.status ?? [],
  }));
  const profileChecks = new Set(profiles.flatMap((p) => p.alerts));
  const stack = { id: STACK_SECTION, title: 'Monitoring stack', jobs: enabledServices(spec), alerts: alertNames(stackRules).filter((a) => !profileChecks.has(a)), headlines: [] };
  return { guessed, targetsFromUp: spec.fleet?.role === 'hub', sections: [stack, ...profiles].filter((s) => s.jobs.length > 0) };
}

const checkAlerts = (checks: readonly ProbeCheck[]) => [...new Set(checks.map(probeAlert))];
