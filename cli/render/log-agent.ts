// The log agents' configs: Alloy (the default) or Promtail (end of life 2026-03-02, kept for those
// who ask). Both tail the same sources with the same parsing, from the profiles' log sources.
import type { StackSpec } from '../spec/types.js';

import { dumpYaml } from '../../core/encode/yaml.js';
import { generatedFromSpec } from '../../core/generated.js';
import type { LogSource } from '../../profiles/types.js';
import type { Registry } from '../../profiles/registry.js';
import type { RenderedFile, TemplateSources } from './types.js';
import { listenOn, runPaths, serviceAddress } from './addressing.js';
import { enabledNodes } from './stack-profiles.js';
import { renderTemplate } from './handlebars.js';
import { fleetNode, nodeLogPush } from './fleet-node.js';

/**
 * The files the agent tails, each once: fibre and bitcoin-core watching one bitcoind both name its
 * debug.log, and two sources of one file would ship every line twice (two Alloy components), or,
 * in Promtail, make two jobs share the file's one position entry (positions are keyed by path:
 * grafana/loki@v3.6.11:clients/pkg/promtail/positions/positions.go), so that lines are skipped or
 * sent again after a restart. The first profile's source (registry order) is kept. A profile
 * names its sources for one node; a node after its first has `_2`, `_3`, ... after their ids, so
 * that a one-node stack keeps the component and job names it had.
 */
export function logSources(spec: StackSpec, profiles: Registry): LogSource[] {
  const byPath = new Map<string, LogSource>();
  for (const { def, settings, index } of enabledNodes(spec, profiles)) {
    for (const source of def.logSources(settings)) {
      if (!byPath.has(source.path)) byPath.set(source.path, index === 0 ? source : { ...source, id: `${source.id}_${index + 1}` });
    }
  }
  return [...byPath.values()];
}

/** Where the agent pushes: the stack's Loki, or on a fleet node the hub's, with the node's token (and CA). */
function lokiPush(spec: StackSpec): LokiPush {
  const node = fleetNode(spec);
  return node ? nodeLogPush(spec, node) : { url: `http://${serviceAddress(spec, 'loki')}/loki/api/v1/push` };
}

type LokiPush = ReturnType<typeof nodeLogPush> | { url: string; tokenFile?: undefined; caFile?: undefined; labels?: undefined };

/**
 * config.alloy. The components and their arguments are those of grafana/alloy at v1.11.3 and
 * v1.18.1 (the same at both): internal/component/local/file_match/file.go,
 * internal/component/loki/source/file/file.go (`tail_from_end`, optional: with no stored position
 * the tailer starts at the end, v1.18.1 tailer.go 106-150, v1.11.3 tailer.go 206-207),
 * internal/component/loki/process/stages/{regex,labels,structured_metadata}.go (an empty value
 * takes the field of the same name), timestamp.go (`source`, `format`; v1.11.3 47-51, v1.18.1
 * 55-60; format name `RFC3339` in util.go 63 / 58), drop.go (`older_than`, a duration: v1.11.3
 * 39, v1.18.1 37), internal/component/loki/write/write.go.
 */
export function renderAlloy(spec: StackSpec, templates: TemplateSources, profiles: Registry): RenderedFile[] {
  const sources = logSources(spec, profiles).map((s) => ({
    id: s.id,
    path: s.path,
    labels: s.labels,
    tailFromEnd: s.firstRead === 'end',
    regexes: s.parsing?.regexes ?? [],
    labelFields: s.parsing?.labels ?? [],
    structuredMetadata: s.parsing?.structuredMetadata ?? [],
    timestamp: s.parsing?.timestamp,
    maxAge: s.parsing?.maxAge,
  }));
  // On a node: bearer_token_file and tls_config.ca_file of the endpoint block's HTTP client
  // (grafana/alloy@v1.18.1:internal/component/common/config/types.go, the same at v1.11.3).
  const push = lokiPush(spec);
  // external_labels of loki.write (write.go at both tags): the node's host and site on every line.
  const body = renderTemplate(templates, 'alloy/config.alloy', { sources, lokiPushUrl: push.url, tokenFile: push.tokenFile, caFile: push.caFile, externalLabels: push.labels && Object.entries(push.labels).map(([name, value]) => ({ name, value })) });
  return [{ path: 'alloy/config.alloy', content: `${generatedFromSpec('//')}\n${body}` }];
}

