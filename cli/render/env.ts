// .env holds the stack's secrets (mode 0600, git-ignored); .env.example shows its shape without them.
import type { StackSecrets, StackSpec } from '../spec/types.js';
import { envLine, parseEnvText } from '../../core/encode/env.js';
import type { RenderedFile } from './types.js';
import { fleetTokenVar } from '../spec/fleet.js';
import { nodeTokenFile } from './fleet-hub.js';

export const ENV_FILE = '.env';
export const GRAFANA_PASSWORD_VAR = 'GF_SECURITY_ADMIN_PASSWORD';

const TOKEN_VAR = /^FLEET_TOKEN_[A-Z0-9_]+$/;

/** A hub's nodes, each with its token (empty in .env.example); a missing token is a bug at the edge, which makes them. */
function nodeTokens(spec: StackSpec, secrets: StackSecrets | undefined): [host: string, token: string][] {
  if (spec.fleet?.role !== 'hub') return [];
  return spec.fleet.nodes.map((host) => {
    const token = secrets ? secrets.fleetTokens?.[fleetTokenVar(host)] : '';
    if (token === undefined) throw new Error(`no token for fleet node ${host}: loadOrCreateSecrets makes one for every node of the spec`);
    return [host, token];
  });
}

function envFile(spec: StackSpec, password: string, comment: string, tokens: [string, string][]): string {
  return [
    comment,
    envLine('COMPOSE_PROJECT_NAME', spec.project),
    envLine('GF_SECURITY_ADMIN_USER', 'admin'),
    envLine(GRAFANA_PASSWORD_VAR, password),
    // vmauth reads each node's bearer token from its variable (%{FLEET_TOKEN_<NODE>} in vmauth/auth.yml).
    ...tokens.map(([host, token]) => envLine(fleetTokenVar(host), token)),
    '',
  ].join('\n');
}

export function renderEnv(spec: StackSpec, secrets: StackSecrets): RenderedFile[] {
  const tokens = nodeTokens(spec, secrets);
  return [
    { path: ENV_FILE, content: envFile(spec, secrets.grafanaAdminPassword, '# Secrets of this stack. Keep this file private (mode 0600); it is not in git.', tokens), mode: 0o600 },
    { path: '.env.example', content: envFile(spec, '', '# The shape of .env, without secrets. `fibre-stack generate` creates .env with a fresh password.', nodeTokens(spec, undefined)) },
    // Each node's token once more, alone in a file to copy to that node as its fleet/hub.token.
    ...tokens.map(([host, token]) => ({ path: nodeTokenFile(host), content: `${token}\n`, mode: 0o600 })),
    // Secrets, and what running the stack leaves behind (native data, logs, pid files).
    { path: '.gitignore', content: '.env\ndata/\nlogs/\nrun/\n.fibre-stack/native/\n*.new\nfleet/nodes/\nfleet/hub.token\nfleet/tls/*.key\nfleet/ca/\n' },
  ];
}

/** Reads the secrets back out of an existing .env, so regenerating never changes a password or a node's token. */
export function parseSecrets(envText: string): Partial<StackSecrets> {
  const vars = parseEnvText(envText);
  const value = vars[GRAFANA_PASSWORD_VAR];
  const fleetTokens = Object.fromEntries(Object.entries(vars).filter(([k, v]) => TOKEN_VAR.test(k) && v));
  return { ...(value ? { grafanaAdminPassword: value } : {}), ...(Object.keys(fleetTokens).length ? { fleetTokens } : {}) };
}
