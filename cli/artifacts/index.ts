// What this repository checks in under dashboards/ and rules/: every profile's files, which
// `fibre-stack dashboards` writes and `--check` compares.
import { PROFILE_IDS } from '../spec/types.js';
import { dashboardsFor, dashboardText } from './dashboards.js';
import { ruleFilesFor } from './rules.js';

export function checkedInArtifacts(): { path: string; content: string }[] {
  return [
    ...dashboardsFor(PROFILE_IDS).map((d) => ({ path: `dashboards/${d.file}`, content: dashboardText(d) })),
    ...ruleFilesFor(PROFILE_IDS).map((r) => ({ path: `rules/${r.file}`, content: r.content })),
  ];
}