/**
 * promtail.yml. Keys as in grafana/loki at v3.6.0 and v3.6.11 (the same at both):
 * positions.filename in clients/pkg/promtail/positions/positions.go; the regex, labels,
 * structured_metadata, timestamp (`source`, `format`: stages/timestamp.go 42-46, `RFC3339` in
 * stages/util.go 61) and drop (`older_than`, a duration: stages/drop.go 43, 68-71) stages in
 * clients/pkg/logentry/stages/ (an empty value takes the field of the same name). A file target
 * has no way to start at the end of a file (no such key in clients/pkg/promtail/targets/file/ at
 * either tag): a first start reads the file from its start, and the drop stage bounds what it sends.
 */
export function renderPromtail(spec: StackSpec, profiles: Registry): RenderedFile[] {
  const listen = listenOn(spec, 'promtail');
  const config = {
    server: {
      http_listen_address: listen.host,
      http_listen_port: listen.port,
      grpc_listen_port: 0,
      // /ready answers 500 until a log file is tailed, so a host without the log yet would keep it
      // unready for good; false makes /ready say whether Promtail itself runs
      // (grafana/loki@v3.6.11:clients/pkg/promtail/server/server.go).
      health_check_target: false,
    },
    positions: { filename: `${runPaths(spec, 'promtail').data}/positions.yaml` },
    // On a node: prometheus/common's HTTPClientConfig inlined in the client config
    // (grafana/loki@v3.6.11:clients/pkg/promtail/client/config.go): authorization.credentials_file, tls_config.ca_file.
    clients: [promtailClient(lokiPush(spec))],
    scrape_configs: logSources(spec, profiles).map((s) => ({
      job_name: s.id,
      static_configs: [{ targets: ['localhost'], labels: { ...s.labels, __path__: s.path } }],
      pipeline_stages: [
        ...(s.parsing?.regexes ?? []).map((expression) => ({ regex: { expression } })),
        ...(s.parsing?.labels.length ? [{ labels: Object.fromEntries(s.parsing.labels.map((l) => [l, ''])) }] : []),
        ...(s.parsing?.structuredMetadata.length
          ? [{ structured_metadata: Object.fromEntries(s.parsing.structuredMetadata.map((l) => [l, ''])) }]
          : []),
        ...(s.parsing?.timestamp ? [{ timestamp: { source: s.parsing.timestamp.field, format: s.parsing.timestamp.format } }] : []),
        ...(s.parsing?.maxAge ? [{ drop: { older_than: s.parsing.maxAge, drop_counter_reason: 'older_than_max_age' } }] : []),
      ],
    })),
  };
  return [{ path: 'promtail/promtail.yml', content: dumpYaml(config, generatedFromSpec('#')) }];
}

function promtailClient(push: LokiPush) {
  return {
    url: push.url,
    // external_labels (client/config.go): the node's host and site on every line.
    ...(push.labels ? { external_labels: push.labels } : {}),
    ...(push.tokenFile ? { authorization: { type: 'Bearer', credentials_file: push.tokenFile } } : {}),
    ...(push.caFile ? { tls_config: { ca_file: push.caFile } } : {}),
  };
}

/** Alloy's command line: it listens on loopback unless told otherwise, which a container can't use. */
export function alloyArgs(paths: { config: string; data: string; listen: string }): string[] {
  return ['run', `--server.http.listen-addr=${paths.listen}`, `--storage.path=${paths.data}`, '--disable-reporting', paths.config];
}
