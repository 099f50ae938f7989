// A fleet node (fleet.role node): what differs from a standalone stack. Prometheus runs in agent
// mode (it scrapes as before, keeps a write-ahead log on disk and ships every sample by
// remote_write; no rules, no alerting, no local queries), and the log agent pushes to the hub's
// Loki. Both write through the hub's vmauth with the node's bearer token, read from a file.
//
// Why Prometheus in agent mode and not vmagent: it is the Prometheus the stack already runs and
// pins (one binary, one config format, the same scrape jobs), its WAL survives a hub outage and is
// replayed in order when the hub returns, and its remote_write is what every engine (Mimir,
// VictoriaMetrics, Thanos Receive, Grafana Cloud) takes.
import type { FleetNodeSpec, StackSpec } from '../spec/types.js';
import { byPlacement, placementOf, type Placement } from './addressing.js';

/** Where a node's services find the fleet files (token, CA) inside their containers. */
export const FLEET_CONTAINER_DIR = '/etc/fibre-stack/fleet';

/** The node's fleet section, or undefined on any other stack. */
export function fleetNode(spec: StackSpec): FleetNodeSpec | undefined {
  return spec.fleet?.role === 'node' ? spec.fleet : undefined;
}

/**
 * A fleet file (token, CA) as a program reads it. Natively the services run in the stack folder,
 * and Prometheus resolves a relative *_file against its config file's folder
 * (prometheus/common config/http_config.go SetDirectory, called by config.LoadFile:
 * prometheus/prometheus@v3.14.0:config/config.go), so it needs `../`; Alloy and Promtail resolve
 * against their working directory (Promtail never calls SetDirectory:
 * grafana/loki@v3.6.11:clients/pkg/promtail/config/). In containers the stack's fleet/ folder is
 * mounted at FLEET_CONTAINER_DIR (an absolute path outside the stack is mounted as itself).
 */
export function fleetFileFor(file: string, reader: 'prometheus' | 'log-agent', placement: Placement): string {
  if (file.startsWith('/')) return file;
  return byPlacement(placement, {
    host: reader === 'prometheus' ? `../${file}` : file,
    containers: `${FLEET_CONTAINER_DIR}/${file.replace(/^fleet\//, '')}`,
  });
}

/** The folders a node's Prometheus and log agent containers mount for the fleet files: stack path -> container path. */
export function fleetMounts(spec: StackSpec): { source: string; target: string }[] {
  const node = fleetNode(spec);
  if (!node) return [];
  const files = [node.token_file, node.ca_file].filter(Boolean);
  const mounts = new Map<string, string>();
  for (const f of files) {
    if (f.startsWith('/')) mounts.set(f, f);
    else if (f.startsWith('fleet/')) mounts.set('./fleet', FLEET_CONTAINER_DIR);
    else mounts.set(`./${f}`, `${FLEET_CONTAINER_DIR}/${f}`);
  }
  return [...mounts].map(([source, target]) => ({ source, target }));
}

/** Client TLS for the hub: its CA when the node has one and the URL is https. */
function tlsConfig(node: FleetNodeSpec, reader: 'prometheus' | 'log-agent', placement: Placement) {
  return node.hub_url.startsWith('https:') && node.ca_file ? { ca_file: fleetFileFor(node.ca_file, reader, placement) } : undefined;
}

/**
 * The node's remote_write entry. `authorization.credentials_file` and `tls_config.ca_file` are
 * prometheus/common's HTTPClientConfig (v0.39.0 in Prometheus 2.42, v0.70.1 in v3.14.0, both in
 * config/http_config.go). external_labels are added only to series that lack them
 * (prometheus/prometheus@v3.14.0:storage/remote/queue_manager.go processExternalLabels), so the
 * `node` label our exporters serve is never touched; the write relabelling sets `host` on every
 * series, so a program that serves a `host` label of its own (Alloy's loki_write_* metrics name the
 * Loki host in it) cannot make a series pass for another machine's. With VictoriaMetrics the hub
 * pins `host` again from the token (vmauth extra_label), whatever a node sends.
 */
export function remoteWrite(spec: StackSpec, node: FleetNodeSpec) {
  const placement = placementOf(spec);
  const tls = tlsConfig(node, 'prometheus', placement);
  return [
    {
      url: `${node.hub_url}/api/v1/write`,
      name: 'hub',
      authorization: { type: 'Bearer', credentials_file: fleetFileFor(node.token_file, 'prometheus', placement) },
      ...(tls ? { tls_config: tls } : {}),
      write_relabel_configs: [{ target_label: 'host', replacement: node.host, action: 'replace' }],
      // Retry for as long as the WAL holds the samples (agent mode keeps them until sent or truncated).
      queue_config: { max_backoff: '30s' },
    },
  ];
}

/** The node's external labels: its identity on every series it ships. */
export function nodeExternalLabels(node: FleetNodeSpec): Record<string, string> {
  return { host: node.host, site: node.site };
}

/** Where the log agent pushes, and how it proves who it is. */
export function nodeLogPush(spec: StackSpec, node: FleetNodeSpec): { url: string; tokenFile: string; caFile?: string; labels: Record<string, string> } {
  const placement = placementOf(spec);
  const tls = tlsConfig(node, 'log-agent', placement);
  return {
    url: `${node.hub_url}/loki/api/v1/push`,
    tokenFile: fleetFileFor(node.token_file, 'log-agent', placement),
    ...(tls ? { caFile: tls.ca_file } : {}),
    labels: nodeExternalLabels(node),
  };
}

/**
 * Agent mode's flag follows the Prometheus version: `--agent` from v3.0.0
 * (prometheus/prometheus@v3.14.0:cmd/prometheus/main.go `a.Flag("agent", ...)`), before that the
 * feature flag `--enable-feature=agent` (prometheus/prometheus@v2.42.0:cmd/prometheus/main.go
 * `case "agent":`). The pinned image is v3; the native runner swaps it for an older binary it finds.
 */
export function agentModeFlag(version: string): string {
  const major = Number(version.replace(/^v/, '').split('.')[0]);
  return Number.isFinite(major) && major < 3 ? '--enable-feature=agent' : '--agent';
}

/** The agent's flags: no TSDB or retention flags, which agent mode refuses (serverOnlyFlag in main.go at both tags). */
export function agentFlags(paths: { config: string; data: string; listen: string }): string[] {
  return [
    `--config.file=${paths.config}`,
    // agentOnlyFlag "storage.agent.path" (main.go, v2.42.0 L338 and v3.14.0 L546): where the WAL
    // lives, made if missing (tsdb/agent/db.go Open, MkdirAll). A folder of its own inside the
    // Prometheus data folder: a standalone stack turned node keeps its TSDB blocks beside it,
    // untouched, for `vmctl prometheus` to import into the hub (docs/fleet.md).
    `--storage.agent.path=${paths.data}/agent`,
    `--web.listen-address=${paths.listen}`,
    '--web.enable-lifecycle',
    '--agent',
  ];
}
