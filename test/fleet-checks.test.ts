// What `validate` makes of a fleet's numbers, without running anything: the agent's queue from its
// /metrics text, the hub's nodes from query results, and the verdicts on both. The real programs
// answering these are in test/fleet-native.test.ts.
import { describe, expect, it } from 'vitest';
import { hubChecks, nodeChecks, nodesSeen, queuesOf, queueVerdict, samplesOf, QUEUE_METRICS, type Series } from '../cli/run/fleet-checks.js';
import { versionIn } from '../cli/run/program-version.js';
import { commandLine, missingDotenv } from '../cli/run/native.js';
import { stackServices } from '../cli/render/stack-services.js';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { specFor, tempDir } from './support/stack.js';
import { stackPrometheusUrl } from '../cli/report/index.js';

// As Prometheus 2.42 in agent mode prints them (one queue, plus a metric we do not read).
const AGENT_METRICS = `# HELP prometheus_remote_storage_samples_pending The number of samples pending in the queues shards to be sent to the remote storage.
# TYPE prometheus_remote_storage_samples_pending gauge
prometheus_remote_storage_samples_pending{remote_name="hub",url="https://hub:8427/api/v1/write"} 12
prometheus_remote_storage_samples_failed_total{remote_name="hub",url="https://hub:8427/api/v1/write"} 3
prometheus_remote_storage_samples_retried_total{remote_name="hub",url="https://hub:8427/api/v1/write"} 250
prometheus_remote_storage_queue_highest_sent_timestamp_seconds{remote_name="hub",url="https://hub:8427/api/v1/write"} 1.7e+09
prometheus_remote_storage_highest_timestamp_in_seconds 1.70000004e+09
prometheus_remote_storage_samples_in_total 999
`;

describe("a node's remote_write queue", () => {
  it('is read from the agent metrics, by queue', () => {
    const queues = queuesOf(samplesOf(AGENT_METRICS, QUEUE_METRICS));
    expect(queues).toEqual([{ remote: 'hub', url: 'https://hub:8427/api/v1/write', pending: 12, failed: 3, retried: 250, lagSeconds: 40 }]);
  });

  it('is healthy while it keeps up, and says what it counted', () => {
    const v = queueVerdict({ remote: 'hub', url: 'u', pending: 12, failed: 3, retried: 250, lagSeconds: 40 });
    expect(v).toEqual({ check: 'remote write u', ok: true, detail: 'sent up to 40 s behind, 12 pending, 3 failed, 250 retried since the agent started' });
  });

  it('is not healthy when it falls behind, or before it sent anything', () => {
    expect(queueVerdict({ remote: 'hub', url: 'u', pending: 9000, failed: 0, retried: 40, lagSeconds: 121 })).toMatchObject({ ok: false, detail: expect.stringMatching(/^sent up to 121 s behind: the hub does not take the writes/) });
    const never = queuesOf(samplesOf(AGENT_METRICS.replace('} 1.7e+09', '} 0'), QUEUE_METRICS));
    expect(never[0].lagSeconds).toBeNull();
    expect(queueVerdict(never[0])).toMatchObject({ ok: false, detail: expect.stringMatching(/^nothing sent yet/) });
  });

  it('is missing when the agent has no remote_write at all', () => {
    expect(nodeChecks({ role: 'node', queues: [] })).toEqual([{ check: 'remote write', ok: false, detail: expect.stringContaining('fleet.hub_url') }]);
  });

  it('reads escaped label values', () => {
    const [s] = samplesOf('prometheus_remote_storage_samples_pending{url="a\\"b\\\\c"} 1\n', QUEUE_METRICS);
    expect(s.labels.url).toBe('a"b\\c');
  });
});

const row = (host: string, site: string, value: number): Series => ({ metric: { host, site }, value: [0, String(value)] });

describe("the hub's nodes", () => {
  const now = 10_000;

  it('are every node with samples, plus each expected one without, in host order', () => {
    const nodes = nodesSeen(['rig-1', 'rig-2', 'rig-9'], now, {
      lastSeen: [row('rig-2', 'porto', now - 5), row('rig-1', 'lisbon', now - 200)],
      failed: [row('rig-1', 'lisbon', 7)],
      retried: [row('rig-1', 'lisbon', 30.4)],
      pending: [row('rig-2', 'porto', 2)],
    });
    expect(nodes).toEqual([
      { host: 'rig-1', site: 'lisbon', lastSampleAgeSeconds: 200, failedLastHour: 7, retriedLastHour: 30.4, pending: 0 },
      { host: 'rig-2', site: 'porto', lastSampleAgeSeconds: 5, failedLastHour: 0, retriedLastHour: 0, pending: 2 },
      { host: 'rig-9', site: '', lastSampleAgeSeconds: null, failedLastHour: 0, retriedLastHour: 0, pending: 0 },
    ]);
    const checks = hubChecks({ role: 'hub', nodes, refusedWrites: 4 });
    expect(checks.map((c) => [c.check, c.ok])).toEqual([
      ['node rig-1', false],
      ['node rig-2', true],
      ['node rig-9', false],
      ['refused writes', true],
    ]);
    expect(checks[0].detail).toBe('site lisbon, last sample 200 s ago: silent (7 failed and 30 retried in the last hour, 0 pending); on the node, `fibre-stack validate` shows its send queue');
    expect(checks[1].detail).toBe('site porto, last sample 5 s ago, 0 failed and 0 retried in the last hour, 2 pending');
    expect(checks[2].detail).toMatch(/^no sample ever reached the hub/);
    expect(checks[3].detail).toBe('4 writes refused by vmauth for an unknown token');
  });

  it('are a failure when there are none at all', () => {
    expect(hubChecks({ role: 'hub', nodes: [], refusedWrites: null })).toEqual([
      { check: 'nodes', ok: false, detail: expect.stringContaining('no node has sent anything') },
      { check: 'refused writes', ok: true, detail: 'vmauth has not been scraped yet' },
    ]);
  });

  it('count a node silent from just over two minutes', () => {
    const at = (age: number) => hubChecks({ role: 'hub', nodes: nodesSeen([], now, { lastSeen: [row('a', 's', now - age)], failed: [], retried: [], pending: [] }), refusedWrites: 0 })[0].ok;
    expect(at(120)).toBe(true);
    expect(at(121)).toBe(false);
  });
});

