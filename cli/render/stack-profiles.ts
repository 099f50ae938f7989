// The profiles a stack enables, and what they ask of it: scrape jobs and exporters.
import type { StackSpec } from '../spec/types.js';

import type { Registry } from '../../profiles/registry.js';
import type { ExporterRun, ProfileDef, ScrapeJob } from '../../profiles/types.js';
import { exporterArgs } from '../exporters.js';
import { addressing, serviceAddress } from './addressing.js';
import { enabledServices } from '../services/table.js';

/** The profiles a spec enables, in registry order, each with its settings. */
export function enabledProfiles(spec: StackSpec, registry: Registry): { def: ProfileDef; settings: unknown }[] {
  const settings = spec.profiles as Record<string, unknown>;
  return registry.profiles.filter((def) => settings[def.id] !== undefined).map((def) => ({ def, settings: settings[def.id] }));
}

/** The exporters the stack's profiles need, in profile order. A fleet hub runs none: its profiles choose its rules and dashboards, its nodes run the exporters. */
export function exporterRuns(spec: StackSpec, registry: Registry): ExporterRun[] {
  if (spec.fleet?.role === 'hub') return [];
  return enabledProfiles(spec, registry).flatMap(({ def, settings }) => {
    const { exporter } = def;
    if (!exporter) return [];
    const run = exporter.invocation(settings);
    return [
      {
        service: exporter.service,
        port: run.values.port,
        args: exporterArgs(registry, { ...def, exporter }, run),
        ebpf: run.command === 'collector' && exporter.ebpf,
        hostPaths: run.hostPaths,
      },
    ];
  });
}

/** The stack's own services scrape themselves too, for the overview dashboard and stack alerts. */
function stackJobs(spec: StackSpec): ScrapeJob[] {
  return enabledServices(spec).map((service) => ({
    job_name: service,
    targets: [{ targets: [serviceAddress(spec, service)], labels: {} }],
  }));
}

export function scrapeJobs(spec: StackSpec, registry: Registry): ScrapeJob[] {
  const at = addressing(spec);
  return [...stackJobs(spec), ...enabledProfiles(spec, registry).flatMap(({ def, settings }) => def.scrapeJobs(settings, at))];
}
