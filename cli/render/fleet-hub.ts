// A fleet hub (fleet.role hub): the engine that keeps every node's metrics, the rules evaluated
// against it, and vmauth, the one door nodes write through.
//
// Every flag and key emitted for VictoriaMetrics, vmalert and vmauth exists both at the pin
// (v1.150.0) and in Debian bookworm's 1.79.5, which the tests run:
// - victoria-metrics: -storageDataPath (app/vmstorage/main.go), -retentionPeriod (v1.79.5
//   lib/flagutil/duration.go: suffixes h, d, w, y, a bare number is months, `m` refused; v1.150.0
//   app/vmstorage/main.go NewRetentionDuration, at least 24h), -httpListenAddr
//   (app/victoria-metrics/main.go), -promscrape.config (lib/promscrape/scraper.go).
// - vmalert (app/vmalert/main.go, datasource/init.go, notifier/init.go, remotewrite/init.go,
//   remoteread/init.go at both tags): -rule (repeatable), -datasource.url, -notifier.url,
//   -remoteWrite.url, -remoteRead.url, -evaluationInterval, -httpListenAddr.
// - vmauth (app/vmauth/auth_config.go at both tags): users[].name, bearer_token, url_map[].src_paths
//   and url_prefix; %{ENV} placeholders (lib/envtemplate). -auth.config, -httpListenAddr;
//   -tls, -tlsCertFile, -tlsKeyFile (lib/httpserver/httpserver.go).
//   drop_src_path_prefix_parts exists at v1.150.0 only (not at v1.79.5): it is emitted only for
//   the mimir and external engines, whose hubs cannot be tested here; the docs say so.
import type { FleetHubSpec, StackSpec } from '../spec/types.js';
import { dumpYaml } from '../../core/encode/yaml.js';
import { generatedFromSpec } from '../../core/generated.js';
import { fleetRuleFile, ruleFilesFor } from '../artifacts/rules.js';
import { fleetTokenVar } from '../spec/fleet.js';
import type { Registry } from '../../profiles/registry.js';
import type { Arg, RenderedFile } from './types.js';
import { placementOf, serviceAddress, stackPathFor, type FiledPaths, type RunPaths } from './addressing.js';
import { enabledProfiles } from './stack-profiles.js';
import { enabledServices } from '../services/table.js';

/** The hub's fleet section, or undefined on any other stack. */
export function fleetHub(spec: StackSpec): FleetHubSpec | undefined {
  return spec.fleet?.role === 'hub' ? spec.fleet : undefined;
}

/** Where `create` keeps a generated CA and the hub's certificate, and the tokens to hand to nodes. */
export const FLEET_TLS = { dir: 'fleet/tls', ca: 'fleet/tls/ca.crt', caKey: 'fleet/ca/ca.key', cert: 'fleet/tls/hub.crt', key: 'fleet/tls/hub.key' } as const;
export const nodeTokenFile = (host: string) => `fleet/nodes/${host}.token`;

/**
 * VictoriaMetrics' retention from the spec's Prometheus duration: whole hours, at least 24h.
 * Hours are the one unit both tags read the same way (a bare number is months, `m` is refused).
 */
export function vmRetention(duration: string): string {
  const unit: Record<string, number> = { ms: 1 / 3_600_000, s: 1 / 3600, m: 1 / 60, h: 1, d: 24, w: 168, y: 8760 };
  let hours = 0;
  for (const [, n, u] of duration.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) hours += Number(n) * unit[u];
  return `${Math.max(24, Math.ceil(hours))}h`;
}

/** The hub's metrics query API as Grafana and the rules see it (Prometheus-compatible). */
export function hubQueryUrl(spec: StackSpec, hub: FleetHubSpec): string {
  switch (hub.engine) {
    case 'victoriametrics':
      return `http://${serviceAddress(spec, 'victoria-metrics')}`;
    case 'mimir':
      // Mimir serves the Prometheus API under its prometheus_http_prefix, default /prometheus
      // (grafana/mimir@mimir-3.0.2:pkg/api/api.go).
      return `http://${serviceAddress(spec, 'mimir')}/prometheus`;
    case 'external':
      return hub.external.query_url;
  }
}

/** The scrape jobs of the hub's own services, which VictoriaMetrics scrapes itself (no Prometheus runs on a hub). */
function hubSelfJobs(spec: StackSpec) {
  return enabledServices(spec).map((s) => ({ job_name: s, targets: [{ targets: [serviceAddress(spec, s)], labels: {} }] }));
}

