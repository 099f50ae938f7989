// Never act on someone else's process or files: a pid file is untrusted input (its pid and start
// time are public, its text editable), and symlinks planted in a stack folder are not followed.
// Real processes (a `sleep` standing in for an unrelated program, Debian's prometheus and
// prometheus-alertmanager for the stack) and the built CLI.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { prerequisites } from './support/prereq.js';
import { CLI, cli, testSpec, writeTestStack } from './support/run-stack.js';
import { tempDir } from './support/stack.js';

const ready = prerequisites('run-process-trust', {
  commands: ['prometheus', 'prometheus-alertmanager', 'sleep'],
  check: () => (existsSync(CLI) ? undefined : 'a built CLI (npm run build)'),
});

const alive = (pid: number) => existsSync(`/proc/${pid}`) && !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
const startTicks = (pid: number) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[19];
const noDownloads = { FIBRE_STACK_CACHE: '/nonexistent/fibre-stack-cache' };
const withoutGrafanaLoki = (s: { disabled_services: string[] }) => (s.disabled_services = ['grafana', 'loki']);

/** A pid file as an attacker writes it: every public fact of a live process that is not ours. */
function forgedPidFile(dir: string, service: string, pid: number, extra: Record<string, unknown> = {}): void {
  mkdirSync(join(dir, 'run'), { recursive: true });
  const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  writeFileSync(join(dir, 'run', `${service}.pid`), JSON.stringify({ service, pid, argv, startTicks: startTicks(pid), startedAt: new Date().toISOString(), ...extra }));
}

describe.skipIf(!ready)('down and status never act on a process that is not ours', () => {
  let dir: string;
  let victim: ChildProcess;
  beforeAll(() => {
    dir = writeTestStack(testSpec('native', 29740, withoutGrafanaLoki));
  });
  afterEach(() => {
    if (victim?.pid && alive(victim.pid)) victim.kill('SIGKILL');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a pid file naming an unrelated live process (right pid, start time and command line) does not get it killed', async () => {
    // Started from the stack folder, even: its working folder matches, yet it is not ours.
    victim = spawn('sleep', ['300'], { cwd: dir, stdio: 'ignore' });
    forgedPidFile(dir, 'prometheus', victim.pid!);
    const status = await cli(['status', '--json', '--dir', dir]);
    expect(JSON.parse(status.stdout).services.find((s: { service: string }) => s.service === 'prometheus').running).toBe(false);
    const down = await cli(['down', '--dir', dir]);
    expect(down.code, down.stdout + down.stderr).toBe(0);
    expect(down.stdout).toMatch(/prometheus: was not running/);
    expect(alive(victim.pid!)).toBe(true);
  });

  it('pid 1 is never signalled', async () => {
    forgedPidFile(dir, 'alertmanager', 1);
    const down = await cli(['down', '--dir', dir]);
    expect(down.code).toBe(0);
    expect(down.stdout).not.toMatch(/alertmanager: (stopped|killed)/);
    expect(alive(1)).toBe(true);
  });

  it("a pid file's service field is not used as a path", async () => {
    victim = spawn('sleep', ['300'], { cwd: dir, stdio: 'ignore' });
    const outside = tempDir('trust-outside-');
    writeFileSync(join(outside, 'precious.pid'), 'keep me');
    // run/prometheus.pid claims the service ../../<outside>/precious: removing "its" pid file would delete that file.
    const rel = relative(join(dir, 'run'), join(outside, 'precious'));
    forgedPidFile(dir, 'prometheus', victim.pid!, { service: rel });
    await cli(['down', '--dir', dir]);
    expect(readFileSync(join(outside, 'precious.pid'), 'utf8')).toBe('keep me');
    rmSync(outside, { recursive: true, force: true });
  });
});

describe.skipIf(!ready)('symlinks in a stack folder are not followed', () => {
  let dir: string;
  let outside: string;
  beforeAll(() => {
    dir = writeTestStack(testSpec('native', 29760, withoutGrafanaLoki));
    outside = tempDir('trust-outside-');
  });
  afterAll(async () => {
    await cli(['down', '--dir', dir]);
    rmSync(dir, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('down --volumes refuses a data folder that leads outside the stack, and deletes nothing there', async () => {
    mkdirSync(join(outside, 'prometheus'), { recursive: true });
    writeFileSync(join(outside, 'prometheus', 'precious'), 'keep me');
    symlinkSync(outside, join(dir, 'data'));
    const down = await cli(['down', '--volumes', '--dir', dir]);
    expect(down.code).toBe(2);
    expect(down.stderr).toMatch(/outside the stack folder/);
    expect(readFileSync(join(outside, 'prometheus', 'precious'), 'utf8')).toBe('keep me');
    rmSync(join(dir, 'data'));
  });

  it('up neither appends its log nor writes its pid file through a symlink planted in their place', async () => {
    outside = tempDir('trust-outside-');
    const victimLog = join(outside, 'victim.log');
    const victimPid = join(outside, 'victim.pid');
    writeFileSync(victimLog, 'original\n');
    writeFileSync(victimPid, 'original\n');
    mkdirSync(join(dir, 'logs'), { recursive: true });
    mkdirSync(join(dir, 'run'), { recursive: true });
    symlinkSync(victimLog, join(dir, 'logs', 'prometheus.log'));
    symlinkSync(victimPid, join(dir, 'run', 'alertmanager.pid'));
    const refused = await cli(['up', '--native', '--detach', '--dir', dir], noDownloads);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/prometheus\.log is not a plain file/);
    expect(readFileSync(victimLog, 'utf8')).toBe('original\n');
    rmSync(join(dir, 'logs', 'prometheus.log'));
    const up = await cli(['up', '--native', '--detach', '--dir', dir], noDownloads);
    expect(up.code, up.stdout + up.stderr).toBe(0);
    expect(readFileSync(victimPid, 'utf8')).toBe('original\n');
    // The pid file was replaced by a file of its own, not written through the link.
    expect(lstatSync(join(dir, 'run', 'alertmanager.pid')).isSymbolicLink()).toBe(false);
    expect(readdirSync(outside).sort()).toEqual(['victim.log', 'victim.pid']);
  });
});
