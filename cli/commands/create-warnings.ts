// What `create` warns of, though the stack is valid: a host path it was given that does not exist
// here (a typo, or a stack made on another machine), and a docker-mode webhook on the loopback
// address, which inside the Alertmanager container is the container itself.
import type { StackSpec } from '../spec/types.js';
import { missingHostPaths } from '../run/docker-preflight.js';
import { PROFILES, type Registry } from '../../profiles/registry.js';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/i;

export function createWarnings(spec: StackSpec, registry: Registry = PROFILES): string[] {
  // A path several exporters read is said once.
  const warnings: string[] = [...new Set([...missingHostPaths(spec, registry).values()].flat())];
  if (spec.mode === 'docker' && spec.alerting.webhook_url) {
    let host = '';
    try {
      host = new URL(spec.alerting.webhook_url).hostname;
    } catch {
      // the spec reader has judged the URL already
    }
    if (LOOPBACK.test(host)) {
      warnings.push(
        `the alert webhook ${spec.alerting.webhook_url} points at ${host}, which inside the Alertmanager container is the container itself: ` +
          "use an address of this host that containers reach (its LAN address, or the docker bridge's, often 172.17.0.1), then `fibre-stack apply`",
      );
    }
  }
  return warnings;
}
