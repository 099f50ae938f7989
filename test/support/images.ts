// The local container images the docker tests use. No image registry is reachable where the
// tests run, so scripts/images/build.sh makes them from a debootstrapped Debian base.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';

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
/**
 * Debian trixie's node_exporter 1.9 laid out like prom/node-exporter (/bin/node_exporter, user
 * nobody, busybox's wget): the Debian build nearest the pinned 1.12, and one that takes every flag
 * we render (bookworm's is 1.5).
 */
export const TRIXIE_NODE_EXPORTER_IMAGE = 'fibre-stack-test/node-exporter:1.9';
/** Debian trixie's vmctl (VictoriaMetrics 1.112) alone: see support/vmctl.ts for why not bookworm's. */
export const TRIXIE_VMCTL_IMAGE = 'fibre-stack-test/vmctl:1.112';

const BUILD_SCRIPT = fileURLToPath(new URL('../../scripts/images/build.sh', import.meta.url));

/** Builds whichever test images are missing (quick when all exist). Call from beforeAll. */
export function ensureTestImages(): void {
  execFileSync('bash', [BUILD_SCRIPT], { stdio: ['ignore', 'inherit', 'inherit'] });
}

/** What `program --version` prints in `image`. */
export async function versionOf(image: string, program: string): Promise<string> {
  const container = await new Docker().createContainer({ Image: image, Entrypoint: [program], Cmd: ['--version'] });
  try {
    await container.start();
    await container.wait();
    return (await container.logs({ stdout: true, stderr: true })).toString('utf8');
  } finally {
    // With the anonymous volume the image's VOLUME made for it.
    await container.remove({ force: true, v: true });
  }
}
