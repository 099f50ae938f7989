// Day two of a docker stack with real parts (dockerd, docker-compose, the local test images):
// what compose would fail on halfway is refused before it runs, with the fix; a stack that never
// started is not credited with another program's answers; a spec edit reaches the running
// containers. Grafana and Loki have no image here, so the specs disable them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import Docker from 'dockerode';
import { prerequisites } from './support/prereq.js';
import { TRIXIE_ALERTMANAGER_IMAGE, PROMETHEUS_IMAGE, ensureTestImages } from './support/images.js';
import { CLI, cli, testSpec, writeTestStack } from './support/run-stack.js';
import { defaultProfile } from '../cli/spec/defaults.js';
import { bridgeGateway } from '../cli/run/docker.js';
import { bindableHere } from '../cli/run/docker-preflight.js';

const docker = new Docker();
const ready = prerequisites('run-docker-day-two', {
  commands: ['docker-compose', 'dockerd'],
  root: true,
  docker: true,
  check: () => (existsSync(CLI) ? undefined : 'a built CLI (npm run build)'),
});
// Built by test/run-docker.test.ts's `up --build`, or here when missing.
const EXPORTER_IMAGE = 'fibre-stack-exporter:run-docker-test';
const containersOf = async (project: string) => docker.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${project}`] } });

/** A plain TCP listener standing in for "another program on the port". */
async function listener(port: number): Promise<Server> {
  const server = createServer((s) => s.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK'));
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return server;
}

describe.skipIf(!ready)('docker up refuses, before compose runs, what compose would fail on halfway', () => {
  beforeAll(() => ensureTestImages());
  const images = (s: ReturnType<typeof testSpec>) => {
    s.disabled_services = ['grafana', 'loki', 'node-exporter', 'cadvisor'];
    s.images = { ...s.images, prometheus: PROMETHEUS_IMAGE, alertmanager: TRIXIE_ALERTMANAGER_IMAGE, exporter: EXPORTER_IMAGE };
  };

  it('a miner log path that does not exist on this host: exit 2 naming the spec key, nothing started', async () => {
    const spec = testSpec('docker', 29800, (s) => {
      images(s);
      s.profiles.miner = [{ ...defaultProfile('miner'), logs: [{ path: '/nonexistent/day-two/card0.log', card: 'left' }], exporter_port: 29807 }];
    });
    const dir = writeTestStack(spec);
    try {
      const up = await cli(['up', '--dir', dir]);
      expect(up.code, up.stdout + up.stderr).toBe(2);
      expect(up.stderr).toMatch(/miner-exporter mounts \/nonexistent\/day-two, which does not exist on this host: set profiles\.miner\[0\]\.logs\[0\]\.path in fibre-stack\.yml/);
      expect(await containersOf(spec.project)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a port another program holds: exit 2 naming who, nothing started; validate credits that program nothing', async () => {
    const spec = testSpec('docker', 29820, images);
    const dir = writeTestStack(spec);
    const other = await listener(29820);
    try {
      const up = await cli(['up', '--dir', dir]);
      expect(up.code, up.stdout + up.stderr).toBe(2);
      expect(up.stderr).toMatch(new RegExp(`prometheus: port 29820 on 127\\.0\\.0\\.1 is taken by pid ${process.pid} `));
      expect(await containersOf(spec.project)).toEqual([]);
      const v = await cli(['validate', '--json', '--dir', dir]);
      expect(v.code).toBe(1);
      const prom = JSON.parse(v.stdout).services.find((s: { service: string }) => s.service === 'prometheus');
      expect(prom.checks.map((c: { check: string }) => c.check)).toEqual(['container']);
    } finally {
      other.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a bind address this host does not have: exit 2 naming it and the fix, nothing started', async () => {
    // 198.51.100.10 is TEST-NET-2 (RFC 5737): no interface here has it.
    const spec = testSpec('docker', 29840, (s) => {
      images(s);
      s.bind_address = '198.51.100.10';
    });
    const dir = writeTestStack(spec);
    try {
      const up = await cli(['up', '--dir', dir]);
      expect(up.code, up.stdout + up.stderr).toBe(2);
      expect(up.stderr).toMatch(/198\.51\.100\.10 is not an address of this host \(.*prometheus.* use it\): set bind_address in fibre-stack\.yml to one of its addresses/);
      expect(await containersOf(spec.project)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("this dockerd's bridge gateway, where host.docker.internal leads, is bindable here with no container on the bridge; an address of no interface is not", async () => {
    const gateway = await bridgeGateway(docker);
    expect(gateway).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(await bindableHere(gateway!)).toBe(true);
    expect(await bindableHere('198.51.100.10')).toBe(false);
  });

  it('no registry to build the exporter image from: exit 2 naming --base-image', async () => {
    const spec = testSpec('docker', 29840, (s) => {
      images(s);
      s.images.exporter = 'fibre-stack-exporter:day-two-never-built';
    });
    const dir = writeTestStack(spec);
    try {
      const up = await cli(['up', '--dir', dir]);
      expect(up.code, up.stdout + up.stderr).toBe(2);
      expect(up.stderr).toMatch(/cannot build the exporter image: .* cannot be pulled/);
      expect(up.stderr).toContain('--base-image');
      expect(await containersOf(spec.project)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});

describe.skipIf(!ready)('a spec edit reaches the running containers', () => {
  let dir: string;
  const spec = testSpec('docker', 29860, (s) => {
    s.disabled_services = ['grafana', 'loki', 'node-exporter', 'cadvisor'];
    s.images = { ...s.images, prometheus: PROMETHEUS_IMAGE, alertmanager: TRIXIE_ALERTMANAGER_IMAGE, exporter: EXPORTER_IMAGE };
  });
  beforeAll(async () => {
    ensureTestImages();
    dir = writeTestStack(spec);
    const up = await cli(['up', '--base-image', 'fibre-stack-test/node:20', '--timeout', '180', '--dir', dir]);
    expect(up.code, up.stdout + up.stderr).toBe(0);
  }, 400_000);
  afterAll(async () => {
    if (dir) await cli(['down', '--volumes', '--dir', dir]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('apply reloads Alertmanager in its container with the new receiver', async () => {
    const hook = 'http://192.0.2.10:9999/day-two-hook';
    const specPath = join(dir, 'fibre-stack.yml');
    writeFileSync(specPath, readFileSync(specPath, 'utf8').replace(/alerting:.*(\n\s+.*)*?(?=\n\S)/, `alerting: { receiver: webhook, webhook_url: "${hook}" }`));
    const before = (await containersOf(spec.project)).find((c) => c.Labels['com.docker.compose.service'] === 'alertmanager')!.Id;
    const apply = await cli(['apply', '--dir', dir]);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(apply.stdout).toMatch(/alertmanager: reloaded \(alertmanager\/alertmanager\.yml changed\)/);
    expect(readFileSync(join(dir, 'alertmanager', 'alertmanager.yml'), 'utf8')).toContain(`url: ${hook}`);
    // The running Alertmanager has the new receiver; 0.28 shows a webhook's URL only as <secret>.
    const status = await (await fetch('http://127.0.0.1:29861/api/v2/status')).json();
    expect(status.config.original).toMatch(/- name: webhook\n\s+webhook_configs:\n(\s+.*\n)*?\s+url: <secret>/);
    const after = (await containersOf(spec.project)).find((c) => c.Labels['com.docker.compose.service'] === 'alertmanager')!.Id;
    expect(after).toBe(before);
  }, 300_000);
});
