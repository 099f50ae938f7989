// What this repository checks in under dashboards/, rules/ and docs/: every profile's dashboard
// and rule file and the runbooks, which `fibre-stack dashboards` writes and `--check` compares.
import { PROFILES, type Registry } from '../../profiles/registry.js';
import { dashboardsFor, dashboardText } from './dashboards.js';
import { allRuleFiles } from './rules.js';
import { RUNBOOKS_PATH, runbooksText } from './runbooks.js';

export async function checkedInArtifacts(registry: Registry = PROFILES): Promise<{ path: string; content: string }[]> {
  return [
    ...(await dashboardsFor(registry.ids, registry)).map((d) => ({ path: `dashboards/${d.file}`, content: dashboardText(d) })),
    ...allRuleFiles(registry).map((r) => ({ path: `rules/${r.file}`, content: r.content })),
    { path: RUNBOOKS_PATH, content: runbooksText(registry) },
  ];
}
