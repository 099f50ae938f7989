// A hub on Grafana Mimir (fleet.engine mimir): one process with every component (-target=all, the
// default), blocks on the local filesystem, its ruler loading our rule files and sending to the
// hub's Alertmanager. Mimir cannot run here: every key below was read in
// grafana/mimir@mimir-3.0.2:cmd/mimir/config-descriptor.json and is listed, with its flag, in
// test/fixtures/mimir-config-keys.json, which test/fleet-render.test.ts checks the rendered file
// against.
//
// Base: the monolithic filesystem config of Mimir's "Get started"
// (grafana/mimir@mimir-3.0.2:docs/sources/mimir/get-started/_index.md), whose rings gossip over
// memberlist; here memberlist binds loopback only, so the hub's one Mimir process talks to itself
// and nothing outside can join its rings.
//
// gRPC listens on loopback too, so every address a component advertises to the others must be
// loopback: the querier dials store-gateways and the ruler dials rulers at their ring address
// (pkg/querier/blocks_store_replicated_set.go, pkg/ruler/ruler.go), and returns query results to
// the query-frontend's advertised address (pkg/frontend/v2/frontend.go); left unset, each is the
// host's first private interface address (pkg/util/ring_config.go, pkg/storegateway/gateway_ring.go),
// where nothing listens. The query-scheduler needs none: in one process the frontend and the
// querier find it on 127.0.0.1 (pkg/mimir/modules.go).
//
// Tenants: with multitenancy_enabled false every write lands in the tenant `anonymous`
// (no_auth_tenant's default); Mimir can separate writers only by tenant
// (X-Scope-OrgID from a proxy), never pin a label such as `host`, so a node's token does not pin its
// host here as it does with VictoriaMetrics. vmauth in front still refuses writes without a token.
import type { StackSpec } from '../spec/types.js';
import { dumpYaml } from '../../core/encode/yaml.js';
import { generatedFromSpec } from '../../core/generated.js';
import type { Registry } from '../../profiles/registry.js';
import type { Arg, RenderedFile } from './types.js';
import { filed, listenOn, placementOf, runPaths, serviceAddress, stackPathFor, type FiledPaths } from './addressing.js';
import { hubRuleFiles, vmRetention } from './fleet-hub.js';

/** The tenant every write lands in with multitenancy off: the ruler reads <rules dir>/<tenant>/. */
export const MIMIR_TENANT = 'anonymous';

export function mimirConfig(spec: StackSpec): Record<string, unknown> {
  const placement = placementOf(spec);
  const listen = listenOn(spec, 'mimir', placement);
  const data = filed(runPaths(spec, 'mimir', placement)).data;
  const loopback = '127.0.0.1';
  const ring = { instance_addr: loopback, kvstore: { store: 'memberlist' } };
  return {
    multitenancy_enabled: false,
    server: { http_listen_address: listen.host, http_listen_port: listen.port, grpc_listen_address: loopback, grpc_listen_port: 9095, log_level: 'warn' },
    blocks_storage: {
      backend: 'filesystem',
      bucket_store: { sync_dir: `${data}/tsdb-sync` },
      filesystem: { dir: `${data}/blocks` },
      tsdb: { dir: `${data}/tsdb` },
    },
    compactor: { data_dir: `${data}/compactor`, sharding_ring: ring },
    distributor: { ring },
    ingester: { ring: { ...ring, replication_factor: 1 } },
    store_gateway: { sharding_ring: { instance_addr: loopback, replication_factor: 1 } },
    frontend: { address: loopback },
    ruler: { rule_path: `${data}/ruler`, ring: { instance_addr: loopback } },
    // `local`: read-only rule files in <directory>/<tenant>/, in Prometheus' format
    // (pkg/ruler/rulestore/local/local.go).
    ruler_storage: { backend: 'local', local: { directory: stackPathFor('mimir', 'mimir/rules', placement) } },
    limits: {
      compactor_blocks_retention_period: vmRetention(spec.retention.metrics),
      // The ruler's Alertmanager, here and not as ruler.alertmanager_url: that key is deprecated
      // since 2.17, kept only through 3.0 (pkg/mimir/modules.go initRuntimeConfig).
      ruler_alertmanager_client_config: { alertmanager_url: `http://${serviceAddress(spec, 'alertmanager')}` },
    },
    usage_stats: { enabled: false },
    memberlist: { bind_addr: ['127.0.0.1'] },
  };
}

export function renderMimir(spec: StackSpec, profiles: Registry): RenderedFile[] {
  return [
    { path: 'mimir/mimir.yml', content: dumpYaml(mimirConfig(spec), generatedFromSpec('#')) },
    ...hubRuleFiles(spec, profiles).map((r) => ({ path: `mimir/rules/${MIMIR_TENANT}/${r.file}`, content: r.content })),
  ];
}

/** -config.file and -target: the only flags, everything else is in the file. */
export function mimirArgs(_spec: StackSpec, at: FiledPaths): Arg[] {
  return [`-config.file=${at.config}`, '-target=all'];
}
