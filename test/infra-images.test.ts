// The locally built Prometheus and Alertmanager images must behave like the official ones the
// generated compose file is written for: the entrypoint takes the command our renderer writes,
// reads the rendered config from the conventional directory, writes data as a non-root user, and
// the wget the compose healthchecks call is present. Both Debian 12's builds and trixie's.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Docker from 'dockerode';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prerequisites } from './support/prereq.js';
import { ALERTMANAGER_IMAGE, PROMETHEUS_IMAGE, TRIXIE_ALERTMANAGER_IMAGE, TRIXIE_PROMETHEUS_IMAGE, ensureTestImages } from './support/images.js';
import { specFor, writeTempStack } from './support/stack.js';

const ready = prerequisites('infra-images', { commands: ['debootstrap'], root: true, docker: true });

const docker = new Docker();

interface ComposeService { command: string[]; volumes: ({ type: string; source: string; target: string } | string)[]; healthcheck: { test: string[] } }

/**
 * Runs the rendered compose service `name` of the stack in `stackDir` on `image`: its command,
 * its config folder bind-mounted read-only, and its own healthcheck retried while it starts.
 */
async function runAndWaitReady(stackDir: string, name: string, image: string): Promise<{ exitCode: number; output: string }> {
  const svc = (load(readFileSync(join(stackDir, 'docker-compose.yml'), 'utf8')) as { services: Record<string, ComposeService> }).services[name];
  const binds = svc.volumes.flatMap((v) => (typeof v === 'object' && v.type === 'bind' ? [`${join(stackDir, v.source)}:${v.target}:ro`] : []));
  const [kind, ...check] = svc.healthcheck.test;
  expect(kind).toBe('CMD');
  const container = await docker.createContainer({ Image: image, Cmd: svc.command, HostConfig: { Binds: binds, AutoRemove: false } });
  try {
    await container.start();
    let exitCode = -1;
    for (let i = 0; i < 60 && exitCode !== 0; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 500));
      const exec = await container.exec({ Cmd: check, AttachStdout: true, AttachStderr: true });
      const stream = await exec.start({});
      await new Promise((resolve) => { stream.on('end', resolve); stream.resume(); });
      exitCode = (await exec.inspect()).ExitCode ?? -1;
    }
    const logs = (await container.logs({ stdout: true, stderr: true })).toString('utf8');
    return { exitCode, output: logs };
  } finally {
    await container.remove({ force: true });
  }
}

async function versionOf(image: string, program: string): Promise<string> {
  const container = await docker.createContainer({ Image: image, Entrypoint: [program], Cmd: ['--version'] });
  try {
    await container.start();
    await container.wait();
    return (await container.logs({ stdout: true, stderr: true })).toString('utf8');
  } finally {
    await container.remove({ force: true });
  }
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
