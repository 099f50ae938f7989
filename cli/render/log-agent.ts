// The log agents' configs: Alloy (the default) or Promtail (end of life 2026-03-02, kept for those
// who ask). Both tail the same sources with the same parsing, from the profiles' log sources.
import type { StackSpec } from '../spec/types.js';

import { dumpYaml } from '../../core/encode/yaml.js';
import { generatedFromSpec } from '../../core/generated.js';
import type { LogSource } from '../../profiles/types.js';
import type { Registry } from '../../profiles/registry.js';
import type { RenderedFile, TemplateSources } from './types.js';
import { listenOn, runPaths, serviceAddress } from './addressing.js';
import { enabledProfiles } from './stack-profiles.js';
import { renderTemplate } from './handlebars.js';

export function logSources(spec: StackSpec, profiles: Registry): LogSource[] {
  return enabledProfiles(spec, profiles).flatMap(({ def, settings }) => def.logSources(settings));
}

function lokiPushUrl(spec: StackSpec): string {
  return `http://${serviceAddress(spec, 'loki')}/loki/api/v1/push`;
}

/**
 * config.alloy. The components and their arguments are those of grafana/alloy@v1.11.3:
 * internal/component/local/file_match/file.go, internal/component/loki/source/file/file.go,
 * internal/component/loki/process/stages/{regex,labels,structured_metadata}.go (an empty value
 * takes the field of the same name), internal/component/loki/write/write.go.
 */
export function renderAlloy(spec: StackSpec, templates: TemplateSources, profiles: Registry): RenderedFile[] {
  const sources = logSources(spec, profiles).map((s) => ({
    id: s.id,
    path: s.path,
    labels: s.labels,
    regexes: s.parsing?.regexes ?? [],
    labelFields: s.parsing?.labels ?? [],
    structuredMetadata: s.parsing?.structuredMetadata ?? [],
  }));
  const body = renderTemplate(templates, 'alloy/config.alloy', { sources, lokiPushUrl: lokiPushUrl(spec) });
  return [{ path: 'alloy/config.alloy', content: `${generatedFromSpec('//')}\n${body}` }];
}

/**
 * promtail.yml. Keys as in grafana/loki@v3.6.0: positions.filename in
 * clients/pkg/promtail/positions/positions.go; the regex, labels and structured_metadata stages in
 * clients/pkg/logentry/stages/ (an empty value takes the field of the same name).
 */
export function renderPromtail(spec: StackSpec, profiles: Registry): RenderedFile[] {
  const listen = listenOn(spec, 'promtail');
  const config = {
    server: {
      http_listen_address: listen.host,
      http_listen_port: listen.port,
      grpc_listen_port: 0,
    },
    positions: { filename: `${runPaths(spec, 'promtail').data}/positions.yaml` },
    clients: [{ url: lokiPushUrl(spec) }],
    scrape_configs: logSources(spec, profiles).map((s) => ({
      job_name: s.id,
      static_configs: [{ targets: ['localhost'], labels: { ...s.labels, __path__: s.path } }],
      pipeline_stages: [
        ...(s.parsing?.regexes ?? []).map((expression) => ({ regex: { expression } })),
        ...(s.parsing?.labels.length ? [{ labels: Object.fromEntries(s.parsing.labels.map((l) => [l, ''])) }] : []),
        ...(s.parsing?.structuredMetadata.length
          ? [{ structured_metadata: Object.fromEntries(s.parsing.structuredMetadata.map((l) => [l, ''])) }]
          : []),
      ],
    })),
  };
  return [{ path: 'promtail/promtail.yml', content: dumpYaml(config, generatedFromSpec('#')) }];
}

/** Alloy's command line: it listens on loopback unless told otherwise, which a container can't use. */
export function alloyArgs(paths: { config: string; data: string; listen: string }): string[] {
  return ['run', `--server.http.listen-addr=${paths.listen}`, `--storage.path=${paths.data}`, '--disable-reporting', paths.config];
}
