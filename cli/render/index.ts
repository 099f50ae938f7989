// Rendering a stack: spec (and secrets, and template sources) in, files out. No I/O here: the
// caller reads the templates and writes the files (cli/io).
import type { StackSecrets, StackSpec } from '../spec/types.js';

import { ruleFilesFor } from '../artifacts/rules.js';
import type { RenderedFile, TemplateSources } from './types.js';
import { renderAlertmanager } from './alertmanager.js';
import { renderCompose } from './compose.js';
import { renderEnv } from './env.js';
import { renderGrafana } from './grafana.js';
import { renderLogAgent } from './log-agent.js';
import { renderLoki } from './loki.js';
import { renderPrometheus } from './prometheus.js';
import { renderReadme } from './readme.js';
import { enabledProfiles } from './stack-profiles.js';
import { renderSpecFile } from './spec-file.js';
import { renderSystemdUnits } from './systemd.js';
import { enabledServices } from '../services/table.js';

export type { RenderedFile, TemplateSources } from './types.js';

function renderRules(spec: StackSpec): RenderedFile[] {
  if (!enabledServices(spec).includes('prometheus')) return [];
  return ruleFilesFor(enabledProfiles(spec).map(({ def }) => def.id)).map((r) => ({ path: `prometheus/rules/${r.file}`, content: r.content }));
}

export function renderStack(spec: StackSpec, secrets: StackSecrets, templates: TemplateSources): RenderedFile[] {
  const on = new Set(enabledServices(spec));
  return [
    renderSpecFile(spec),
    ...renderEnv(spec, secrets),
    ...renderReadme(spec, templates),
    ...renderCompose(spec),
    ...(on.has('prometheus') ? renderPrometheus(spec) : []),
    ...renderRules(spec),
    ...(on.has('alertmanager') ? renderAlertmanager(spec) : []),
    ...renderGrafana(spec),
    ...renderLoki(spec),
    ...renderLogAgent(spec, templates),
    ...renderSystemdUnits(spec, templates),
  ];
}
