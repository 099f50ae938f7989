// Hardened systemd units for running the exporters on the host instead of in containers.
import type { StackSpec } from '../spec/types.js';
import type { RenderedFile, TemplateSources } from './types.js';
import { renderTemplate } from './handlebars.js';
import { enabledProfiles } from './scrape.js';

export function exporterUnitName(profile: string): string {
  return `fibre-stack-${profile}-exporter.service`;
}

export function renderSystemdUnits(spec: StackSpec, templates: TemplateSources): RenderedFile[] {
  return enabledProfiles(spec).flatMap(({ def, settings }) => {
    const run = def.exporter?.(settings);
    if (!run) return [];
    const unitName = exporterUnitName(def.id);
    // On the host the exporter listens on the bind address, as native mode runs it.
    const argv = ['/usr/bin/env', 'fibre-stack', ...run.args, '--host', spec.bind_address];
    return [{ path: `systemd/${unitName}`, content: renderTemplate(templates, 'systemd/exporter.service', { unitName, profile: def.id, argv, ebpf: run.ebpf }) }];
  });
}
