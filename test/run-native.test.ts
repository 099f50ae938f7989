// Native mode with real programs: Debian's prometheus and prometheus-alertmanager on PATH and the
// replay exporter. Grafana, Loki and Alloy do not exist here, so they are disabled in the spec;
// the case where they are wanted but missing is tested on its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
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

  it('up --native --detach starts Prometheus, Alertmanager and the exporter and returns', async () => {
    const up = await cli(['up', '--native', '--detach', '--dir', dir], env);
    expect(up.stderr).toBe('');
    expect(up.code).toBe(0);
    started = pidRecords(dir);
    expect(started.map((r) => r.service).sort()).toEqual(['alertmanager', 'fibre-exporter', 'prometheus']);
    for (const r of started) expect(alive(r.pid)).toBe(true);
    expect(up.stdout).toMatch(/prometheus\s+ready in/);
  });

  it('validate is all green: targets up, rules loaded, exporter healthy, disabled services skipped', async () => {
    const v = await cli(['validate', '--json', '--wait', '30', '--dir', dir]);
    const report = JSON.parse(v.stdout);
    expect(report.healthy, v.stdout).toBe(true);
    expect(v.code).toBe(0);
    const byName = Object.fromEntries(report.services.map((s: { service: string }) => [s.service, s]));
    expect(byName.grafana.status).toBe('skipped');
    const checks = byName.prometheus.checks.map((c: { check: string; ok: boolean }) => [c.check, c.ok]);
    expect(checks).toEqual([['process', true], ['ready', true], ['scrape targets', true], ['rules', true]]);
    expect(byName['fibre-exporter'].status).toBe('healthy');
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
    expect(pidRecords(dir).map((r) => r.service).sort()).toEqual(['alertmanager', 'fibre-exporter', 'prometheus']);
    const v = await cli(['validate', '--json', '--wait', '20', '--dir', dir]);
    expect(v.code).toBe(1);
    const report = JSON.parse(v.stdout);
    const status = Object.fromEntries(report.services.map((s: { service: string; status: string }) => [s.service, s.status]));
    expect(status).toEqual({ prometheus: 'healthy', alertmanager: 'healthy', grafana: 'unavailable', loki: 'unavailable', alloy: 'unavailable', 'fibre-exporter': 'healthy' });
  });
});
