// The profiles a stack enables, their nodes, and what each node asks of the stack: scrape jobs,
// exporters, data folders.
import type { StackSpec } from '../spec/types.js';

import type { Registry } from '../../profiles/registry.js';
import type { ExporterRun, ProfileDef, ScrapeJob } from '../../profiles/types.js';
import { exporterArgs } from '../exporters.js';
import { addressing, serviceAddress } from './addressing.js';
import { enabledServices } from '../services/table.js';
import { probeJobs } from './probes.js';

/** The profiles a spec enables, in registry order, each with its nodes' settings in the spec's order. */
export function enabledProfiles(spec: StackSpec, registry: Registry): { def: ProfileDef; nodes: unknown[] }[] {
  const sections = spec.profiles as Record<string, unknown[] | undefined>;
  return registry.profiles.flatMap((def) => {
    const nodes = sections[def.id];
    return nodes ? [{ def, nodes }] : [];
  });
}

/** One node of an enabled profile. */
export interface StackNode {
  def: ProfileDef;
  settings: unknown;
  /** Its place among the profile's nodes, from 0. */
  index: number;
  /** The service its exporter runs as (also for a profile without one: then unused). */
  exporterService: string;
}

/**
 * The service of a node's exporter: the profile's own name for its first node, so that a stack of
 * one node per profile keeps the names it always had, then `-2`, `-3`, ... by the node's place.
 * Node names are not used: they may hold `:` and `@`, which compose service names cannot.
 */
export function exporterServiceOf(def: ProfileDef, index: number): string {
  const base = def.exporter?.service ?? `${def.id}-exporter`;
  return index === 0 ? base : `${base}-${index + 1}`;
}

/** Every node of every enabled profile, in registry order, then the spec's. */
export function enabledNodes(spec: StackSpec, registry: Registry): StackNode[] {
  return enabledProfiles(spec, registry).flatMap(({ def, nodes }) =>
    nodes.map((settings, index) => ({ def, settings, index, exporterService: exporterServiceOf(def, index) })),
  );
}

/** The exporters the stack's nodes need, in node order. A fleet hub runs none: its profiles choose its rules and dashboards, its fleet nodes run the exporters. */
export function exporterRuns(spec: StackSpec, registry: Registry): ExporterRun[] {
  if (spec.fleet?.role === 'hub') return [];
  return enabledNodes(spec, registry).flatMap(({ def, settings, exporterService }) => {
    const { exporter } = def;
    if (!exporter) return [];
    const run = exporter.invocation(settings);
    return [
      {
        service: exporterService,
        port: run.values.port,
        args: exporterArgs(registry, { ...def, exporter }, run),
        ebpf: run.command === 'collector' && exporter.ebpf,
        hostPaths: run.hostPaths,
      },
    ];
  });
}

/** A node's data folder on this host, as its profile gives it (ProfileDef.datadir). */
export interface NodeDatadir {
  profile: string;
  /** The node's name (its `node` label); empty for a profile whose entries have none. */
  node: string;
  datadir: string;
}

/** The data folders of the stack's nodes that have one, in node order; none on a fleet hub, whose nodes run elsewhere (exporterRuns). */
export function nodeDatadirs(spec: StackSpec, registry: Registry): NodeDatadir[] {
  if (spec.fleet?.role === 'hub') return [];
  return enabledNodes(spec, registry).flatMap(({ def, settings }) => {
    const datadir = def.datadir?.(settings);
    return datadir ? [{ profile: def.id, node: def.spec.name?.(settings) ?? '', datadir }] : [];
  });
}

/** The stack's own services scrape themselves too, for the overview dashboard and stack alerts. */
function stackJobs(spec: StackSpec): ScrapeJob[] {
  return enabledServices(spec).map((service) => ({
    job_name: service,
    targets: [{ targets: [serviceAddress(spec, service)], labels: {} }],
  }));
}

/**
 * The nodes' scrape jobs, one per job name: the nodes of a profile share its job (rules and
 * dashboards select it by name), each node a target of it with its own `node` label.
 */
function nodeJobs(spec: StackSpec, registry: Registry): ScrapeJob[] {
  const at = addressing(spec);
  const byName = new Map<string, ScrapeJob>();
  for (const { def, settings, exporterService } of enabledNodes(spec, registry)) {
    for (const job of def.scrapeJobs(settings, at, exporterService)) {
      const prior = byName.get(job.job_name);
      if (prior) prior.targets.push(...job.targets);
      else byName.set(job.job_name, { ...job, targets: [...job.targets] });
    }
  }
  return [...byName.values()];
}

export function scrapeJobs(spec: StackSpec, registry: Registry): ScrapeJob[] {
  return [...stackJobs(spec), ...nodeJobs(spec, registry), ...probeJobs(spec, enabledNodes(spec, registry))];
}
