// .env holds the stack's secrets (mode 0600, git-ignored); .env.example shows its shape without them.
import type { StackSecrets, StackSpec } from '../spec/types.js';
import { envLine, parseEnvText } from '../../core/encode/env.js';
import type { RenderedFile } from './types.js';

export const ENV_FILE = '.env';
export const GRAFANA_PASSWORD_VAR = 'GF_SECURITY_ADMIN_PASSWORD';

function envFile(spec: StackSpec, password: string, comment: string): string {
  return [
    comment,
    envLine('COMPOSE_PROJECT_NAME', spec.project),
    envLine('GF_SECURITY_ADMIN_USER', 'admin'),
    envLine(GRAFANA_PASSWORD_VAR, password),
    '',
  ].join('\n');
}

export function renderEnv(spec: StackSpec, secrets: StackSecrets): RenderedFile[] {
  return [
    { path: ENV_FILE, content: envFile(spec, secrets.grafanaAdminPassword, '# Secrets of this stack. Keep this file private (mode 0600); it is not in git.'), mode: 0o600 },
    { path: '.env.example', content: envFile(spec, '', '# The shape of .env, without secrets. `fibre-stack generate` creates .env with a fresh password.') },
    // Secrets, and what running the stack leaves behind (native data, logs, pid files).
    { path: '.gitignore', content: '.env\ndata/\nlogs/\nrun/\n.fibre-stack/native/\n*.new\n' },
  ];
}

/** Reads the secrets back out of an existing .env, so regenerating never changes a password. */
export function parseSecrets(envText: string): Partial<StackSecrets> {
  const value = parseEnvText(envText)[GRAFANA_PASSWORD_VAR];
  return value ? { grafanaAdminPassword: value } : {};
}
