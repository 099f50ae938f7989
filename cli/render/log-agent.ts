// The log agent's config: Alloy (the default) or Promtail (end of life 2026-03-02, kept for those
// who ask). Both tail the same sources with the same parsing, from the profiles' log sources.
import type { StackSpec } from '../spec/types.js';

import { dumpYaml } from '../../core/encode/yaml.js';
import type { LogSource } from '../../profiles/types.js';
import type { RenderedFile, TemplateSources } from './types.js';
import { CONTAINER_PORTS, listenAddress, serviceAddress } from './addressing.js';
import { GENERATED_HEADER } from './prometheus.js';
import { enabledProfiles } from './stack-profiles.js';
import { renderTemplate } from './handlebars.js';
import { enabledServices } from '../services/table.js';

export function logSources(spec: StackSpec): LogSource[] {
  return enabledProfiles(spec).flatMap(({ def, settings }) => def.logSources(settings));
}

function lokiPushUrl(spec: StackSpec): string {
  return `http://${serviceAddress(spec, 'loki')}/loki/api/v1/push`;
}

function renderAlloy(spec: StackSpec, templates: TemplateSources): RenderedFile {
  const sources = logSources(spec).map((s) => ({
    id: s.id,
    path: s.path,
    labels: s.labels,
    regexes: s.parsing?.regexes ?? [],
    labelFields: s.parsing?.labels ?? [],
    structuredMetadata: s.parsing?.structuredMetadata ?? [],
  }));
  return { path: 'alloy/config.alloy', content: renderTemplate(templates, 'alloy/config.alloy', { sources, lokiPushUrl: lokiPushUrl(spec) }) };
}

function renderPromtail(spec: StackSpec): RenderedFile {
  const native = spec.mode === 'native';
  const config = {
    server: {
      http_listen_address: native ? spec.bind_address : '0.0.0.0',
      http_listen_port: native ? spec.ports.promtail : CONTAINER_PORTS.promtail,
      grpc_listen_port: 0,
    },
    positions: { filename: native ? 'data/promtail/positions.yaml' : '/var/lib/promtail/positions.yaml' },
    clients: [{ url: lokiPushUrl(spec) }],
    scrape_configs: logSources(spec).map((s) => ({
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
  return { path: 'promtail/promtail.yml', content: dumpYaml(config, GENERATED_HEADER) };
}

export function renderLogAgent(spec: StackSpec, templates: TemplateSources): RenderedFile[] {
  const on = enabledServices(spec);
  if (on.includes('alloy')) return [renderAlloy(spec, templates)];
  if (on.includes('promtail')) return [renderPromtail(spec)];
  return [];
}

/** Alloy's command line: it listens on loopback unless told otherwise, which a container can't use. */
export function alloyArgs(spec: StackSpec, paths: { config: string; data: string }): string[] {
  return ['run', `--server.http.listen-addr=${listenAddress(spec, 'alloy')}`, `--storage.path=${paths.data}`, '--disable-reporting', paths.config];
}
