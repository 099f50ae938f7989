// Loki as a single binary with filesystem storage and retention enforced by the compactor.
// Every key below exists in grafana/loki@v3.7.6 (and v3.7.2): server in vendor/github.com/grafana/dskit/server/server.go,
// common in pkg/loki/common/common.go, schema_config in pkg/storage/config/schema_config.go,
// limits_config in pkg/validation/limits.go, compactor in pkg/compactor/config.go (retention needs
// delete_request_store), analytics in pkg/analytics/reporter.go.
import type { StackSpec } from '../spec/types.js';

import { dumpYaml } from '../../core/encode/yaml.js';
import { generatedFromSpec } from '../../core/generated.js';
import type { RenderedFile } from './types.js';
import { filed, listenOn, runPaths } from './addressing.js';

export function renderLoki(spec: StackSpec): RenderedFile[] {
  const dataDir = filed(runPaths(spec, 'loki')).data;
  const listen = listenOn(spec, 'loki');
  const config = {
    auth_enabled: false,
    server: {
      http_listen_address: listen.host,
      http_listen_port: listen.port,
      // gRPC is only for Loki's own components; a single binary keeps it on loopback.
      grpc_listen_address: '127.0.0.1',
      grpc_listen_port: 9096,
      log_level: 'info',
    },
    common: {
      instance_addr: '127.0.0.1',
      path_prefix: dataDir,
      storage: { filesystem: { chunks_directory: `${dataDir}/chunks`, rules_directory: `${dataDir}/rules` } },
      replication_factor: 1,
      ring: { kvstore: { store: 'inmemory' } },
    },
    schema_config: {
      configs: [{ from: '2024-01-01', store: 'tsdb', object_store: 'filesystem', schema: 'v13', index: { prefix: 'index_', period: '24h' } }],
    },
    limits_config: {
      retention_period: spec.retention.logs,
      // The FIBRE race fields travel as structured metadata, not labels, to keep cardinality low.
      allow_structured_metadata: true,
      volume_enabled: true,
    },
    compactor: {
      working_directory: `${dataDir}/compactor`,
      retention_enabled: true,
      delete_request_store: 'filesystem',
    },
    analytics: { reporting_enabled: false },
  };
  return [{ path: 'loki/loki.yml', content: dumpYaml(config, generatedFromSpec('#')) }];
}
