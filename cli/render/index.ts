// Rendering a stack: spec (and secrets, and the package's templates and prebuilt dashboards) in,
// files out. No I/O here: the caller reads those sources and writes the files (cli/io).
import type { StackSecrets, StackSpec } from '../spec/types.js';

import type { HostFacts, PackageSources, RenderedFile } from './types.js';
import { renderCompose } from './compose.js';
import { SERVICE_RENDERERS } from './core-services.js';
import { renderEnv } from './env.js';
import { renderReadme } from './readme.js';
import { renderSpecFile } from './spec-file.js';
import { renderSystemdUnits } from './systemd.js';
import { enabledServices } from '../services/table.js';

export type { PackageSources, RenderedFile, TemplateSources } from './types.js';
export type { HostFacts } from './types.js';

/** The files a run mode runs the stack by: the compose file for docker; native mode needs none beyond the services' own. */
function runModeFiles(spec: StackSpec, sources: PackageSources, host: HostFacts): RenderedFile[] {
  switch (spec.mode) {
    case 'docker':
      return [renderCompose(spec, sources.profiles, host)];
    case 'native':
      return [];
  }
}

/** `host`: what the stack needs to know of this host (cli/io/host-facts.ts); none by default. */
export function renderStack(spec: StackSpec, secrets: StackSecrets, sources: PackageSources, host: HostFacts = {}): RenderedFile[] {
  return [
    renderSpecFile(spec),
    ...renderEnv(spec, secrets),
    ...renderReadme(spec, sources.templates, sources.profiles),
    ...runModeFiles(spec, sources, host),
    ...enabledServices(spec).flatMap((s) => SERVICE_RENDERERS[s].files(spec, sources, host)),
    ...renderSystemdUnits(spec, sources.templates, sources.profiles),
  ];
}
