// Day two of a native stack, with real programs (Debian's prometheus and prometheus-alertmanager,
// the replay exporter): another Prometheus already on the port, a service that fails in a
// foreground run, a spec edit applied to what runs, restart, upgrade, and crashed versus stopped.
// Grafana and Loki do not exist here, so the specs disable them.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { prerequisites } from './support/prereq.js';
import { CLI, cli, testSpec, writeTestStack } from './support/run-stack.js';
import { tempDir } from './support/stack.js';

const ready = prerequisites('run-day-two', {
  commands: ['prometheus', 'prometheus-alertmanager'],
  check: () => (existsSync(CLI) ? undefined : 'a built CLI (npm run build)'),
});

const alive = (pid: number) => existsSync(`/proc/${pid}`) && !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
const noDownloads = { FIBRE_STACK_CACHE: '/nonexistent/fibre-stack-cache' };
const pidOf = (dir: string, service: string): number => JSON.parse(readFileSync(join(dir, 'run', `${service}.pid`), 'utf8')).pid;
const withoutGrafanaLoki = (s: { disabled_services: string[] }) => (s.disabled_services = ['grafana', 'loki']);

/** Resolves once `port` on loopback can be bound again. */
async function untilPortFree(port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer().once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) return;
    if (Date.now() > deadline) throw new Error(`port ${port} is still taken 10 s after its process died`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Another Prometheus (not the stack's), listening on `port` until stopped. */
async function otherPrometheus(port: number): Promise<{ child: ChildProcess; dir: string }> {
  const dir = tempDir('other-prometheus-');
  writeFileSync(join(dir, 'prometheus.yml'), 'global: {}\n');
  const child = spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr!.on('data', (d) => (log += d));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const ok = await fetch(`http://127.0.0.1:${port}/-/ready`).then((r) => r.ok, () => false);
    if (ok) return { child, dir };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the other Prometheus did not start:\n${log.slice(-2000)}`);
}

async function stopOther(o: { child: ChildProcess; dir: string } | undefined): Promise<void> {
  if (!o) return;
  o.child.kill('SIGKILL');
  await new Promise((r) => (o.child.exitCode !== null || o.child.signalCode !== null ? r(null) : o.child.once('exit', r)));
  rmSync(o.dir, { recursive: true, force: true });
}

describe.skipIf(!ready)('another Prometheus on the stack port', () => {
  let dir: string;
  let other: Awaited<ReturnType<typeof otherPrometheus>> | undefined;
  beforeAll(async () => {
    dir = writeTestStack(testSpec('native', 29600, withoutGrafanaLoki));
    other = await otherPrometheus(29600);
  });
  afterAll(async () => {
    await cli(['down', '--dir', dir]);
    await stopOther(other);
    rmSync(dir, { recursive: true, force: true });
  });

  it('up refuses to start, names who holds the port, and starts nothing', async () => {
    const up = await cli(['up', '--native', '--detach', '--dir', dir], noDownloads);
    expect(up.code, up.stdout + up.stderr).toBe(2);
    expect(up.stderr).toMatch(new RegExp(`prometheus: port 29600 on 127\\.0\\.0\\.1 is taken by pid ${other!.child.pid} \\(prometheus `));
    expect(up.stderr).toContain('Nothing was started');
    expect(existsSync(join(dir, 'run'))).toBe(false);
  });

  it('validate of the stack that never started credits nothing the other Prometheus answers', async () => {
    const v = await cli(['validate', '--json', '--dir', dir]);
    expect(v.code).toBe(1);
    const prom = JSON.parse(v.stdout).services.find((s: { service: string }) => s.service === 'prometheus');
    expect(prom.status).toBe('unhealthy');
    expect(prom.checks.map((c: { check: string }) => c.check)).toEqual(['process']);
  });

  it('status says stopped, not running', async () => {
    const s = await cli(['status', '--dir', dir]);
    expect(s.code).toBe(1);
    expect(s.stdout).toMatch(/prometheus\s+stopped/);
  });
});

describe.skipIf(!ready)('a service of ours replaced by another program on its port', () => {
  let dir: string;
  let other: Awaited<ReturnType<typeof otherPrometheus>> | undefined;
  beforeAll(() => {
    dir = writeTestStack(testSpec('native', 29620, withoutGrafanaLoki));
  });
  afterAll(async () => {
    await cli(['down', '--dir', dir]);
    await stopOther(other);
    rmSync(dir, { recursive: true, force: true });
  });

  it('validate and status say crashed, although something answers on the port', async () => {
    const up = await cli(['up', '--native', '--detach', '--dir', dir], noDownloads);
    expect(up.code, up.stdout + up.stderr).toBe(0);
    const pid = pidOf(dir, 'prometheus');
    process.kill(pid, 'SIGKILL');
    while (alive(pid)) await new Promise((r) => setTimeout(r, 20));
    // A killed multi-threaded process shows as a zombie before its last thread lets go of its socket.
    await untilPortFree(29620);
    other = await otherPrometheus(29620);
    const v = await cli(['validate', '--json', '--dir', dir]);
    expect(v.code).toBe(1);
    const prom = JSON.parse(v.stdout).services.find((s: { service: string }) => s.service === 'prometheus');
    expect(prom.status).toBe('unhealthy');
    expect(prom.checks).toHaveLength(1);
    expect(prom.checks[0].detail).toMatch(/^crashed: pid \d+ has exited/);
    const s = await cli(['status', '--dir', dir]);
    expect(s.stdout).toMatch(/prometheus\s+crashed/);
    expect(s.stdout).toMatch(/alertmanager\s+up/);
  });
});

describe.skipIf(!ready)('a foreground up where a service fails', () => {
  let dir: string;
  beforeEach(() => {
    dir = writeTestStack(testSpec('native', 29640, withoutGrafanaLoki));
    writeFileSync(join(dir, 'prometheus', 'rules', 'broken.yml'), 'groups:\n  - name: broken\n    rules:\n      - record: x\n        expr: sum(\n');
  });
  afterEach(async () => {
    await cli(['down', '--dir', dir]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('exits 1 on its own, says what it waited for, and stops what it started', async () => {
    const child = spawn(process.execPath, [CLI, 'up', '--native', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...noDownloads } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code, out).toBe(1);
    expect(out).toMatch(/prometheus\s+FAILED: exited with code \d+/);
    expect(out).toMatch(/waiting: http:\/\/127\.0\.0\.1:\d+\/(-\/ready|health): /);
    expect(out).toMatch(/alertmanager: (stopped|killed)/);
    expect(out).not.toContain('Ctrl-C stops everything');
    expect(existsSync(join(dir, 'run', 'alertmanager.pid'))).toBe(false);
  }, 120_000);
});

describe.skipIf(!ready)('an exporter whose bitcoind is not on this host', () => {
  let dir: string;
  beforeAll(() => {
    dir = writeTestStack(
      testSpec('native', 29690, (s) => {
        withoutGrafanaLoki(s);
        s.profiles.fibre = [{ ...s.profiles.fibre![0], source: 'ebpf', bitcoind: '/nonexistent/day-two/bitcoind' }];
      }),
    );
  });
  afterAll(async () => {
    await cli(['down', '--dir', dir]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('up names the spec key to correct, not only the flag the exporter knows', async () => {
    const up = await cli(['up', '--native', '--detach', '--timeout', '30', '--dir', dir], noDownloads);
    expect(up.code, up.stdout + up.stderr).toBe(1);
    expect(up.stdout).toMatch(/fibre-exporter\s+FAILED/);
    expect(up.stdout).toMatch(/to fix: \/nonexistent\/day-two\/bitcoind does not exist on this host \(profiles\.fibre\[0\]\.bitcoind\): correct it in fibre-stack\.yml/);
  });
});

describe.skipIf(!ready)('changes reach what runs', () => {
  let dir: string;
  beforeAll(async () => {
    dir = writeTestStack(testSpec('native', 29660, withoutGrafanaLoki));
    const up = await cli(['up', '--native', '--detach', '--dir', dir], noDownloads);
    expect(up.code, up.stdout + up.stderr).toBe(0);
  });
  afterAll(async () => {
    await cli(['down', '--dir', dir]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('apply after a spec edit: Alertmanager reloads the new receiver, Prometheus restarts with the new retention, data kept', async () => {
    const specPath = join(dir, 'fibre-stack.yml');
    const prometheusPid = pidOf(dir, 'prometheus');
    const alertmanagerPid = pidOf(dir, 'alertmanager');
    const hook = 'http://127.0.0.1:29999/day-two-hook';
    let spec = readFileSync(specPath, 'utf8');
    spec = spec.replace(/alerting:.*(\n\s+.*)*?(?=\n\S)/, `alerting: { receiver: webhook, webhook_url: "${hook}" }`).replace(/metrics: 15d/, 'metrics: 9d');
    writeFileSync(specPath, spec);
    writeFileSync(join(dir, 'data', 'prometheus', 'kept-by-apply'), 'x');
    const apply = await cli(['apply', '--dir', dir], noDownloads);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(apply.stdout).toMatch(/alertmanager: reloaded \(alertmanager\/alertmanager\.yml changed\)/);
    expect(apply.stdout).toMatch(/prometheus: restarting \(its command line changed\)/);
    // The running Alertmanager has the new receiver, in the same process.
    const status = await (await fetch('http://127.0.0.1:29661/api/v2/status')).json();
    expect(status.config.original).toContain(hook);
    expect(pidOf(dir, 'alertmanager')).toBe(alertmanagerPid);
    expect(pidOf(dir, 'prometheus')).not.toBe(prometheusPid);
    const flags = await (await fetch('http://127.0.0.1:29660/api/v1/status/flags')).json();
    expect(flags.data['storage.tsdb.retention.time']).toBe('9d');
    expect(existsSync(join(dir, 'data', 'prometheus', 'kept-by-apply'))).toBe(true);
    // Nothing more to do the second time.
    const again = await cli(['apply', '--dir', dir], noDownloads);
    expect(again.stdout).toContain('already has the current files');
  });

  it('restart SERVICE restarts that one service and keeps its data', async () => {
    const before = pidOf(dir, 'alertmanager');
    const r = await cli(['restart', 'alertmanager', '--dir', dir], noDownloads);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/alertmanager\s+ready in/);
    expect(pidOf(dir, 'alertmanager')).not.toBe(before);
    expect(alive(before)).toBe(false);
    const bad = await cli(['restart', 'nosuch', '--dir', dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/nosuch is not a service of this stack/);
  });

  it('upgrade moves our older pins to the current ones, keeps a repository of your own, and keeps the data', async () => {
    const specPath = join(dir, 'fibre-stack.yml');
    const { DEFAULT_IMAGES } = await import('../cli/services/table.js');
    const repo = (i: string) => i.replace(/:[^:/]*$/, '');
    const spec = readFileSync(specPath, 'utf8')
      .replace(DEFAULT_IMAGES.prometheus, `${repo(DEFAULT_IMAGES.prometheus)}:v2.40.0`)
      .replace(DEFAULT_IMAGES.alertmanager, 'registry.example/mirror/alertmanager:v0.25.0');
    writeFileSync(specPath, spec);
    const dry = await cli(['upgrade', '--dry-run', '--dir', dir]);
    expect(dry.stdout).toContain(`images.prometheus: ${repo(DEFAULT_IMAGES.prometheus)}:v2.40.0 -> ${DEFAULT_IMAGES.prometheus}`);
    expect(readFileSync(specPath, 'utf8')).toBe(spec);
    const up = await cli(['upgrade', '--dir', dir], noDownloads);
    expect(up.code, up.stdout + up.stderr).toBe(0);
    expect(up.stdout).toMatch(/images\.alertmanager: registry\.example\/mirror\/alertmanager:v0\.25\.0 kept \(another repository/);
    const after = readFileSync(specPath, 'utf8');
    expect(after).toContain(DEFAULT_IMAGES.prometheus);
    expect(after).toContain('registry.example/mirror/alertmanager:v0.25.0');
    expect(existsSync(join(dir, 'data', 'prometheus', 'kept-by-apply'))).toBe(true);
    const v = await cli(['validate', '--json', '--wait', '30', '--dir', dir]);
    expect(JSON.parse(v.stdout).healthy, v.stdout).toBe(true);
  });
});

describe.skipIf(!ready)('a stack folder is what lint lints', () => {
  it('lints the dashboards and rules of a stack folder and ignores its configs', async () => {
    const dir = writeTestStack(testSpec('native', 29680, withoutGrafanaLoki));
    try {
      mkdirSync(join(dir, 'grafana', 'dashboards'), { recursive: true });
      const r = await cli(['lint', '--no-promtool', dir]);
      expect(r.stdout + r.stderr).not.toMatch(/alertmanager\.yml|prometheus\.yml|\.fibre-stack/);
      expect(r.code, r.stdout + r.stderr).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
