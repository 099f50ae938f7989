import { FLEET_ENGINES, FLEET_ROLES, LOG_AGENTS, MODES, PROFILE_IDS, type StackSpec } from '../spec/types.js';
import { dumpYaml } from '../../core/encode/yaml.js';
import type { RenderedFile } from './types.js';

export const SPEC_FILE = 'fibre-stack.yml';

const SPEC_HEADER = `# fibre-stack stack spec: the single source of truth for this folder.
# Edit it, then run \`fibre-stack generate\` to re-render every other file from it.
# Reference: profiles ${PROFILE_IDS.join(' | ')}, each a list of nodes (node_name unique
# within the profile; a node after the first without exporter_port gets a free one); mode ${MODES.join(' | ')};
# log_agent ${LOG_AGENTS.join(' | ')}; fleet.role ${FLEET_ROLES.join(' | ')} (no fleet: a standalone
# stack), a hub's fleet.engine ${FLEET_ENGINES.join(' | ')}. Secrets are not here: they live in .env.`;

export function renderSpecFile(spec: StackSpec): RenderedFile {
  return { path: SPEC_FILE, content: dumpYaml(spec, SPEC_HEADER) };
}
