// A fleet on this machine with real programs, every file made by `fibre-stack create`: a hub
// (Debian's VictoriaMetrics 1.79.5, vmalert, vmauth with the TLS certificate create made, and
// Alertmanager 0.25 sending to a capture endpoint) and three nodes (Prometheus 2.42 in agent mode,
// two replay exporters and a miner exporter following a log), each on its own ports.
// Heavy (about 12 minutes): run under flock /tmp/heavy-tests.lock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { request } from 'node:https';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { prerequisites } from './support/prereq.js';
import { CLI, cli } from './support/run-stack.js';
import { createHub, createNode, hubPorts, mustCli, tmpRoot, vmExport, vmQuery } from './support/fleet.js';
import { eventually } from './support/scrape.js';
import { tokenminer } from './support/miner-lines.js';
import { pidRecords } from '../cli/run/pidfile.js';
import { probe, sleep } from '../cli/run/probe.js';

const ready = prerequisites('fleet-native', {
  commands: ['prometheus', 'prometheus-alertmanager', 'victoria-metrics', 'vmalert', 'vmauth'],
  check: () => (existsSync(CLI) ? undefined : 'a built CLI (npm run build)'),
});

const BASE = 29700;
const HUB = hubPorts(BASE);
const VM = `http://127.0.0.1:${HUB.vm}`;
const VMAUTH = `https://127.0.0.1:${HUB.vmauth}`;
const NODES = [
  // rig-1 watches this machine with node_exporter (the nodes share it; one is enough).
  { host: 'rig-1', site: 'lisbon', port: BASE + 10, profile: 'fibre' as const, nodeExporterPort: BASE + 7 },
  { host: 'rig-2', site: 'porto', port: BASE + 12, profile: 'miner' as const },
  { host: 'rig-3', site: 'porto', port: BASE + 14, profile: 'fibre' as const },
] as { host: string; site: string; port: number; profile: 'fibre' | 'miner'; nodeExporterPort?: number }[];
const IMPOSTOR_PORT = BASE + 16;
/** The nodes' scrape interval, as create renders it. */
const SCRAPE_SECONDS = 15;
// No cache and no network: every program comes from PATH.
const ENV = { FIBRE_STACK_CACHE: '/nonexistent/fibre-stack-cache' };

interface AmAlert {
  status: string;
  labels: Record<string, string>;
}

/** A POST over https trusting the hub's CA; resolves with the status. */
function postTo(url: string, ca: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', ca, headers: { 'content-type': 'application/x-protobuf', ...headers } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end('not a write request');
  });
}

/** vmauth's own counter of requests with a token it does not know (VictoriaMetrics@v1.79.5:app/vmauth/main.go). */
async function invalidTokenCount(ca: string): Promise<number> {
  const p = await probe(`${VMAUTH}/metrics`, { ca, timeoutMs: 5000 });
  const m = /^vmauth_http_request_errors_total\{reason="invalid_auth_token"\} (\S+)$/m.exec(p.body);
  if (!m) throw new Error(`vmauth /metrics has no invalid_auth_token counter: ${p.status} ${p.body.slice(0, 200)}`);
  return Number(m[1]);
}

