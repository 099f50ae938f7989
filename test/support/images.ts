// The local container images the docker tests use. No image registry is reachable where the
// tests run, so scripts/images/build.sh makes them from a debootstrapped Debian base.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BASE_IMAGE = 'fibre-stack-test/debian:bookworm';
export const PROMETHEUS_IMAGE = 'fibre-stack-test/prometheus:2.42';
export const ALERTMANAGER_IMAGE = 'fibre-stack-test/alertmanager:0.25';
export const NODE_IMAGE = 'fibre-stack-test/node:20';
/** Debian trixie's builds (Prometheus 2.53, Alertmanager 0.28), from a debootstrapped trixie base. */
export const TRIXIE_PROMETHEUS_IMAGE = 'fibre-stack-test/prometheus:2.53';
// The stacks' own Alertmanager in docker tests: docker mode gives it
// --enable-feature=receiver-name-in-metrics, which 0.25 does not know (cli/render/alertmanager.ts).
export const TRIXIE_ALERTMANAGER_IMAGE = 'fibre-stack-test/alertmanager:0.28';
/** Debian trixie's docker-compose v2 (2.26); the host has bookworm's v1.29. */
export const TRIXIE_COMPOSE_IMAGE = 'fibre-stack-test/compose:2.26';

const BUILD_SCRIPT = fileURLToPath(new URL('../../scripts/images/build.sh', import.meta.url));

/** Builds whichever test images are missing (quick when all exist). Call from beforeAll. */
export function ensureTestImages(): void {
  execFileSync('bash', [BUILD_SCRIPT], { stdio: ['ignore', 'inherit', 'inherit'] });
}
