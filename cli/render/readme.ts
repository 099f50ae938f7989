import type { StackSpec } from '../spec/types.js';

import { GENERATED_MARK } from '../../core/generated.js';
import type { RenderedFile, TemplateSources } from './types.js';
import { addressing, byPlacement, hostPart, isWildcard, placementOf } from './addressing.js';
import { renderTemplate } from './handlebars.js';
import { exporterUnitName } from './systemd.js';
import { enabledNodes, enabledProfiles, exporterRuns } from './stack-profiles.js';
import { CORE_SERVICES, enabledServices } from '../services/table.js';
import type { Registry } from '../../profiles/registry.js';

/** The URLs a person opens, on the bind address (localhost when bound to every interface). */
export function stackUrls(spec: StackSpec): { name: string; url: string }[] {
  const host = isWildcard(spec.bind_address) ? 'localhost' : hostPart(spec.bind_address);
  return enabledServices(spec).flatMap((s) => {
    const path = CORE_SERVICES[s].uiPath;
    return path ? [{ name: s, url: `http://${host}:${spec.ports[s]}${path}` }] : [];
  });
}

export function renderReadme(spec: StackSpec, templates: TemplateSources, registry: Registry): RenderedFile[] {
  const profiles = enabledProfiles(spec, registry);
  const at = addressing(spec);
  const data = {
    generatedBy: GENERATED_MARK,
    project: spec.project,
    mode: spec.mode,
    native: byPlacement(placementOf(spec), { containers: false, host: true }),
    logAgent: spec.log_agent,
    profiles: profiles.map(({ def }) => def.id).join(', '),
    urls: stackUrls(spec),
    units: exporterRuns(spec, registry).map(exporterUnitName),
    setupNotes: enabledNodes(spec, registry).flatMap(({ def, settings }) => def.setupNotes?.(settings, at) ?? []),
  };
  return [{ path: 'README.md', content: renderTemplate(templates, 'stack/README.md', data) }];
}
