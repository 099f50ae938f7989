// The dashboards for a set of profiles: which files a stack gets, and building them with Grafana's
// foundation SDK. `fibre-stack dashboards` builds them and checks them in under dashboards/, which
// the package ships; `create` and `generate` copy those files, so they never load the SDK.
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { PROFILES, type Registry } from '../../profiles/registry.js';

export interface DashboardFile {
  /** File name under grafana/dashboards/ (and dashboards/ in this repository). */
  file: string;
  dashboard: Dashboard;
}

/** The host dashboard's file: a stack without node_exporter leaves it out (cli/render/grafana.ts). */
export const HOST_DASHBOARD = 'host.json';

/** The stack overview, the host, then each profile's dashboard (the scrape profile's targets are unknown to us, so it has none). */
function sources(ids: readonly string[], registry: Registry): { file: string; build: () => Promise<Dashboard> }[] {
  const overview = { file: 'stack-overview.json', build: async () => (await import('../services/dashboard.js')).stackDashboard() };
  const host = { file: HOST_DASHBOARD, build: async () => (await import('../services/host-dashboard.js')).hostDashboard() };
  return [overview, host, ...ids.flatMap((id) => {
    const build = registry.get(id)?.dashboard;
    return build ? [{ file: `${id}.json`, build }] : [];
  })];
}

/** The dashboard files a stack with these profiles gets, without building them. */
export function dashboardFiles(ids: readonly string[], registry: Registry = PROFILES): string[] {
  return sources(ids, registry).map((s) => s.file);
}

export async function dashboardsFor(ids: readonly string[], registry: Registry = PROFILES): Promise<DashboardFile[]> {
  return Promise.all(sources(ids, registry).map(async ({ file, build }) => ({ file, dashboard: await build() })));
}

/** A dashboard as the JSON text we write: two-space indent and a final newline, stable for diffs. */
export function dashboardText(d: DashboardFile): string {
  return JSON.stringify(d.dashboard, null, 2) + '\n';
}
