// Docker mode with real parts: dockerd, docker-compose, the local test images for Prometheus and
// Alertmanager, and the exporter image built by `up --build` from exporter/Dockerfile on the local
// node image. Grafana and Loki have no image here, so the spec disables them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, rmSync } from 'node:fs';
import Docker from 'dockerode';
import { prerequisites } from './support/prereq.js';
import { ALERTMANAGER_IMAGE, NODE_IMAGE, PROMETHEUS_IMAGE, ensureTestImages } from './support/images.js';
import { CLI, cli, testSpec, writeTestStack } from './support/run-stack.js';

const EXPORTER_IMAGE = 'fibre-stack-exporter:run-docker-test';
const PROJECT_BASE = 29500;
const docker = new Docker();
const ready = prerequisites('run-docker', {
  commands: ['docker-compose', 'dockerd'],
  root: true,
  docker: true,
  check: () => (existsSync(CLI) ? undefined : 'a built CLI (npm run build)'),
});

const project = `a3test${PROJECT_BASE}`;
const containers = () => docker.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${project}`] } });
const volumes = async () => ((await docker.listVolumes({ filters: { label: [`com.docker.compose.project=${project}`] } })).Volumes ?? []).map((v) => v.Name);

describe.skipIf(!ready)('docker mode with local images', () => {
  let dir: string;
  beforeAll(async () => {
    ensureTestImages();
    dir = writeTestStack(
      testSpec('docker', PROJECT_BASE, (s) => {
        s.disabled_services = ['grafana', 'loki'];
        s.images = { ...s.images, prometheus: PROMETHEUS_IMAGE, alertmanager: ALERTMANAGER_IMAGE, exporter: EXPORTER_IMAGE };
      }),
    );
  });
  afterAll(async () => {
    if (dir) await cli(['down', '--volumes', '--dir', dir]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('up --build builds the exporter image, starts the stack and waits until every service is healthy', async () => {
    const up = await cli(['up', '--build', '--base-image', NODE_IMAGE, '--timeout', '180', '--dir', dir]);
    expect(up.code, up.stdout + up.stderr).toBe(0);
    expect(up.stdout).toContain(`built ${EXPORTER_IMAGE}`);
    for (const s of ['prometheus', 'alertmanager', 'fibre-exporter']) expect(up.stdout).toMatch(new RegExp(`${s}\\s+healthy after`));
    const services = (await containers()).map((c) => c.Labels['com.docker.compose.service']).sort();
    expect(services).toEqual(['alertmanager', 'fibre-exporter', 'prometheus']);
  });

  it('validate is all green, with Prometheus scraping the exporter over the compose network', async () => {
    const v = await cli(['validate', '--json', '--wait', '60', '--dir', dir]);
    const report = JSON.parse(v.stdout);
    expect(report.healthy, v.stdout).toBe(true);
    expect(v.code).toBe(0);
    const prom = report.services.find((s: { service: string }) => s.service === 'prometheus');
    expect(prom.checks.map((c: { check: string }) => c.check)).toEqual(['container', 'ready', 'scrape targets', 'rules']);
    expect(prom.checks[2].detail).toMatch(/^3 targets up/);
    const status = await cli(['status', '--json', '--dir', dir]);
    expect(JSON.parse(status.stdout).services.every((s: { running: boolean }) => s.running)).toBe(true);
  });

  it('validate fails when a container is stopped, and names it', async () => {
    const am = (await containers()).find((c) => c.Labels['com.docker.compose.service'] === 'alertmanager')!;
    await docker.getContainer(am.Id).stop();
    const v = await cli(['validate', '--json', '--dir', dir]);
    expect(v.code).toBe(1);
    const report = JSON.parse(v.stdout);
    const status = Object.fromEntries(report.services.map((s: { service: string; status: string }) => [s.service, s.status]));
    // Prometheus may also have seen the alertmanager target go down by now; the exporter is untouched.
    expect(status).toMatchObject({ alertmanager: 'unhealthy', 'fibre-exporter': 'healthy' });
    expect(report.services.find((s: { service: string }) => s.service === 'alertmanager').checks[0].detail).toMatch(/container exited/);
  });

  it('down removes the containers and keeps the data volumes', async () => {
    const before = await volumes();
    expect(before.length).toBeGreaterThan(0);
    const down = await cli(['down', '--dir', dir]);
    expect(down.code, down.stderr).toBe(0);
    expect(await containers()).toEqual([]);
    expect((await volumes()).sort()).toEqual(before.sort());
    const gone = await cli(['down', '--volumes', '--dir', dir]);
    expect(gone.code).toBe(0);
    expect(await volumes()).toEqual([]);
  });
});

describe.skipIf(!ready)('docker mode when an image cannot be had', () => {
  let dir: string;
  const base = PROJECT_BASE + 20;
  const thisProject = `a3test${base}`;
  beforeAll(() => {
    ensureTestImages();
    // Grafana stays enabled: its pinned image is not here and no registry answers.
    dir = writeTestStack(
      testSpec('docker', base, (s) => {
        s.disabled_services = ['loki'];
        s.images = { ...s.images, prometheus: PROMETHEUS_IMAGE, alertmanager: ALERTMANAGER_IMAGE, exporter: EXPORTER_IMAGE };
      }),
    );
  });
  afterAll(async () => {
    if (dir) await cli(['down', '--volumes', '--dir', dir]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('up reports it with what to do, and starts the rest', async () => {
    const up = await cli(['up', '--base-image', NODE_IMAGE, '--timeout', '180', '--dir', dir]);
    expect(up.code, up.stdout + up.stderr).toBe(0);
    expect(up.stdout).toMatch(/grafana: cannot start: image grafana\/grafana:\S+ is not here and cannot be pulled .*add grafana to disabled_services/);
    const running = (await docker.listContainers({ filters: { label: [`com.docker.compose.project=${thisProject}`] } })).map((c) => c.Labels['com.docker.compose.service']).sort();
    expect(running).toEqual(['alertmanager', 'fibre-exporter', 'prometheus']);
    // No --wait: a service with no container will not get one by waiting.
    const v = await cli(['validate', '--json', '--dir', dir]);
    expect(v.code).toBe(1);
    const grafana = JSON.parse(v.stdout).services.find((s: { service: string }) => s.service === 'grafana');
    expect(grafana.status).toBe('unhealthy');
    expect(grafana.checks[0].detail).toBe('no container (not started)');
  });
});
