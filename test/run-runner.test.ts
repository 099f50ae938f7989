// The runner seam: which runner a stack command gets (chosen once, in cli/run/choose-runner.ts),
// the docker-to-native fallback of `up`, and what each runner says of a service, which status and
// validate both read. Stacks are rendered by the real renderer; nothing is started here.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runningStack, runnerToStart } from '../cli/run/choose-runner.js';
import { dockerRunner, containerStates } from '../cli/run/docker-runner.js';
import { nativeRunner, processStates } from '../cli/run/native-runner.js';
import { NATIVE_VARIANT_DIR } from '../cli/run/native-variant.js';
import { startTicksOf, writePidRecord, writeUnavailable } from '../cli/run/pidfile.js';
import { loadStack } from '../cli/run/stack-dir.js';
import { validateStack } from '../cli/run/validation.js';
import { describeProbe } from '../cli/run/probe.js';
import { stackServices } from '../cli/render/stack-services.js';
import type { ContainerState } from '../cli/run/docker.js';
import { prerequisites } from './support/prereq.js';
import { testSpec, writeTestStack } from './support/run-stack.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function stack(mode: 'docker' | 'native') {
  const dir = writeTestStack(testSpec(mode, 29700, (s) => (s.disabled_services = ['grafana', 'loki'])));
  dirs.push(dir);
  return dir;
}

const quiet = () => {
  const lines: string[] = [];
  return { lines, say: (line: string) => lines.push(line) };
};

describe('the runner of a stack that runs (down, status, logs, validate)', () => {
  it('is the native runner for a native stack', () => {
    const dir = stack('native');
    expect(runningStack(dir)).toEqual({ stack: loadStack(dir), runner: nativeRunner });
  });

  it('is the docker runner for a docker stack that left no native records', () => {
    const dir = stack('docker');
    expect(runningStack(dir).runner).toBe(dockerRunner);
  });

  it('is the native runner for a docker stack with pid files, or records of programs it could not have', () => {
    const withPid = stack('docker');
    writePidRecord(withPid, { service: 'prometheus', pid: 4242, argv: ['prometheus'], startTicks: '1', startedAt: new Date().toISOString() });
    expect(runningStack(withPid).runner).toBe(nativeRunner);
    const withUnavailable = stack('docker');
    writeUnavailable(withUnavailable, { service: 'prometheus', reason: 'not found', remedy: 'install it' });
    expect(runningStack(withUnavailable).runner).toBe(nativeRunner);
  });

  it('is the native runner on the native twin when `up` ran the docker stack there', async () => {
    const dir = stack('docker');
    await runnerToStart(loadStack(dir), { native: true, say: quiet().say });
    const twin = join(dir, NATIVE_VARIANT_DIR);
    // Written but not started: the stack folder is still the one that runs.
    expect(runningStack(dir).stack.dir).toBe(dir);
    writePidRecord(twin, { service: 'prometheus', pid: 1, argv: ['prometheus'], startTicks: '1', startedAt: new Date().toISOString() });
    const running = runningStack(dir);
    expect(running.runner).toBe(nativeRunner);
    expect(running.stack.dir).toBe(twin);
  });
});

