import type { StackSpec } from '../spec/types.js';

import type { RenderedFile, TemplateSources } from './types.js';
import { hostPart } from './addressing.js';
import { renderTemplate } from './handlebars.js';
import { exporterUnitName } from './systemd.js';
import { enabledProfiles, exporterRuns } from './stack-profiles.js';
import { enabledServices } from '../services/table.js';

const UI_PATHS: Partial<Record<string, string>> = { grafana: '/', prometheus: '/', alertmanager: '/', loki: '/ready' };

/** The URLs a person opens, on the bind address (localhost when bound to every interface). */
export function stackUrls(spec: StackSpec): { name: string; url: string }[] {
  const host = spec.bind_address === '0.0.0.0' || spec.bind_address === '::' ? 'localhost' : hostPart(spec.bind_address);
  return enabledServices(spec)
    .filter((s) => UI_PATHS[s])
    .map((s) => ({ name: s, url: `http://${host}:${spec.ports[s]}${UI_PATHS[s]}` }));
}

export function renderReadme(spec: StackSpec, templates: TemplateSources): RenderedFile[] {
  const profiles = enabledProfiles(spec);
  const data = {
    project: spec.project,
    mode: spec.mode,
    native: spec.mode === 'native',
    logAgent: spec.log_agent,
    profiles: profiles.map(({ def }) => def.id).join(', '),
    urls: stackUrls(spec),
    units: exporterRuns(spec).map(exporterUnitName),
  };
  return [{ path: 'README.md', content: renderTemplate(templates, 'stack/README.md', data) }];
}