/**
 * VictoriaMetrics' own scrape config. Static targets: the hub's services are fixed by its spec, and
 * VictoriaMetrics' file_sd_configs has no refresh_interval (its strict parsing refuses the key at
 * v1.79.5: "field refresh_interval not found in type promscrape.FileSDConfig"), so the
 * Prometheus-style file_sd jobs would not load.
 */
export function renderVictoriaMetrics(spec: StackSpec): RenderedFile[] {
  const config = {
    global: { scrape_interval: '15s' },
    scrape_configs: hubSelfJobs(spec).map((job) => ({ job_name: job.job_name, ...(job.job_name === 'vmauth' ? vmauthScrapeTls(spec) : {}), static_configs: job.targets })),
  };
  return [{ path: 'victoria-metrics/scrape.yml', content: dumpYaml(config, generatedFromSpec('#')) }];
}

/**
 * vmauth with TLS answers /metrics only over TLS. With the generated CA, VictoriaMetrics checks its
 * certificate against that CA (ca_file resolved against the scrape config's folder: fs.GetFilepath
 * with the config's folder as base, lib/promscrape/config.go and lib/promauth/config.go at v1.79.5
 * and v1.150.0) for the certificate's first name (server_name), as the address it scrapes (the
 * compose name vmauth) is not among them. With the user's certificate it uses the system's CAs.
 */
function vmauthScrapeTls(spec: StackSpec): Record<string, unknown> {
  const hub = fleetHub(spec)!;
  switch (hub.tls.mode) {
    case 'off':
      return {};
    case 'files':
      return { scheme: 'https' };
    case 'generate': {
      const ca = placementOf(spec) === 'host' ? `../${FLEET_TLS.ca}` : `tls/${FLEET_TLS.ca.slice(FLEET_TLS.dir.length + 1)}`;
      return { scheme: 'https', tls_config: { ca_file: ca, server_name: hub.tls.names[0] } };
    }
  }
}

/** The CA a client on this machine checks the hub's vmauth against, when the hub made one. */
export function hubReadyCa(spec: StackSpec): string | undefined {
  return fleetHub(spec)?.tls.mode === 'generate' ? FLEET_TLS.ca : undefined;
}

export function victoriaMetricsArgs(spec: StackSpec, at: FiledPaths): Arg[] {
  return [`-storageDataPath=${at.data}`, `-retentionPeriod=${vmRetention(spec.retention.metrics)}`, `-httpListenAddr=${at.listen}`, `-promscrape.config=${at.config}`];
}

/** The rule files vmalert evaluates: the stack's, each profile's, and the fleet's (nodes gone silent). */
export function hubRuleFiles(spec: StackSpec, profiles: Registry) {
  return [...ruleFilesFor(enabledProfiles(spec, profiles).map(({ def }) => def.id), profiles), fleetRuleFile()];
}

export function renderVmalert(spec: StackSpec, profiles: Registry): RenderedFile[] {
  return hubRuleFiles(spec, profiles).map((r) => ({ path: `vmalert/rules/${r.file}`, content: r.content }));
}

/**
 * vmalert against the engine's query API. With VictoriaMetrics alert state is written back as
 * ALERTS/ALERTS_FOR_STATE series and read on restart, so a restarted vmalert does not start every
 * `for` again; an external engine is only read (its write path is the nodes').
 */
export function vmalertArgs(spec: StackSpec, at: RunPaths, profiles: Registry): Arg[] {
  const hub = fleetHub(spec)!;
  const query = hubQueryUrl(spec, hub);
  const placement = at.placement;
  return [
    ...hubRuleFiles(spec, profiles).map((r) => `-rule=${stackPathFor('vmalert', `vmalert/rules/${r.file}`, placement)}`),
    `-datasource.url=${query}`,
    `-notifier.url=http://${serviceAddress(spec, 'alertmanager')}`,
    ...(hub.engine === 'victoriametrics' ? [`-remoteWrite.url=${query}`, `-remoteRead.url=${query}`] : []),
    '-evaluationInterval=15s',
    `-httpListenAddr=${at.listen}`,
  ];
}

