// The locally built Prometheus and Alertmanager images must behave like the official ones the
// generated compose file is written for: the entrypoint takes the compose command's flags, reads
// the config from the conventional directory, writes data as a non-root user, and the wget the
// compose healthchecks call is present.
import { mkdtempSync, writeFileSync, chmodSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prerequisites } from './support/prereq.js';
import { ALERTMANAGER_IMAGE, PROMETHEUS_IMAGE, ensureTestImages } from './support/images.js';

const ready = prerequisites('infra-images', { commands: ['debootstrap'], root: true, docker: true });

const docker = new Docker();

async function runAndWaitReady(opts: {
  image: string; cmd: string[]; configDir: string; mountAt: string; port: number;
}): Promise<{ exitCode: number; output: string }> {
  const container = await docker.createContainer({
    Image: opts.image,
    Cmd: opts.cmd,
    HostConfig: { Binds: [`${opts.configDir}:${opts.mountAt}:ro`], AutoRemove: false },
  });
  try {
    await container.start();
    // The same probe the generated compose healthcheck runs, retried while the server starts.
    const probe = `for i in $(seq 1 60); do wget -q -O /dev/null http://127.0.0.1:${opts.port}/-/ready && exit 0; sleep 0.5; done; exit 1`;
    const exec = await container.exec({ Cmd: ['sh', '-c', probe], AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({});
    await new Promise((resolve) => { stream.on('end', resolve); stream.resume(); });
    const { ExitCode } = await exec.inspect();
    const logs = (await container.logs({ stdout: true, stderr: true })).toString('utf8');
    return { exitCode: ExitCode ?? -1, output: logs };
  } finally {
    await container.remove({ force: true });
  }
}

describe.skipIf(!ready)('local test images', () => {
  let dir: string;
  beforeAll(() => {
    ensureTestImages();
    dir = mkdtempSync(join(tmpdir(), 'infra-images-'));
    chmodSync(dir, 0o755);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prometheus starts with the compose-style command and answers /-/ready', async () => {
    writeFileSync(join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 15s\nscrape_configs:\n  - job_name: self\n    static_configs:\n      - targets: ["127.0.0.1:9090"]\n');
    const { exitCode, output } = await runAndWaitReady({
      image: PROMETHEUS_IMAGE,
      cmd: ['--config.file=/etc/prometheus/prometheus.yml', '--storage.tsdb.path=/prometheus', '--web.enable-lifecycle'],
      configDir: dir, mountAt: '/etc/prometheus', port: 9090,
    });
    expect(output).toContain('Server is ready to receive web requests');
    expect(exitCode).toBe(0);
  });

  it('alertmanager starts with the compose-style command and answers /-/ready', async () => {
    writeFileSync(join(dir, 'alertmanager.yml'), 'route:\n  receiver: none\nreceivers:\n  - name: none\n');
    const { exitCode, output } = await runAndWaitReady({
      image: ALERTMANAGER_IMAGE,
      cmd: ['--config.file=/etc/alertmanager/alertmanager.yml', '--storage.path=/alertmanager'],
      configDir: dir, mountAt: '/etc/alertmanager', port: 9093,
    });
    expect(output).toContain('Listening');
    expect(exitCode).toBe(0);
  });
});
