// The exporter image: built by `fibre-stack build-exporter` on the local docker engine from the
// local node base image, then run as the stack runs it, and scraped.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli } from './support/cli.js';
import { NODE_IMAGE, ensureTestImages } from './support/images.js';
import { prerequisites } from './support/prereq.js';
import { eventually, scrape, series } from './support/scrape.js';

const TAG = 'fibre-stack-exporter:test';

describe('build-exporter without a docker engine', () => {
  it('says how to fix it and exits 2', () => {
    const r = runCli(['build-exporter', '--json'], { env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot reach the docker engine at unix:///nonexistent/docker.sock');
    expect(r.stderr).toMatch(/start it .*or point DOCKER_HOST at a running engine/);
    expect(r.stdout).toBe('');
  });
});

const ready = prerequisites('exporter image', { docker: true });

describe.runIf(ready)('exporter image', () => {
  const docker = new Docker();
  const containers: Docker.Container[] = [];

  beforeAll(() => {
    ensureTestImages();
  });

  afterAll(async () => {
    for (const c of containers) await c.remove({ force: true }).catch(() => undefined);
  });

  it('builds through `fibre-stack build-exporter`, streaming the steps, and reports JSON', () => {
    const r = spawnSync(process.execPath, [CLI, 'build-exporter', '--tag', TAG, '--base-image', NODE_IMAGE, '--json'], { encoding: 'utf8', timeout: 900_000 });
    expect(r.stderr).toMatch(/Step 1\/\d+ : ARG BASE_IMAGE/);
    expect(r.stderr).toContain('apt-get install');
    expect(r.status).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.tag).toBe(TAG);
    expect(result.imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    const inspect = JSON.parse(execFileSync('docker', ['image', 'inspect', TAG], { encoding: 'utf8' }))[0];
    expect(inspect.Id).toBe(result.imageId);
    expect(inspect.Config.Entrypoint).toEqual(['node', '/opt/fibre-stack/dist/cli/main.js']);
    expect(inspect.Config.User).toBe('10001:10001');
  }, 900_000);

  it('runs `exporter miner` as the unprivileged user and serves the log it reads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fibre-stack-image-'));
    chmodSync(dir, 0o755);
    const log = join(dir, 'miner.log');
    writeFileSync(log, '[12:00:00] GPU0 1.25GH/s (500MHz) hw 0.5% 66C 0.85V ok 0x1\n', { mode: 0o644 });
    const container = await docker.createContainer({
      Image: TAG,
      Cmd: ['exporter', 'miner', '--bitstream', 'tokenminer', '--log', log, '--card', 'card7', '--port', '9439'],
      ExposedPorts: { '9439/tcp': {} },
      HostConfig: { Binds: [`${log}:${log}:ro`], PortBindings: { '9439/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] } },
    });
    containers.push(container);
    await container.start();
    const info = await container.inspect();
    const port = info.NetworkSettings.Ports['9439/tcp']![0].HostPort;
    const base = `http://127.0.0.1:${port}`;
    const labels = { node: 'localhost', card: 'card7', bitstream: 'tokenminer' };
    await eventually(async () => {
      const m = await scrape(`${base}/metrics`);
      expect(m.get(series('fpga_miner_hashrate_hashes_per_second', labels))).toBe(1.25e9);
      expect(m.get('fibre_exporter_up')).toBe(1);
    }, 30_000, 250);
    // The bind mount is live: a new line shows up.
    appendFileSync(log, '[12:00:01] GPU0 1.5GH/s (500MHz) hw 0.5% 67C 0.85V ok 0x1\n');
    await eventually(async () => expect((await scrape(`${base}/metrics`)).get(series('fpga_miner_temperature_celsius', labels))).toBe(67), 10_000, 250);
    const health = await fetch(`${base}/health`, { signal: AbortSignal.timeout(5000) });
    expect(health.status).toBe(200);
    // The node process runs as uid 10001 (docker top runs ps on the host, which has no name for it).
    const top = await container.top({ ps_args: '-o pid,uid,args' });
    const uid = top.Titles.indexOf('UID');
    expect(top.Processes.map((p: string[]) => p[uid])).toEqual(['10001']);
    // docker stop sends SIGTERM; the exporter closes and exits 0 well before the kill timeout.
    await container.stop({ t: 10 });
    expect((await container.inspect()).State.ExitCode).toBe(0);
  }, 120_000);

  it('runs `exporter replay` on the sample shipped in the image, as the demo does', async () => {
    const container = await docker.createContainer({
      Image: TAG,
      Cmd: ['exporter', 'replay', '--speed', '100', '--loop', '--node-name', 'demo', '--port', '9435'],
      ExposedPorts: { '9435/tcp': {} },
      HostConfig: { PortBindings: { '9435/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] } },
    });
    containers.push(container);
    await container.start();
    const port = (await container.inspect()).NetworkSettings.Ports['9435/tcp']![0].HostPort;
    await eventually(async () => {
      const m = await scrape(`http://127.0.0.1:${port}/metrics`);
      expect(m.get(series('fibre_blocks_reconstructed_total', { node: 'demo' }))).toBeGreaterThan(0);
      expect(m.get('fibre_exporter_up')).toBe(1);
    }, 30_000, 250);
    await container.stop({ t: 10 });
    expect((await container.inspect()).State.ExitCode).toBe(0);
  }, 120_000);
});
