// What `create` warns of, though the stack is valid: a host path it was given that does not exist
// here (a typo, or a stack made on another machine), and, in docker mode, a receiver URL or a fleet
// node's hub on the loopback address, which inside a container is the container itself.
import type { StackSpec } from '../spec/types.js';
import type { ReceiverAnswer } from '../spec/from-answers.js';
import { missingHostPaths } from '../run/docker-preflight.js';
import { PROFILES, type Registry } from '../../profiles/registry.js';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/i;

/** The URLs Alertmanager will call that the spec or the command line gave (a secret file's own is not read here). */
function receiverUrls(spec: StackSpec, answers: readonly ReceiverAnswer[]): string[] {
  const inSpec = spec.alerting.receivers.flatMap((r) => {
    switch (r.type) {
      case 'telegram': return [r.api_url];
      case 'pagerduty': case 'webhook': return [r.url];
      default: return [];
    }
  });
  const given = answers.flatMap((a) => (a.secret && 'value' in a.secret ? [a.secret.value] : []));
  return [...inSpec, ...given].filter(Boolean);
}

export function createWarnings(spec: StackSpec, registry: Registry = PROFILES, receivers: readonly ReceiverAnswer[] = []): string[] {
  // A path several exporters read is said once.
  const warnings: string[] = [...new Set([...missingHostPaths(spec, registry).values()].flat())];
  if (spec.mode !== 'docker') return warnings;
  for (const url of receiverUrls(spec, receivers)) {
    // The spec reader has judged the URL already.
    const host = hostOf(url);
    if (LOOPBACK.test(host)) {
      warnings.push(
        `the alert receiver URL ${url} points at ${host}, which inside the Alertmanager container is the container itself: ` +
          "use an address of this host that containers reach (its LAN address, or the docker bridge's, often 172.17.0.1), then `fibre-stack apply`",
      );
    }
  }
  // Prometheus' image runs as nobody (prometheus/prometheus@v3.14.0:Dockerfile USER nobody): a token
  // file of the user's, mode 0600, is unreadable in its container.
  if (spec.fleet?.role === 'node') {
    warnings.push(
      `Prometheus runs as nobody (uid 65534) in its container: once ${spec.fleet.token_file} is in place, let it read the token with ` +
        `\`sudo chown 65534 ${spec.fleet.token_file} && chmod 0400 ${spec.fleet.token_file}\`, or run the node natively (--mode native), where every service runs as you`,
    );
  }
  if (spec.fleet?.role === 'node' && LOOPBACK.test(hostOf(spec.fleet.hub_url))) {
    warnings.push(`the hub ${spec.fleet.hub_url} is on ${hostOf(spec.fleet.hub_url)}, which inside the containers is the container itself: use an address of the hub that containers reach`);
  }
  return warnings;
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}