describe('program versions', () => {
  it('are read from --version texts', () => {
    expect(versionIn('prometheus, version 2.42.0+ds (branch: debian/sid, revision: 2.42.0+ds-5+deb12u1)')).toBe('2.42.0');
    expect(versionIn('prometheus, version 3.14.0 (branch: HEAD, revision: abc)')).toBe('3.14.0');
    expect(versionIn('no number here')).toBeUndefined();
  });
});

describe("a node's agent, natively", () => {
  const spec = specFor({ role: 'node', hubUrl: 'https://hub.example:8427', host: 'rig-1', profiles: ['fibre'] });
  const agent = stackServices(spec).find((s) => s.name === 'prometheus')!;
  /** A stand-in executable that only answers --version as the named Prometheus does. */
  const fakePrometheus = (version: string) => {
    const exe = join(tempDir(), 'prometheus');
    writeFileSync(exe, `#!/bin/sh\necho "prometheus, version ${version} (branch: HEAD)"\n`);
    chmodSync(exe, 0o755);
    return { executable: exe, leadingArgs: [], via: 'PATH' as const };
  };
  const stack = { dir: tempDir(), spec, env: {} };

  it('takes agent mode as a feature from Prometheus 2.x and as --agent from 3.x', () => {
    expect(agent.argv).toContain('--agent');
    const old = commandLine(stack, agent, fakePrometheus('2.42.0+ds')).argv;
    expect(old).toContain('--enable-feature=agent');
    expect(old).not.toContain('--agent');
    const pinned = commandLine(stack, agent, fakePrometheus('3.14.0')).argv;
    expect(pinned).toContain('--agent');
    expect(pinned).not.toContain('--enable-feature=agent');
  });

  it('keeps the rendered flag when the program names no version', () => {
    expect(commandLine(stack, agent, fakePrometheus('unknown')).argv).toContain('--agent');
  });
});

describe("a hub's vmauth, natively", () => {
  const spec = specFor({ role: 'hub', fleetNodes: ['rig-1', 'rig-2'], profiles: ['fibre'] });
  const vmauth = stackServices(spec).find((s) => s.name === 'vmauth')!;

  it('is not started while .env lacks a node token (vmauth would take the placeholder literally)', () => {
    expect(missingDotenv({ dir: '/srv/hub', spec, env: { FLEET_TOKEN_RIG_1: 'a' } }, vmauth)).toEqual(['FLEET_TOKEN_RIG_2']);
    expect(missingDotenv({ dir: '/srv/hub', spec, env: { FLEET_TOKEN_RIG_1: 'a', FLEET_TOKEN_RIG_2: '' } }, vmauth)).toEqual(['FLEET_TOKEN_RIG_2']);
    expect(missingDotenv({ dir: '/srv/hub', spec, env: { FLEET_TOKEN_RIG_1: 'a', FLEET_TOKEN_RIG_2: 'b' } }, vmauth)).toEqual([]);
  });
});

describe('fibre-stack report on a fleet', () => {
  it("asks a hub's engine, as validate does, and refuses a node, whose agent keeps nothing to ask", () => {
    expect(stackPrometheusUrl(specFor({ role: 'hub', fleetNodes: ['rig-1'], mode: 'native', profiles: ['fibre'] }))).toBe('http://127.0.0.1:8428');
    expect(stackPrometheusUrl(specFor({ role: 'hub', fleetNodes: ['rig-1'], engine: 'mimir', mode: 'native', profiles: ['fibre'] }))).toBe('http://127.0.0.1:9009/prometheus');
    expect(stackPrometheusUrl(specFor({ mode: 'native', profiles: ['fibre'] }))).toBe('http://127.0.0.1:9090');
    expect(() => stackPrometheusUrl(specFor({ role: 'node', hubUrl: 'https://hub.example:8427', host: 'rig-1', profiles: ['fibre'] }))).toThrow(
      /fleet node: .*agent mode.*run fibre-stack report on its hub \(https:\/\/hub\.example:8427\), or pass --prometheus URL/,
    );
  });
});
