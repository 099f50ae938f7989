// The profiles a stack enables, and what they ask of it: scrape jobs and exporters.
import type { ProfileId, StackSpec } from '../spec/types.js';

import { PROFILES } from '../../profiles/registry.js';
import type { ExporterRun, ProfileDef, ScrapeJob } from '../../profiles/types.js';
import { addressing, serviceAddress } from './addressing.js';
import { enabledServices } from '../services/table.js';

/** The profiles a spec enables, in registry order, each with its settings. */
export function enabledProfiles(spec: StackSpec): { def: ProfileDef; settings: never }[] {
  return (Object.keys(PROFILES) as ProfileId[])
    .filter((id) => spec.profiles[id] !== undefined)
    .map((id) => ({ def: PROFILES[id] as ProfileDef, settings: spec.profiles[id] as never }));
}

/** The exporters the stack's profiles need, in profile order. */
export function exporterRuns(spec: StackSpec): ExporterRun[] {
  return enabledProfiles(spec).flatMap(({ def, settings }) => (def.exporter ? [def.exporter(settings)] : []));
}

/** The stack's own services scrape themselves too, for the overview dashboard and stack alerts. */
function stackJobs(spec: StackSpec): ScrapeJob[] {
  return enabledServices(spec).map((service) => ({
    job_name: service,
    targets: [{ targets: [serviceAddress(spec, service)], labels: {} }],
  }));
}

export function scrapeJobs(spec: StackSpec): ScrapeJob[] {
  const at = addressing(spec);
  return [...stackJobs(spec), ...enabledProfiles(spec).flatMap(({ def, settings }) => def.scrapeJobs(settings, at))];
}
