// node_exporter's and cAdvisor's command lines, and node_exporter's textfile that ties each node's
// datadir to the filesystem holding it. Pure: the mount point of each datadir is read at the edge
// (cli/io/host-facts.ts) and passed in.
import { escapeHelp, escapeLabelValue } from '../../core/encode/exposition.js';
import { generatedFromSpec } from '../../core/generated.js';
import type { HostFacts, RenderedFile } from './types.js';
import { stackPathFor, type RunPaths } from './addressing.js';
import { DATADIR_INFO, DATADIR_INFO_HELP } from '../services/host-metrics.js';
import { nodeDatadirs } from './stack-profiles.js';
import type { Registry } from '../../profiles/registry.js';
import { CORE_SERVICES } from '../services/table.js';
import type { StackSpec } from '../spec/types.js';

/**
 * The collectors a node operator needs, and only those (--collector.disable-defaults): free space
 * and I/O of the disks the chain lives on, memory (a reindex runs it out), CPU and load, network,
 * the clock and its NTP state (cross-node timings depend on it), pressure stall information,
 * uname for the host's name, and textfile for the stack's datadir info series (below). Each is
 * `--collector.<name>` (prometheus/node_exporter@v1.12.1: collector/collector.go
 * registerCollector), in the pinned release and in Debian's 1.5.0 alike.
 */
export const NODE_EXPORTER_COLLECTORS = ['cpu', 'diskstats', 'filesystem', 'loadavg', 'meminfo', 'netdev', 'pressure', 'textfile', 'time', 'timex', 'uname'] as const;

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
    // Its *.prom files are read at every scrape: a regenerated file needs no restart (prometheus/
    // node_exporter@v1.12.1: collector/textfile.go; one folder, which 1.5.0's single-valued flag takes too).
    `--collector.textfile.directory=${stackPathFor('node-exporter', TEXTFILE_DIR, at.placement)}`,
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


/** node_exporter's textfile folder in the stack folder, mounted into its container (cli/services/table.ts). */
export const TEXTFILE_DIR = 'node-exporter/textfile';
export const DATADIR_TEXTFILE_PATH = `${TEXTFILE_DIR}/datadirs.prom`;

/**
 * The textfile of one info series per datadir, `fibre_stack_datadir_filesystem_info{profile,
 * node, datadir, mountpoint} 1`, which the disk alert (cli/services/host-rules.ts) joins with
 * node_filesystem_* on `mountpoint`. node_exporter serves it beside the filesystems, so it goes
 * wherever they go: a fleet node's agent, which evaluates no rules, ships both to its hub under
 * the node's own labels. The mount point is the host's, which is also what node_exporter reports
 * in its container (it reads the host's mount table). `mounts` maps each datadir to its mount
 * point; a datadir without one is left out, and a stack without one still gets the file.
 */
export function renderDatadirTextfile(datadirs: readonly NodeDatadir[], mounts: Readonly<Record<string, string>>): RenderedFile {
  const samples = datadirs.flatMap((d) => {
    const mountpoint = mounts[d.datadir];
    if (mountpoint === undefined) return [];
    const labels = Object.entries({ profile: d.profile, node: d.node, datadir: d.datadir, mountpoint }).map(([k, v]) => `${k}="${escapeLabelValue(v)}"`);
    return [`${DATADIR_INFO}{${labels.join(',')}} 1`];
  });
  const content = [
    generatedFromSpec('#'),
    `# HELP ${DATADIR_INFO} ${escapeHelp(DATADIR_INFO_HELP)}`,
    `# TYPE ${DATADIR_INFO} gauge`,
    ...samples,
  ].join('\n') + '\n';
  return { path: DATADIR_TEXTFILE_PATH, content };
}

/** node_exporter's files: the datadir textfile, with this host's mount points read at the edge. */
export function nodeExporterFiles(spec: StackSpec, registry: Registry, host: HostFacts): RenderedFile[] {
  return [renderDatadirTextfile(nodeDatadirs(spec, registry), host.datadirMounts ?? {})];
}
