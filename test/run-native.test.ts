// Native mode with real programs: Debian's prometheus and prometheus-alertmanager on PATH and the
// replay exporter. Grafana, Loki and Alloy do not exist here, so they are disabled in the spec;
// the case where they are wanted but missing is tested on its own.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { prerequisites } from './support/prereq.js';
import { CLI, cli, testSpec, writeTestStack } from './support/run-stack.js';
import { pidRecords, type PidRecord } from '../cli/run/pidfile.js';

const ready = prerequisites('run-native', {
  commands: ['prometheus', 'prometheus-alertmanager'],
  check: () => (existsSync(CLI) ? undefined : 'a built CLI (npm run build)'),
});

const alive = (pid: number) => existsSync(`/proc/${pid}`) && !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));

describe.skipIf(!ready)('native mode with local binaries', () => {
  let dir: string;
  let started: PidRecord[] = [];
  // No cache and no network: a service that is not on PATH must be reported, not downloaded.
  const env = { FIBRE_STACK_CACHE: '/nonexistent/fibre-stack-cache' };

  beforeAll(() => {
    dir = writeTestStack(testSpec('native', 29100, (s) => (s.disabled_services = ['grafana', 'loki'])));
  });
  afterAll(async () => {
    await cli(['down', '--dir', dir]);
    for (const r of started) if (alive(r.pid)) process.kill(r.pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('up --native --detach starts Prometheus, Alertmanager, node_exporter and the exporter and returns', async () => {
    const up = await cli(['up', '--native', '--detach', '--dir', dir], env);
    expect(up.stderr).toBe('');
    expect(up.code).toBe(0);
    started = pidRecords(dir);
    expect(started.map((r) => r.service).sort()).toEqual(['alertmanager', 'fibre-exporter', 'node-exporter', 'prometheus']);
    for (const r of started) expect(alive(r.pid)).toBe(true);
    expect(up.stdout).toMatch(/prometheus\s+ready in/);
    expect(up.stdout).toMatch(/node-exporter\s+ready in/);
  });

  it('validate is all green: targets up, rules loaded, exporter healthy, disabled services skipped', async () => {
    const v = await cli(['validate', '--json', '--wait', '30', '--dir', dir]);
    const report = JSON.parse(v.stdout);
    expect(report.healthy, v.stdout).toBe(true);
    expect(v.code).toBe(0);
    const byName = Object.fromEntries(report.services.map((s: { service: string }) => [s.service, s]));
    expect(byName.grafana.status).toBe('skipped');
    const checks = byName.prometheus.checks.map((c: { check: string; ok: boolean }) => [c.check, c.ok]);
    expect(checks).toEqual([['process', true], ['listener', true], ['ready', true], ['scrape targets', true], ['rules', true]]);
    expect(byName['fibre-exporter'].status).toBe('healthy');
    // node_exporter natively (Debian's prometheus-node-exporter on PATH), scraped among the targets above.
    expect(byName['node-exporter'].status).toBe('healthy');
  });

  it('a second up leaves the running processes alone', async () => {
    const up = await cli(['up', '--native', '--detach', '--dir', dir], env);
    expect(up.code).toBe(0);
    expect(up.stdout).toMatch(/prometheus\s+already running/);
    expect(pidRecords(dir).map((r) => r.pid).sort()).toEqual(started.map((r) => r.pid).sort());
  });

  it('validate fails when a service dies, and names it', async () => {
    const exporter = started.find((r) => r.service === 'fibre-exporter')!;
    process.kill(exporter.pid, 'SIGKILL');
    const v = await cli(['validate', '--json', '--dir', dir]);
    expect(v.code).toBe(1);
    const report = JSON.parse(v.stdout);
    expect(report.healthy).toBe(false);
    const exp = report.services.find((s: { service: string }) => s.service === 'fibre-exporter');
    expect(exp.status).toBe('unhealthy');
    expect(exp.checks[0].detail).toMatch(/has exited/);
    // The table for people says the same.
    const table = await cli(['validate', '--dir', dir]);
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(/fibre-exporter\s+process\s+FAIL/);
  });

  it('down stops every process and leaves none behind; data is kept', async () => {
    const down = await cli(['down', '--dir', dir]);
    expect(down.code).toBe(0);
    for (const r of started) expect(alive(r.pid), `${r.service} pid ${r.pid}`).toBe(false);
    expect(pidRecords(dir)).toEqual([]);
    expect(existsSync(join(dir, 'data', 'prometheus'))).toBe(true);
  });

  it('down does not kill a process whose pid file is stale', async () => {
    // A pid file naming a live process that is not ours (this test runner) with another start time.
    const { writePidRecord } = await import('../cli/run/pidfile.js');
    writePidRecord(dir, { service: 'prometheus', pid: process.pid, argv: ['prometheus'], startTicks: '1', startedAt: new Date().toISOString() });
    const down = await cli(['down', '--dir', dir]);
    expect(down.stdout).toMatch(/prometheus: was not running/);
    expect(alive(process.pid)).toBe(true);
  });
});

describe.skipIf(!ready)('native mode when a program cannot be had', () => {
  let dir: string;
  beforeAll(() => {
    // Grafana, Loki and Alloy are wanted: none exists here and the cache is empty.
    dir = writeTestStack(testSpec('native', 29200));
  });
  afterAll(async () => {
    await cli(['down', '--dir', dir]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports each missing program with how to get it, and starts the rest', async () => {
    const up = await cli(['up', '--native', '--detach', '--dir', dir], { FIBRE_STACK_CACHE: join(dir, 'no-cache'), PATH: process.env.PATH! });
    expect(up.code).toBe(0);
    for (const s of ['grafana', 'loki', 'alloy']) expect(up.stdout).toMatch(new RegExp(`${s}\\s+cannot start: .*\\n\\s+to fix: install it`));
    expect(pidRecords(dir).map((r) => r.service).sort()).toEqual(['alertmanager', 'fibre-exporter', 'node-exporter', 'prometheus']);
    const v = await cli(['validate', '--json', '--wait', '20', '--dir', dir]);
    expect(v.code).toBe(1);
    const report = JSON.parse(v.stdout);
    const status = Object.fromEntries(report.services.map((s: { service: string; status: string }) => [s.service, s.status]));
    expect(status).toEqual({ prometheus: 'healthy', alertmanager: 'healthy', grafana: 'unavailable', loki: 'unavailable', alloy: 'unavailable', 'node-exporter': 'healthy', 'fibre-exporter': 'healthy' });
  });
});

describe.skipIf(!ready)('native mode with a broken config', () => {
  let dir: string;
  beforeAll(() => {
    dir = writeTestStack(testSpec('native', 29250, (s) => (s.disabled_services = ['grafana', 'loki'])));
    // A rule file Prometheus refuses to load: it exits at start.
    writeFileSync(join(dir, 'prometheus', 'rules', 'broken.yml'), 'groups:\n  - name: broken\n    rules:\n      - record: x\n        expr: sum(\n');
  });
  afterAll(async () => {
    await cli(['down', '--dir', dir]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('up says which service failed, shows the end of its log and exits 1; the others run', async () => {
    const up = await cli(['up', '--native', '--detach', '--timeout', '20', '--dir', dir], { FIBRE_STACK_CACHE: join(dir, 'no-cache') });
    expect(up.code).toBe(1);
    expect(up.stdout).toMatch(/prometheus\s+FAILED: exited with code \d+/);
    expect(up.stdout).toMatch(/\| .*broken\.yml/);
    expect(up.stdout).toMatch(/alertmanager\s+ready in/);
    const v = await cli(['validate', '--json', '--dir', dir]);
    expect(v.code).toBe(1);
    const status = Object.fromEntries(JSON.parse(v.stdout).services.map((s: { service: string; status: string }) => [s.service, s.status]));
    expect(status).toMatchObject({ prometheus: 'unhealthy', alertmanager: 'healthy', 'fibre-exporter': 'healthy' });
  });
});

/** `up --native` in the foreground, as a person runs it in a terminal. */
function foregroundUp(dir: string) {
  const child = spawn(process.execPath, [CLI, 'up', '--native', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return {
    child,
    exited,
    output: () => out,
    async waitFor(pattern: RegExp): Promise<void> {
      const deadline = Date.now() + 60_000;
      while (!pattern.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(out).toMatch(pattern);
    },
  };
}

describe.skipIf(!ready)('native mode in the foreground', () => {
  let dir: string;
  beforeEach(() => {
    dir = writeTestStack(testSpec('native', 29270, (s) => (s.disabled_services = ['grafana', 'loki'])));
  });
  afterEach(async () => {
    await cli(['down', '--dir', dir]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs until Ctrl-C, then stops every process and removes the pid files', async () => {
    const up = foregroundUp(dir);
    await up.waitFor(/Ctrl-C stops everything/);
    const recs = pidRecords(dir);
    expect(recs.map((r) => r.service).sort()).toEqual(['alertmanager', 'fibre-exporter', 'node-exporter', 'prometheus']);
    // The logs and status commands see what runs.
    const status = await cli(['status', '--dir', dir]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/prometheus\s+up\s+http:\/\/127\.0\.0\.1:29270/);
    const logs = await cli(['logs', 'prometheus', '--tail', '50', '--dir', dir]);
    expect(logs.stdout).toContain('Server is ready to receive web requests');

    up.child.kill('SIGINT');
    expect(await up.exited).toBe(0);
    expect(up.output()).toMatch(/prometheus: stopped/);
    for (const r of recs) expect(alive(r.pid), r.service).toBe(false);
    expect(pidRecords(dir)).toEqual([]);
  });

  it('leaves no process behind when Ctrl-C comes while the stack is still starting', async () => {
    const up = foregroundUp(dir);
    // The exporter (a Node process) takes longest to be ready: interrupt as soon as it is spawned.
    await up.waitFor(/fibre-exporter\s+starting/);
    const recs = pidRecords(dir);
    expect(recs.length).toBe(4);
    up.child.kill('SIGINT');
    // 130 when the start was cut short; 0 if every service happened to be ready first.
    expect([0, 130]).toContain(await up.exited);
    for (const r of recs) expect(alive(r.pid), r.service).toBe(false);
    expect(pidRecords(dir)).toEqual([]);
  });
});

describe.skipIf(!ready)('a docker stack where Docker does not answer', () => {
  let dir: string;
  beforeAll(() => {
    dir = writeTestStack(testSpec('docker', 29280, (s) => (s.disabled_services = ['grafana', 'loki'])));
  });
  afterAll(async () => {
    await cli(['down', '--dir', dir]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('up says so and runs its native twin, which validate and down then find', async () => {
    const noDocker = { DOCKER_HOST: `unix://${join(dir, 'no-docker.sock')}` };
    const up = await cli(['up', '--detach', '--dir', dir], noDocker);
    expect(up.code, up.stdout + up.stderr).toBe(0);
    expect(up.stdout).toMatch(/daemon is not running .*no-docker\.sock.*: running natively instead/);
    expect(up.stdout).toContain(`Stop with: fibre-stack down --dir ${dir}`);
    const v = await cli(['validate', '--json', '--wait', '30', '--dir', dir], noDocker);
    expect(JSON.parse(v.stdout).healthy, v.stdout).toBe(true);
    const recs = pidRecords(join(dir, '.fibre-stack', 'native'));
    expect(recs.length).toBe(4);
    const down = await cli(['down', '--dir', dir], noDocker);
    expect(down.code).toBe(0);
    for (const r of recs) expect(alive(r.pid), r.service).toBe(false);
    // The user's own files are the docker ones still.
    expect(readFileSync(join(dir, 'fibre-stack.yml'), 'utf8')).toMatch(/^mode: docker$/m);
  });
});
