// Hardened systemd units for running the exporters on the host instead of in containers.
import type { StackSpec } from '../spec/types.js';
import { generatedFromSpec } from '../../core/generated.js';
import type { RenderedFile, TemplateSources } from './types.js';
import { renderTemplate } from './handlebars.js';
import { exporterRuns } from './stack-profiles.js';
import { withHost } from '../exporters.js';
import type { ExporterRun } from '../../profiles/types.js';
import type { Registry } from '../../profiles/registry.js';

export function exporterUnitName(run: ExporterRun): string {
  return `fibre-stack-${run.service}.service`;
}

export function renderSystemdUnits(spec: StackSpec, templates: TemplateSources, profiles: Registry): RenderedFile[] {
  return exporterRuns(spec, profiles).map((run) => {
    const unitName = exporterUnitName(run);
    // On the host the exporter listens on the bind address, as native mode runs it.
    const argv = ['/usr/bin/env', 'fibre-stack', ...withHost(run.args, spec.bind_address)];
    const unit = renderTemplate(templates, 'systemd/exporter.service', { unitName, exporter: run.service, argv, ebpf: run.ebpf });
    return { path: `systemd/${unitName}`, content: `${generatedFromSpec('#')}\n${unit}` };
  });
}