describe.skipIf(!ready)('a fleet: a hub and three nodes on this machine', () => {
  let root: string;
  let hubDir: string;
  let ca: string;
  const nodeDirs = new Map<string, string>();
  const received: AmAlert[] = [];
  let capture: Server;
  let impostor: ChildProcess | undefined;

  beforeAll(async () => {
    root = tmpRoot('fleet');
    // What Alertmanager delivers: its webhook JSON, kept whole.
    capture = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push(...((JSON.parse(body) as { alerts: AmAlert[] }).alerts ?? []));
        res.end('ok');
      });
    });
    await new Promise<void>((r) => capture.listen(0, '127.0.0.1', r));
    const webhook = `http://127.0.0.1:${(capture.address() as { port: number }).port}/alerts`;
    hubDir = await createHub(root, BASE, NODES.map((n) => n.host), { webhook, profiles: 'fibre,miner' });
    ca = readFileSync(join(hubDir, 'fleet', 'tls', 'ca.crt'), 'utf8');
    // rig-2's card runs hot from the start: MinerTemperatureCritical (for 2m) fires on the hub.
    const minerLog = join(root, 'miner.log');
    writeFileSync(minerLog, tokenminer(1.2, 500, 0.5, 95, 0.8));
    for (const n of NODES) nodeDirs.set(n.host, await createNode(root, hubDir, VMAUTH, { ...n, minerLog }));
    await mustCli(['up', '--native', '--detach', '--dir', hubDir], ENV);
    for (const dir of nodeDirs.values()) await mustCli(['up', '--native', '--detach', '--dir', dir], ENV);
  }, 240_000);

  afterAll(async () => {
    impostor?.kill('SIGKILL');
    for (const dir of [...nodeDirs.values(), hubDir]) if (dir) await cli(['down', '--dir', dir]);
    capture?.close();
    rmSync(root, { recursive: true, force: true });
  }, 120_000);

  it("gets every node's series to the hub with its host, site and node labels", async () => {
    await eventually(async () => {
      for (const n of NODES) {
        const up = await vmQuery(VM, `up{host="${n.host}"}`);
        const jobs = [n.profile, ...(n.nodeExporterPort ? ['node-exporter'] : []), 'prometheus'];
        expect(up.map((s) => [s.metric.job, s.metric.site]).sort(), n.host).toEqual(jobs.map((job) => [job, n.site]));
        // The exporters' own labels survive beside host and site: `node` on the FIBRE profile's
        // series, `card` on the miner's (per card, it has no node label).
        const own = n.profile === 'fibre' ? 'node' : 'card';
        const exporter = await vmQuery(VM, `count by (host, site, ${own}) ({job="${n.profile}", host="${n.host}", ${own}!=""})`);
        expect(exporter.map((s) => s.metric), n.host).toEqual([{ host: n.host, site: n.site, [own]: n.profile === 'fibre' ? expect.any(String) : 'card0' }]);
      }
      // A node's host metrics arrive through its agent with its labels; the hub's own node_exporter
      // is scraped by VictoriaMetrics, without them.
      expect((await vmQuery(VM, 'node_uname_info{job="node-exporter"}')).map((s) => s.metric.host ?? '').sort()).toEqual(['', 'rig-1']);
    }, 120_000, 2000);
  }, 150_000);

  it('validate on the hub lists every node with the age of its last sample and its send errors', async () => {
    const v = await cli(['validate', '--json', '--wait', '60', '--dir', hubDir]);
    const report = JSON.parse(v.stdout);
    expect(report.fleet.role, v.stdout).toBe('hub');
    expect(report.fleet.nodes.map((n: { host: string; site: string }) => [n.host, n.site])).toEqual(NODES.map((n) => [n.host, n.site]));
    for (const n of report.fleet.nodes) {
      expect(n.lastSampleAgeSeconds).toBeGreaterThanOrEqual(0);
      expect(n.lastSampleAgeSeconds).toBeLessThanOrEqual(120);
      expect(n).toMatchObject({ failedLastHour: expect.any(Number), retriedLastHour: expect.any(Number), pending: expect.any(Number) });
    }
    expect(report.healthy, v.stdout).toBe(true);
    expect(v.code).toBe(0);
    const table = await cli(['validate', '--dir', hubDir]);
    expect(table.stdout).toMatch(/node rig-2\s+ok\s+site porto, last sample \d+ s ago, \d+ failed and \d+ retried in the last hour/);
  }, 120_000);

  it('report on the hub shows each machine\'s nodes apart, from the up series the agents send', async () => {
    const r = await cli(['report', '--json', '--dir', hubDir]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const model = JSON.parse(r.stdout) as { sections: { id: string; nodes: { name: string; host?: string; job: string; state: string }[] }[] };
    const nodesOf = (id: string) => (model.sections.find((s) => s.id === id)?.nodes ?? []).map((n) => [n.host, n.job, n.state === 'red' ? 'red' : 'answering']).sort();
    // rig-1 and rig-3 both run a FIBRE node of the default name: two nodes, one per machine.
    expect(nodesOf('fibre'), r.stdout).toEqual([['rig-1', 'fibre', 'answering'], ['rig-3', 'fibre', 'answering']]);
    expect(nodesOf('miner'), r.stdout).toEqual([['rig-2', 'miner', 'answering']]);
  }, 60_000);

  it("validate on a node shows its agent's remote_write queue", async () => {
    const v = await cli(['validate', '--json', '--wait', '60', '--dir', nodeDirs.get('rig-1')!]);
    const report = JSON.parse(v.stdout);
    expect(report.fleet, v.stdout).toEqual({
      role: 'node',
      queues: [{ remote: 'hub', url: `${VMAUTH}/api/v1/write`, pending: expect.any(Number), failed: 0, retried: expect.any(Number), lagSeconds: expect.any(Number) }],
    });
    expect(report.healthy).toBe(true);
    const prometheus = report.services.find((s: { service: string }) => s.service === 'prometheus');
    // An agent has no rules API: the queue stands in for the rules check.
    expect(prometheus.checks.map((c: { check: string }) => c.check)).toEqual(['process', 'listener', 'ready', 'scrape targets', `remote write ${VMAUTH}/api/v1/write`]);
  }, 90_000);

  it('refuses a write without a token or with a wrong one, and counts the wrong one', async () => {
    const before = await invalidTokenCount(ca);
    expect((await postTo(`${VMAUTH}/api/v1/write`, ca, {})).status).toBe(401);
    // 1.79.5 answers an unknown token with 400 (httpserver.Errorf), later versions with 401: refused either way.
    expect([400, 401]).toContain((await postTo(`${VMAUTH}/api/v1/write`, ca, { authorization: 'Bearer not-a-node-token' })).status);
    // vmauth renders /metrics at most once a second (VictoriaMetrics@v1.79.5:lib/httpserver/metrics.go).
    await eventually(async () => expect(await invalidTokenCount(ca)).toBe(before + 1), 5000, 300);
    // The hub scrapes vmauth, and validate reports the count from there.
    await eventually(async () => {
      const v = await cli(['validate', '--json', '--dir', hubDir]);
      expect(JSON.parse(v.stdout).fleet.refusedWrites).toBeGreaterThanOrEqual(1);
    }, 90_000, 3000);
  }, 120_000);

  it("pins a node's host to its token: a node claiming another host is stored as itself", async () => {
    // A hostile or broken node: rig-2's token, every series labelled host="rig-1".
    const dir = join(root, 'impostor');
    mkdirSync(dir);
    writeFileSync(join(dir, 'token'), readFileSync(join(hubDir, 'fleet', 'nodes', 'rig-2.token')), { mode: 0o600 });
    writeFileSync(join(dir, 'ca.crt'), ca);
    writeFileSync(
      join(dir, 'agent.yml'),
      [
        'global: {scrape_interval: 2s, external_labels: {host: rig-1, site: elsewhere}}',
        `scrape_configs: [{job_name: impostor, static_configs: [{targets: ['127.0.0.1:${IMPOSTOR_PORT}']}]}]`,
        `remote_write: [{url: '${VMAUTH}/api/v1/write', authorization: {credentials_file: token}, tls_config: {ca_file: ca.crt}}]`,
      ].join('\n'),
    );
    impostor = spawn('prometheus', ['--enable-feature=agent', '--config.file=agent.yml', '--storage.agent.path=data', `--web.listen-address=127.0.0.1:${IMPOSTOR_PORT}`], { cwd: dir, stdio: 'ignore' });
    const stored = await eventually(async () => {
      const r = await vmQuery(VM, 'up{job="impostor"}');
      expect(r).not.toEqual([]);
      return r;
    }, 90_000, 1000);
    expect(stored.map((s) => s.metric.host)).toEqual(['rig-2']);
    impostor.kill('SIGTERM');
  }, 120_000);

  it("fires the hub's rules on the nodes' data and delivers them through Alertmanager", async () => {
    // rig-3 goes silent now; its alert is awaited in the next test, this one's meanwhile.
    await mustCli(['down', '--dir', nodeDirs.get('rig-3')!]);
    const hot = await eventually(() => {
      const a = received.find((x) => x.labels.alertname === 'MinerTemperatureCritical' && x.status === 'firing');
      expect(a, JSON.stringify(received.map((x) => x.labels))).toBeDefined();
      return a!;
    }, 360_000, 2000);
    expect(hot.labels).toMatchObject({ host: 'rig-2', site: 'porto', job: 'miner', severity: 'critical' });
  }, 400_000);

  it('raises FleetNodeSilent for the node that went silent, and only for it; validate names it', async () => {
    const silent = await eventually(() => {
      const a = received.filter((x) => x.labels.alertname === 'FleetNodeSilent' && x.status === 'firing');
      expect(a.map((x) => x.labels.host)).toContain('rig-3');
      return a;
    }, 480_000, 2000);
    // The impostor's host="rig-2", site="elsewhere" went silent too when it stopped; the real nodes did not.
    expect(silent.map((x) => `${x.labels.host}/${x.labels.site}`)).not.toContain('rig-1/lisbon');
    expect(silent.map((x) => `${x.labels.host}/${x.labels.site}`)).not.toContain('rig-2/porto');
    expect(silent.find((x) => x.labels.host === 'rig-3')!.labels).toMatchObject({ site: 'porto', severity: 'critical' });
    const v = await cli(['validate', '--json', '--dir', hubDir]);
    expect(v.code).toBe(1);
    const rig3 = JSON.parse(v.stdout).services.find((s: { service: string }) => s.service === 'fleet').checks.find((c: { check: string }) => c.check === 'node rig-3');
    expect(rig3).toMatchObject({ ok: false, detail: expect.stringMatching(/^site porto, last sample \d+ s ago: silent/) });
  }, 520_000);

  it('keeps every sample through a hub outage of over 60 s: the agents send their write-ahead log when it returns', async () => {
    const stopped = pidRecords(hubDir).filter((r) => r.service === 'victoria-metrics' || r.service === 'vmauth');
    expect(stopped.map((r) => r.service).sort()).toEqual(['victoria-metrics', 'vmauth']);
    const downAt = Date.now() / 1000;
    for (const r of stopped) process.kill(r.pid, 'SIGTERM');
    await sleep(65_000);
    await mustCli(['up', '--native', '--detach', '--dir', hubDir], ENV);
    const upAt = Date.now() / 1000;
    const live = NODES.filter((n) => n.host !== 'rig-3');
    // Caught up: each node's newest sample at the hub is well after the outage.
    const series = await eventually(async () => {
      const all = await Promise.all(live.map((n) => vmExport(VM, `fibre_exporter_events_processed_total{host="${n.host}"}`, Math.floor(downAt - 120))));
      for (const [i, s] of all.entries()) {
        expect(s.length, live[i].host).toBeGreaterThan(0);
        for (const one of s) expect(one.timestamps.at(-1)! / 1000).toBeGreaterThan(upAt + 2 * SCRAPE_SECONDS);
      }
      return all.flat();
    }, 180_000, 2000);
    for (const s of series) {
      const ts = s.timestamps.map((t) => t / 1000).filter((t) => t >= downAt - 60 && t <= upAt + 2 * SCRAPE_SECONDS);
      // The window spans the outage, and every scrape in it is there: no step longer than the interval.
      expect(ts[0], JSON.stringify(s.metric)).toBeLessThan(downAt);
      expect(ts.at(-1)).toBeGreaterThan(upAt);
      const steps = ts.slice(1).map((t, i) => t - ts[i]);
      for (const step of steps) expect(Math.abs(step - SCRAPE_SECONDS), `${JSON.stringify(s.metric)} steps ${steps.join(',')}`).toBeLessThan(1);
    }
  }, 420_000);
});