describe('the runner `up` starts a stack with', () => {
  const dockerHost = process.env.DOCKER_HOST;
  afterEach(() => {
    if (dockerHost === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = dockerHost;
  });

  it('is the native runner on the stack itself for a native stack', async () => {
    const dir = stack('native');
    const out = quiet();
    const start = await runnerToStart(loadStack(dir), { native: false, say: out.say });
    expect(start.runner).toBe(nativeRunner);
    expect(start.stack.dir).toBe(dir);
    expect(existsSync(join(dir, NATIVE_VARIANT_DIR))).toBe(false);
    expect(out.lines).toEqual([]);
  });

  it('with --native, is the native runner on the docker stack’s native twin, leaving the stack’s files alone', async () => {
    const dir = stack('docker');
    const compose = readFileSync(join(dir, 'docker-compose.yml'), 'utf8');
    const out = quiet();
    const start = await runnerToStart(loadStack(dir), { native: true, say: out.say });
    expect(start.runner).toBe(nativeRunner);
    expect(start.stack.dir).toBe(join(dir, NATIVE_VARIANT_DIR));
    expect(start.stack.spec.mode).toBe('native');
    expect(readFileSync(join(dir, 'docker-compose.yml'), 'utf8')).toBe(compose);
    expect(out.lines.join('\n')).toContain('its native twin');
  });

  it('falls back to the native twin, saying why, when Docker does not answer', async () => {
    const dir = stack('docker');
    process.env.DOCKER_HOST = `unix://${join(dir, 'no-docker.sock')}`;
    const out = quiet();
    const start = await runnerToStart(loadStack(dir), { native: false, say: out.say });
    expect(start.runner).toBe(nativeRunner);
    expect(start.stack.dir).toBe(join(dir, NATIVE_VARIANT_DIR));
    expect(out.lines[0]).toMatch(/no-docker\.sock.*: running natively instead\.$/);
  });

  const docker = prerequisites('run-runner', { commands: ['docker-compose'], docker: true });
  it.skipIf(!docker)('is the docker runner for a docker stack where Docker and compose answer', async () => {
    const dir = stack('docker');
    const start = await runnerToStart(loadStack(dir), { native: false, say: quiet().say });
    expect(start.runner).toBe(dockerRunner);
    expect(start.stack.dir).toBe(dir);
  });
});

describe('what the runners say of each service', () => {
  const container = (service: string, health: string, state = 'running', exitCode = 0, publishedPorts: number[] = [29700, 29701]): [string, ContainerState] => [
    service,
    { service, id: service, state, health, exitCode, publishedPorts },
  ];

  it('docker: running and healthy, or what is wrong; exporters are reached on the stack network only', () => {
    const services = stackServices(loadStack(stack('docker')).spec);
    const states = containerStates(services, new Map([container('prometheus', 'healthy'), container('alertmanager', 'none'), container('fibre-exporter', 'healthy')]));
    expect([...states.keys()]).toEqual(['prometheus', 'alertmanager', 'node-exporter', 'cadvisor', 'fibre-exporter']);
    expect(states.get('prometheus')).toEqual({
      service: 'prometheus',
      check: 'container',
      running: true,
      detail: 'running, healthy',
      reachableFromHost: true,
      identity: { ours: true, detail: 'port 29700 is published by its container' },
    });
    expect(states.get('alertmanager')!.detail).toBe('running, no healthcheck');
    expect(states.get('fibre-exporter')!.reachableFromHost).toBe(false);
    expect(containerStates(services, new Map()).get('prometheus')).toMatchObject({ running: false, detail: 'no container (not started)' });
    expect(containerStates(services, new Map([container('prometheus', 'healthy', 'exited')])).get('prometheus')).toMatchObject({ running: false, down: 'stopped', detail: 'container exited' });
    expect(containerStates(services, new Map([container('prometheus', 'healthy', 'exited', 137)])).get('prometheus')).toMatchObject({ running: false, down: 'crashed' });
    // Running, but another port than the one it is asked on: what answers there is not it.
    expect(containerStates(services, new Map([container('prometheus', 'healthy', 'running', 0, [9999])])).get('prometheus')!.identity!.ours).toBe(false);
    // node_exporter runs on the host's network, publishing nothing: running, it holds its port itself.
    expect(containerStates(services, new Map([container('node-exporter', 'healthy', 'running', 0, [])])).get('node-exporter')).toMatchObject({
      running: true, reachableFromHost: true, identity: { ours: true, detail: "its container runs on the host's network and holds port 29707 itself" },
    });
  });

  it('native: a pid file of a process that is not ours, a stale pid file, a program that could not be had, or not started', () => {
    const dir = stack('native');
    writePidRecord(dir, { service: 'prometheus', pid: process.pid, argv: ['node'], startTicks: startTicksOf(process.pid)!, startedAt: new Date().toISOString() });
    writePidRecord(dir, { service: 'alertmanager', pid: process.pid, argv: ['alertmanager'], startTicks: '1', startedAt: new Date().toISOString() });
    writeUnavailable(dir, { service: 'fibre-exporter', reason: 'main.js is missing', remedy: 'npm run build' });
    const states = processStates(loadStack(dir));
    expect(states.get('prometheus')).toMatchObject({ running: false, down: 'crashed', detail: `crashed: pid ${process.pid} is never one of ours; see logs/prometheus.log` });
    expect(states.get('alertmanager')).toMatchObject({ running: false, down: 'crashed' });
    expect(states.get('fibre-exporter')).toMatchObject({ running: false, unavailable: { reason: 'main.js is missing', remedy: 'npm run build' } });
    const fresh = processStates(loadStack(stack('native')));
    expect(fresh.get('prometheus')).toMatchObject({ running: false, down: 'stopped', detail: 'stopped (fibre-stack up starts it)' });
  });

  it('validate reports a program that could not be had as unavailable, and judges an unreachable service by its runner alone', async () => {
    const dir = stack('native');
    writeUnavailable(dir, { service: 'prometheus', reason: 'prometheus not found', remedy: 'apt-get install prometheus' });
    const native = await validateStack(loadStack(dir), processStates(loadStack(dir)));
    expect(native[0]).toEqual({ service: 'prometheus', status: 'unavailable', checks: [{ check: 'program', ok: false, detail: 'prometheus not found; to fix: apt-get install prometheus' }] });

    const docker = loadStack(stack('docker'));
    const states = containerStates(stackServices(docker.spec), new Map([container('fibre-exporter', 'healthy')]));
    const exporter = (await validateStack(docker, states)).find((r) => r.service === 'fibre-exporter');
    expect(exporter).toEqual({ service: 'fibre-exporter', status: 'healthy', checks: [{ check: 'container', ok: true, detail: 'running, healthy' }] });
  });
});

describe('a probe in words', () => {
  it('fits one line of a table, even when the answer is a whole page', () => {
    const page = '<html>\n\t\t\t<head><title>Node Exporter</title></head>\n\t\t\t<body>';
    expect(describeProbe({ status: 200, body: page })).toBe('HTTP 200: <html> <head><title>Node Exporter</title></head> <body>');
    expect(describeProbe({ status: 503, body: '' })).toBe('HTTP 503');
    expect(describeProbe({ status: 0, body: '', error: 'connection refused' })).toBe('connection refused');
  });
});
