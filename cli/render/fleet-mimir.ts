// A hub on Grafana Mimir (fleet.engine mimir): one process with every component (-target=all, the
// default), blocks on the local filesystem, its ruler loading our rule files and sending to the
// hub's Alertmanager. Mimir cannot run here: every key below is in
// test/fixtures/mimir-config-keys.json with where it was read (grafana/mimir's repository is too
// large to fetch here, so at stored commits, not at the 3.1.1 tag), and test/fleet-render.test.ts
// checks the rendered file against that list.
//
// Base: the monolithic filesystem config Mimir's own "Get started" ships
// (grafana/mimir@02d3a4962d:docs/sources/mimir/get-started/_index.md, configurations/demo.yaml),
// whose rings gossip over memberlist; here memberlist binds loopback only, so the hub's one Mimir
// process talks to itself and nothing outside can join its rings.
//
// Tenants: with multitenancy_enabled false every write lands in the tenant `anonymous`
// (no_auth_tenant, cmd/mimir/config-descriptor.json); Mimir can separate writers only by tenant
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
  const ring = { instance_addr: '127.0.0.1', kvstore: { store: 'memberlist' } };
  return {
    multitenancy_enabled: false,
    server: { http_listen_address: listen.host, http_listen_port: listen.port, grpc_listen_address: '127.0.0.1', grpc_listen_port: 9095, log_level: 'warn' },
    blocks_storage: {
      backend: 'filesystem',
      bucket_store: { sync_dir: `${data}/tsdb-sync` },
      filesystem: { dir: `${data}/blocks` },
      tsdb: { dir: `${data}/tsdb` },
    },
    compactor: { data_dir: `${data}/compactor`, sharding_ring: { kvstore: { store: 'memberlist' } } },
    distributor: { ring },
    ingester: { ring: { ...ring, replication_factor: 1 } },
    store_gateway: { sharding_ring: { replication_factor: 1 } },
    ruler: { rule_path: `${data}/ruler`, alertmanager_url: `http://${serviceAddress(spec, 'alertmanager')}` },
    // `local`: read-only rule files in <directory>/<tenant>/, in Prometheus' format.
    ruler_storage: { backend: 'local', local: { directory: stackPathFor('mimir', 'mimir/rules', placement) } },
    limits: { compactor_blocks_retention_period: vmRetention(spec.retention.metrics) },
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
