// Dashboards and rule files for a set of profiles: what `create` puts into a stack and what
// `fibre-stack dashboards` checks in under dashboards/ and rules/.
import type { ProfileId } from '../cli/spec/types.js';

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

export function dashboardsFor(_ids: readonly ProfileId[]): DashboardFile[] {
  return [];
}

export function ruleFilesFor(_ids: readonly ProfileId[]): RuleFile[] {
  return [];
}