/**
 * Where vmauth sends a node's metrics. With VictoriaMetrics the node's name rides along as
 * `extra_label=host=<node>`: vmauth keeps a url_prefix's query args over the request's
 * (app/vmauth/target_url.go mergeURLs, v1.79.5 and v1.150.0) and VictoriaMetrics adds extra labels
 * after the sent ones, the last of two equal names winning (lib/storage/metric_name.go), so a node
 * cannot write as another whatever labels it sends. Mimir and external engines have no such
 * argument: Mimir separates writers only by tenant (X-Scope-OrgID), which does not pin a label.
 */
function metricsRoute(spec: StackSpec, hub: FleetHubSpec, host: string): Record<string, unknown> {
  switch (hub.engine) {
    case 'victoriametrics':
      return { src_paths: ['/api/v1/write'], url_prefix: `http://${serviceAddress(spec, 'victoria-metrics')}?extra_label=host=${host}` };
    case 'mimir':
      // Mimir takes remote write at /api/v1/push (grafana/mimir@mimir-3.0.2:pkg/api/api.go); the
      // node's /api/v1/write is dropped from the path.
      return { src_paths: ['/api/v1/write'], url_prefix: `http://${serviceAddress(spec, 'mimir')}/api/v1/push`, drop_src_path_prefix_parts: 3 };
    case 'external':
      return { src_paths: ['/api/v1/write'], url_prefix: hub.external.remote_write_url, drop_src_path_prefix_parts: 3 };
  }
}

/**
 * auth.yml: one user per node, its token read from the environment (%{VAR}, filled from the hub's
 * .env), never written here. Logs go to the hub's Loki; Loki has no label pinning, so a node's log
 * lines carry the `host` its agent sets.
 */
export function renderVmauth(spec: StackSpec): RenderedFile[] {
  const hub = fleetHub(spec)!;
  const config = {
    users: hub.nodes.map((host) => ({
      name: host,
      bearer_token: `%{${fleetTokenVar(host)}}`,
      url_map: [metricsRoute(spec, hub, host), { src_paths: ['/loki/api/v1/push'], url_prefix: `http://${serviceAddress(spec, 'loki')}` }],
    })),
  };
  return [
    { path: 'vmauth/auth.yml', content: dumpYaml(config, generatedFromSpec('#')) },
    {
      path: `${FLEET_TLS.dir}/README.txt`,
      content:
        'TLS files of the hub. With fleet.tls.mode generate, `fibre-stack create` made ca.crt (give it to every node as fleet/ca.crt)\n' +
        'and hub.crt/hub.key (vmauth serves them), signed by the key in ../ca/ca.key (private; `fibre-stack generate` uses it for a new hub.crt).\n',
    },
  ];
}

/** The certificate and key vmauth serves, as it reads them. */
function tlsFiles(hub: FleetHubSpec, placement: ReturnType<typeof placementOf>): { cert: string; key: string } | undefined {
  // Natively vmauth runs in the stack folder, so a relative path is read there.
  const inStack = (file: string) => (file.startsWith('/') ? file : stackPathFor('vmauth', file, placement));
  switch (hub.tls.mode) {
    case 'off':
      return undefined;
    case 'generate':
      return { cert: inStack(FLEET_TLS.cert), key: inStack(FLEET_TLS.key) };
    case 'files':
      return { cert: inStack(hub.tls.cert_file), key: inStack(hub.tls.key_file) };
  }
}

export function vmauthArgs(spec: StackSpec, at: FiledPaths): Arg[] {
  const hub = fleetHub(spec)!;
  const tls = tlsFiles(hub, at.placement);
  return [`-auth.config=${at.config}`, `-httpListenAddr=${at.listen}`, ...(tls ? ['-tls', `-tlsCertFile=${tls.cert}`, `-tlsKeyFile=${tls.key}`] : [])];
}

/** The variables vmauth reads its nodes' tokens from. */
export function vmauthDotenv(spec: StackSpec): string[] {
  return (fleetHub(spec)?.nodes ?? []).map(fleetTokenVar);
}

/** The user's certificate and key outside the stack folder (tls.mode files, absolute paths), mounted as themselves. */
export function vmauthTlsMounts(spec: StackSpec): { source: string; target: string }[] {
  const hub = fleetHub(spec);
  if (hub?.tls.mode !== 'files') return [];
  return [hub.tls.cert_file, hub.tls.key_file].filter((f) => f.startsWith('/')).map((f) => ({ source: f, target: f }));
}
