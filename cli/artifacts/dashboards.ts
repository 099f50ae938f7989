// The dashboards for a set of profiles: what `create` puts into a stack and what
// `fibre-stack dashboards` checks in under dashboards/.
import type { ProfileId } from '../spec/types.js';
import { buildDashboard, type DashboardSpec } from '../../profiles/kit/dashboard-kit.js';
import { fibreDashboard } from '../../profiles/fibre/dashboard.js';
import { bitcoinCoreDashboard } from '../../profiles/bitcoin-core/dashboard.js';
import { minerDashboard } from '../../profiles/miner/dashboard.js';
import { nodeosDashboard } from '../../profiles/nodeos/dashboard.js';
import { stackDashboard } from '../services/dashboard.js';

export interface DashboardFile {
  /** File name under grafana/dashboards/ (and dashboards/ in this repository). */
  file: string;
  dashboard: Record<string, unknown>;
}

/** Per profile; the scrape profile's targets are unknown to us, so it has rules but no dashboard. */
const DASHBOARDS: Partial<Record<ProfileId, DashboardSpec>> = {
  fibre: fibreDashboard,
  'bitcoin-core': bitcoinCoreDashboard,
  miner: minerDashboard,
  nodeos: nodeosDashboard,
};

export function dashboardsFor(ids: readonly ProfileId[]): DashboardFile[] {
  const files: DashboardFile[] = [{ file: 'stack-overview.json', dashboard: buildDashboard(stackDashboard) }];
  for (const id of ids) {
    const spec = DASHBOARDS[id];
    if (spec) files.push({ file: `${id}.json`, dashboard: buildDashboard(spec) });
  }
  return files;
}

/** A dashboard as the JSON text we write: two-space indent and a final newline, stable for diffs. */
export function dashboardText(d: DashboardFile): string {
  return JSON.stringify(d.dashboard, null, 2) + '\n';
}
