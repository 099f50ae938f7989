// node_exporter's and cAdvisor's command lines, and the rule file that ties each node's datadir to
// the filesystem holding it. Pure: the mount point of each datadir is read at the edge
// (cli/io/host-facts.ts) and passed in.
import { dumpYaml } from '../../core/encode/yaml.js';
import { generatedFromSpec } from '../../core/generated.js';
import type { HostFacts, RenderedFile } from './types.js';
import type { RunPaths } from './addressing.js';
import { DATADIR_INFO } from '../services/host-metrics.js';
import { nodeDatadirs } from './stack-profiles.js';
import type { Registry } from '../../profiles/registry.js';
import { CORE_SERVICES, enabledServices } from '../services/table.js';
import type { StackSpec } from '../spec/types.js';

/**
 * The collectors a node operator needs, and only those (--collector.disable-defaults): free space
 * and I/O of the disks the chain lives on, memory (a reindex runs it out), CPU and load, network,
 * the clock and its NTP state (cross-node timings depend on it), pressure stall information, and
 * uname for the host's name. Each is `--collector.<name>` (prometheus/node_exporter@v1.12.1:
 * collector/collector.go registerCollector), in the pinned release and in Debian's 1.5.0 alike.
 */
export const NODE_EXPORTER_COLLECTORS = ['cpu', 'diskstats', 'filesystem', 'loadavg', 'meminfo', 'netdev', 'pressure', 'time', 'timex', 'uname'] as const;

/** Where node_exporter's container sees the host's root: the table's mount of `/`. */
function hostRootInContainer(): string {
  const mount = CORE_SERVICES['node-exporter'].hostAccess?.mounts.find((m) => m.host === '/');
  if (!mount) throw new Error("node-exporter's entry in cli/services/table.ts mounts no host root");
  return mount.container;
}

export function nodeExporterFlags(at: RunPaths): string[] {
  return [
    `--web.listen-address=${at.listen}`,
    // Its own go_* and process_* series: nothing a dashboard or alert of ours reads.
    '--web.disable-exporter-metrics',
    '--collector.disable-defaults',
    ...NODE_EXPORTER_COLLECTORS.map((c) => `--collector.${c}`),
    // In its container it reads the host's files under the host's root mounted there; its mount
    // points keep their host paths (collector/filesystem_linux.go strips the prefix).
    ...(at.placement === 'containers' ? [`--path.rootfs=${hostRootInContainer()}`] : []),
  ];
}

/**
 * cAdvisor's flags (google/cadvisor@v0.60.5: cmd/cadvisor.go, lib/container/raw/factory.go,
 * lib/manager/container.go): the docker containers only, labelled by name and image without
 * copying every container label and variable into labels, housekept every 10 s instead of every
 * second (the scrape interval is 15 s).
 */
export function cadvisorFlags(at: RunPaths): string[] {
  return [`-port=${at.listen.slice(at.listen.lastIndexOf(':') + 1)}`, '-docker_only=true', '-store_container_labels=false', '-housekeeping_interval=10s'];
}

type NodeDatadir = ReturnType<typeof nodeDatadirs>[number];


export const DATADIR_RULES_PATH = 'prometheus/rules/host-datadirs.yml';

/**
 * The rule file of one info series per datadir, `fibre_stack_datadir_filesystem_info{profile,
 * node, datadir, mountpoint} 1`, which the disk alert (cli/services/host-rules.ts) joins with
 * node_filesystem_* on `mountpoint`. A recording rule rather than a textfile of node_exporter's:
 * it needs no file shared with node_exporter's container, reads the same in both run modes, and
 * comes from the spec like every other rendered file. The mount point is the host's, which is
 * also what node_exporter reports in its container (it reads the host's mount table).
 * `mounts` maps each datadir to its mount point; a datadir without one is left out.
 */
export function renderDatadirRules(datadirs: readonly NodeDatadir[], mounts: Readonly<Record<string, string>>): RenderedFile {
  const rules = datadirs.flatMap((d) => {
    const mountpoint = mounts[d.datadir];
    return mountpoint === undefined ? [] : [{ record: DATADIR_INFO, expr: 'vector(1)', labels: { profile: d.profile, node: d.node, datadir: d.datadir, mountpoint } }];
  });
  // An empty group is valid Prometheus: a stack without a local datadir still gets the file.
  const content = dumpYaml({ groups: [{ name: 'host-datadirs', rules }] }, generatedFromSpec('#'));
  return { path: DATADIR_RULES_PATH, content };
}

/**
 * The datadir rule file of a stack that runs node_exporter; none for one that does not, nor for a
 * fleet node, whose agent evaluates no rules (its hub does not know the node's mount points).
 */
export function datadirRulesFor(spec: StackSpec, registry: Registry, host: HostFacts): RenderedFile[] {
  if (spec.fleet?.role === 'node' || !enabledServices(spec).includes('node-exporter')) return [];
  return [renderDatadirRules(nodeDatadirs(spec, registry), host.datadirMounts ?? {})];
}
