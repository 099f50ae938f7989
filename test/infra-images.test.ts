// The locally built Prometheus and Alertmanager images must behave like the official ones the
// generated compose file is written for: run as the compose file runs them (test/support/
// compose-service.ts), the entrypoint takes the command our renderer writes, reads the rendered
// config from the conventional directory, writes data as a non-root user, and the wget the compose
// healthchecks call is present. Both Debian 12's builds and trixie's.
import { rmSync } from 'node:fs';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prerequisites } from './support/prereq.js';
import { ALERTMANAGER_IMAGE, PROMETHEUS_IMAGE, TRIXIE_ALERTMANAGER_IMAGE, TRIXIE_PROMETHEUS_IMAGE, ensureTestImages, versionOf } from './support/images.js';
import { specFor, writeTempStack } from './support/stack.js';
import { withServiceRunning } from './support/compose-service.js';

const ready = prerequisites('infra-images', { commands: ['debootstrap'], root: true, docker: true });

const docker = new Docker();

/** Runs the rendered compose service `name` of the stack in `stackDir` on `image` until its own healthcheck passes. */
function runAndWaitReady(stackDir: string, name: string, image: string): Promise<{ exitCode: number; output: string }> {
  return withServiceRunning(docker, stackDir, name, image, async ({ healthExit, logs }) => ({ exitCode: healthExit, output: logs }));
}

// Debian 12's builds, what a Debian 12 host runs natively, and trixie's (scripts/images/build.sh).
const builds = [
  { debian: 'bookworm', prometheus: PROMETHEUS_IMAGE, alertmanager: ALERTMANAGER_IMAGE, versions: { prometheus: '2.42.', alertmanager: '0.25.' } },
  { debian: 'trixie', prometheus: TRIXIE_PROMETHEUS_IMAGE, alertmanager: TRIXIE_ALERTMANAGER_IMAGE, versions: { prometheus: '2.53.', alertmanager: '0.28.' } },
];

describe.skipIf(!ready).each(builds)('local test images from Debian $debian', (build) => {
  let dir: string;
  beforeAll(() => {
    ensureTestImages();
    dir = writeTempStack(specFor({ profiles: ['scrape'], mode: 'docker' }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('are the builds their tags say', async () => {
    expect(await versionOf(build.prometheus, '/usr/bin/prometheus')).toContain(`prometheus, version ${build.versions.prometheus}`);
    expect(await versionOf(build.alertmanager, '/usr/bin/prometheus-alertmanager')).toContain(`alertmanager, version ${build.versions.alertmanager}`);
  });

  it('prometheus runs the rendered compose command and config, and its healthcheck passes', async () => {
    const { exitCode, output } = await runAndWaitReady(dir, 'prometheus', build.prometheus);
    expect(output).toContain('Server is ready to receive web requests');
    expect(exitCode).toBe(0);
  });

  it('alertmanager runs the rendered compose command and config, and its healthcheck passes (0.27 and later)', async () => {
    // The compose command asks for receiver names in the notification metrics, a feature flag from
    // Alertmanager 0.27 (cli/render/alertmanager.ts); Debian 12's 0.25 refuses the flag and stops
    // at once, which is why the docker tests run the stack's Alertmanager on trixie's 0.28.
    if (build.versions.alertmanager === '0.25.') {
      await expect(runAndWaitReady(dir, 'alertmanager', build.alertmanager)).rejects.toThrow(/is not running/);
      return;
    }
    const { exitCode, output } = await runAndWaitReady(dir, 'alertmanager', build.alertmanager);
    expect(output).toContain('Listening');
    expect(exitCode).toBe(0);
  });
});
