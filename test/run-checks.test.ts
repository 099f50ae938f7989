// What `validate` concludes from what the services answer: the verdicts on Prometheus's and
// Grafana's API answers, what the stack folder says must be there, and the checks run against
// real HTTP servers on loopback standing in for the services. A core service is ready on HTTP 200
// only, and an exporter's /health on HTTP 200 with the body OK. Which services there are and where
// they are asked comes from the stack's own service list, for a stack rendered on the servers' ports.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  dashboardsVerdict,
  datasourceHealthVerdict,
  expectedRuleGroups,
  grafanaAuth,
  grafanaChecks,
  grafanaHealthVerdict,
  prometheusChecks,
  provisionedDashboards,
  provisionedDatasources,
  readinessCheck,
  rulesVerdict,
  targetsVerdict,
} from '../cli/run/checks.js';
import { loadStack } from '../cli/run/stack-dir.js';
import { stackServices } from '../cli/render/stack-services.js';
import { tempDir } from './support/stack.js';
import { testSpec, writeTestStack } from './support/run-stack.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Requests the servers got: path and Authorization header. */
const asked: { url: string; auth?: string }[] = [];

/** A loopback HTTP server answering each path with a fixed status and body (404 otherwise). */
async function answering(routes: Record<string, [number, string]>): Promise<number> {
  const server = createServer((req, res) => {
    asked.push({ url: req.url ?? '', auth: req.headers.authorization });
    const [status, body] = routes[req.url ?? ''] ?? [404, 'not found'];
    res.writeHead(status, { 'content-type': 'text/plain' }).end(body);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** The stack's Prometheus and FIBRE exporter, as validate asks them, on the given ports. */
function services(prometheusPort: number, exporterPort: number) {
  const spec = testSpec('native', 29400, (s) => {
    s.ports.prometheus = prometheusPort;
    s.profiles.fibre![0].exporter_port = exporterPort;
  });
  const all = stackServices(spec);
  return { prometheus: all.find((s) => s.name === 'prometheus')!, exporter: all.find((s) => s.name === 'fibre-exporter')! };
}

describe('readiness of a core service', () => {
  it('is passed by HTTP 200, whatever the body', async () => {
    const port = await answering({ '/-/ready': [200, 'Prometheus Server is Ready.\n'] });
    const { prometheus } = services(port, port);
    expect(await readinessCheck(prometheus)).toEqual({ check: 'ready', ok: true, detail: `http://127.0.0.1:${port}/-/ready: HTTP 200: Prometheus Server is Ready.` });
  });

  it('is not passed by a service that answers but is not ready (HTTP 503)', async () => {
    const port = await answering({ '/-/ready': [503, 'Service Unavailable'] });
    const { prometheus } = services(port, port);
    expect(await readinessCheck(prometheus)).toEqual({ check: 'ready', ok: false, detail: `http://127.0.0.1:${port}/-/ready: HTTP 503: Service Unavailable` });
  });

  it('is not passed by a redirect either, which a probe does not follow', async () => {
    const port = await answering({ '/-/ready': [302, ''] });
    const { prometheus } = services(port, port);
    expect(await readinessCheck(prometheus)).toEqual({ check: 'ready', ok: false, detail: `http://127.0.0.1:${port}/-/ready: HTTP 302` });
  });

  it('is not passed when nothing listens', async () => {
    const port = await answering({});
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const { prometheus } = services(port, port);
    expect(await readinessCheck(prometheus)).toEqual({ check: 'ready', ok: false, detail: `http://127.0.0.1:${port}/-/ready: connection refused` });
  });
});

describe('health of an exporter', () => {
  it('is passed by HTTP 200 with the body OK', async () => {
    const port = await answering({ '/health': [200, 'OK\n'] });
    const { exporter } = services(port, port);
    expect(await readinessCheck(exporter)).toEqual({ check: 'health', ok: true, detail: `http://127.0.0.1:${port}/health: HTTP 200: OK` });
  });

  it.each<[number, string]>([
    [200, 'waiting for bitcoind'],
    [503, 'OK'],
    [503, 'bitcoind is not running'],
  ])('is not passed by HTTP %i with the body %j', async (status, body) => {
    const port = await answering({ '/health': [status, body] });
    const { exporter } = services(port, port);
    expect(await readinessCheck(exporter)).toEqual({ check: 'health', ok: false, detail: `http://127.0.0.1:${port}/health: HTTP ${status}: ${body}` });
  });
});

describe('verdicts on Prometheus answers', () => {
  const target = (job: string, health: string, lastError = '') => ({ labels: { job }, scrapeUrl: `http://127.0.0.1:9/${job}`, health, lastError });

  it('all targets up, saying which jobs were not counted', () => {
    const body = { data: { activeTargets: [target('prometheus', 'up'), target('fibre', 'up'), target('grafana', 'down', 'connection refused')] } };
    expect(targetsVerdict(body, new Set(['grafana', 'loki']))).toEqual({ ok: true, detail: '2 targets up (not counting grafana, loki: not running)' });
    expect(targetsVerdict({ data: { activeTargets: [target('prometheus', 'up')] } })).toEqual({ ok: true, detail: '1 targets up' });
  });

  it('names every target down, with its error when it has one', () => {
    const body = { data: { activeTargets: [target('prometheus', 'up'), target('fibre', 'down', 'connection refused'), { health: 'unknown' }] } };
    expect(targetsVerdict(body)).toEqual({ ok: false, detail: 'fibre http://127.0.0.1:9/fibre down: connection refused; ?  unknown' });
  });

  it('fails with no targets at all', () => {
    for (const body of [{}, { data: {} }, { data: { activeTargets: [target('grafana', 'up')] } }]) {
      expect(targetsVerdict(body, new Set(['grafana']))).toEqual({ ok: false, detail: 'no active scrape targets (are the file_sd target files there?)' });
    }
  });

  it('rules: every expected group loaded and no rule in error, counting groups and rules', () => {
    const groups = [{ name: 'fibre', rules: [{ name: 'A', health: 'ok' }, { name: 'B', health: 'ok' }] }, { name: 'stack', rules: [{ name: 'C', health: 'ok' }] }, { name: 'empty' }];
    expect(rulesVerdict({ data: { groups } }, ['fibre', 'stack'])).toEqual({ ok: true, detail: '3 groups, 3 rules, no errors' });
    expect(rulesVerdict({}, ['fibre', 'stack'])).toEqual({ ok: false, detail: 'rule groups not loaded: fibre, stack' });
    const broken = [{ name: 'g', rules: [{ name: 'x', health: 'err' }, { name: 'y', health: 'ok', lastError: 'many-to-many matching not allowed' }, { name: 'z', health: 'ok' }] }];
    expect(rulesVerdict({ data: { groups: broken } }, [])).toEqual({ ok: false, detail: 'g/x: err; g/y: many-to-many matching not allowed' });
  });
});

describe('verdicts on Grafana answers', () => {
  it('health: the database ok, with the version when given', () => {
    expect(grafanaHealthVerdict({ database: 'ok', version: '12.3.0' })).toEqual({ ok: true, detail: 'database ok, Grafana 12.3.0' });
    expect(grafanaHealthVerdict({ database: 'ok' })).toEqual({ ok: true, detail: 'database ok' });
    expect(grafanaHealthVerdict({ database: 'failing' })).toEqual({ ok: false, detail: 'database failing' });
    expect(grafanaHealthVerdict({})).toEqual({ ok: false, detail: 'database unknown' });
  });

  it('datasource health: HTTP 200 and status OK', () => {
    expect(datasourceHealthVerdict(200, { status: 'OK' })).toEqual({ ok: true, detail: 'OK' });
    expect(datasourceHealthVerdict(200, { status: 'OK', message: 'Data source is working' })).toEqual({ ok: true, detail: 'Data source is working' });
    expect(datasourceHealthVerdict(200, { status: 'ERROR', message: 'bad gateway' })).toEqual({ ok: false, detail: 'HTTP 200: bad gateway' });
    expect(datasourceHealthVerdict(500, { status: 'OK' })).toEqual({ ok: false, detail: 'HTTP 500: OK' });
    expect(datasourceHealthVerdict(404, {})).toEqual({ ok: false, detail: 'HTTP 404: no message' });
  });

  it('dashboards: every provisioned uid found', () => {
    expect(dashboardsVerdict([{ uid: 'a' }, { uid: 'b' }, {}], ['a', 'b'])).toEqual({ ok: true, detail: '2 dashboards provisioned' });
    expect(dashboardsVerdict([{ uid: 'b' }], ['a', 'b', 'c'])).toEqual({ ok: false, detail: 'dashboards not provisioned: a, c' });
  });

  it('asks with the admin credentials of .env, admin when no user is set', () => {
    const basic = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;
    expect(grafanaAuth({ GF_SECURITY_ADMIN_USER: 'root', GF_SECURITY_ADMIN_PASSWORD: 'p:w' })).toEqual({ Authorization: basic('root:p:w') });
    expect(grafanaAuth({ GF_SECURITY_ADMIN_USER: '', GF_SECURITY_ADMIN_PASSWORD: 'x' })).toEqual({ Authorization: basic('admin:x') });
    expect(grafanaAuth({})).toEqual({ Authorization: basic('admin:') });
  });
});

describe('what the stack folder says must be there', () => {
  it('reads the rule groups, datasources and dashboards it provisions, skipping other files and entries without a name, uid or type', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'prometheus/rules'), { recursive: true });
    writeFileSync(join(dir, 'prometheus/rules/a.yaml'), 'groups:\n  - name: a1\n  - rules: []\n  - name: a2\n');
    writeFileSync(join(dir, 'prometheus/rules/b.yml'), 'groups:\n  - name: b1\n');
    writeFileSync(join(dir, 'prometheus/rules/c.yml'), 'not: rules\n');
    writeFileSync(join(dir, 'prometheus/rules/notes.txt'), 'groups:\n  - name: no\n');
    mkdirSync(join(dir, 'grafana/dashboards'), { recursive: true });
    writeFileSync(join(dir, 'grafana/dashboards/a.json'), '{"uid": "a"}');
    writeFileSync(join(dir, 'grafana/dashboards/b.json'), '{"title": "no uid"}');
    writeFileSync(join(dir, 'grafana/dashboards/c.json.bak'), '{"uid": "c"}');
    mkdirSync(join(dir, 'grafana/provisioning/datasources'), { recursive: true });
    writeFileSync(join(dir, 'grafana/provisioning/datasources/datasources.yml'), 'datasources:\n  - { uid: p, type: prometheus }\n  - { uid: q }\n  - { type: loki }\n  - { uid: l, type: loki }\n');
    expect(expectedRuleGroups(dir).sort()).toEqual(['a1', 'a2', 'b1']);
    expect(provisionedDashboards(dir)).toEqual(['a']);
    expect(provisionedDatasources(dir)).toEqual([{ uid: 'p', type: 'prometheus' }, { uid: 'l', type: 'loki' }]);
  });

  it('reads empty and odd rule files as holding no group, and names a file that is not YAML', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'prometheus/rules'), { recursive: true });
    for (const [name, text] of [['empty.yml', ''], ['comment.yml', '# nothing yet\n'], ['null.yml', 'groups:\n'], ['nulls.yml', 'groups: [~, 3, { name: g1 }]\n'], ['scalar.yml', 'just words\n']]) writeFileSync(join(dir, 'prometheus/rules', name), text);
    expect(expectedRuleGroups(dir)).toEqual(['g1']);
    writeFileSync(join(dir, 'prometheus/rules/broken.yml'), 'groups: [\n');
    expect(() => expectedRuleGroups(dir)).toThrow(/^prometheus\/rules\/broken\.yml cannot be read \(.+\): Prometheus cannot load it either/);
  });

  it('says nothing is expected of a folder without them', () => {
    const dir = tempDir();
    expect([expectedRuleGroups(dir), provisionedDatasources(dir), provisionedDashboards(dir)]).toEqual([[], [], []]);
  });
});

describe('checks against a Prometheus', () => {
  it('asks a target not scraped yet directly, and judges the rules against the stack\'s groups', async () => {
    const dir = writeTestStack(testSpec('native', 29420));
    dirs.push(dir);
    const exporterPort = await answering({ '/metrics': [200, 'up 1\n'] });
    const unknown = (job: string, url: string) => ({ labels: { job }, scrapeUrl: url, health: 'unknown' });
    const targets = { data: { activeTargets: [unknown('fibre', `http://127.0.0.1:${exporterPort}/metrics`), unknown('loki', `http://127.0.0.1:${exporterPort}/nothing`), { labels: { job: 'x' }, health: 'unknown' }] } };
    const groups = expectedRuleGroups(dir).map((name) => ({ name, rules: [{ name: 'r', health: 'ok' }] }));
    const rules = `${groups.length} groups, ${groups.length} rules, no errors`;
    const port = await answering({ '/api/v1/targets?state=active': [200, JSON.stringify(targets)], '/api/v1/rules': [200, JSON.stringify({ data: { groups } })] });
    const base = `http://127.0.0.1:${port}`;
    expect(await prometheusChecks(loadStack(dir), base, new Set())).toEqual([
      { check: 'scrape targets', ok: false, detail: `loki http://127.0.0.1:${exporterPort}/nothing unknown; x  unknown` },
      { check: 'rules', ok: true, detail: rules },
    ]);
    expect(await prometheusChecks(loadStack(dir), base, new Set(['loki', 'x']))).toEqual([
      { check: 'scrape targets', ok: true, detail: '1 targets up (not counting loki, x: not running)' },
      { check: 'rules', ok: true, detail: rules },
    ]);
  });

  it('fails on an API that does not answer 200 with JSON', async () => {
    const dir = writeTestStack(testSpec('native', 29430));
    dirs.push(dir);
    const port = await answering({ '/api/v1/targets?state=active': [503, 'starting'], '/api/v1/rules': [200, 'not json'] });
    const base = `http://127.0.0.1:${port}`;
    expect(await prometheusChecks(loadStack(dir), base, new Set())).toEqual([
      { check: 'scrape targets', ok: false, detail: `${base}/api/v1/targets?state=active: HTTP 503: starting` },
      { check: 'rules', ok: false, detail: `${base}/api/v1/rules: HTTP 200: not json` },
    ]);
  });
});

describe('checks against a Grafana', () => {
  it('asks its health, each datasource (through the proxy when it has no health check) and the dashboards, as admin', async () => {
    const dir = writeTestStack(testSpec('native', 29440));
    dirs.push(dir);
    const stack = loadStack(dir);
    const ds = (uid: string) => `/api/datasources/uid/${uid}/health`;
    // Grafana has loaded the first of the stack's dashboards only.
    const dashboards = provisionedDashboards(dir);
    expect(dashboards.length).toBeGreaterThan(1);
    const port = await answering({
      '/api/health': [200, JSON.stringify({ database: 'ok', version: '12.3.0' })],
      [ds('prometheus')]: [200, JSON.stringify({ status: 'OK', message: 'Successfully queried the Prometheus API.' })],
      [ds('loki')]: [501, JSON.stringify({ message: 'Plugin health check not implemented' })],
      '/api/datasources/proxy/uid/loki/ready': [200, 'ready'],
      [ds('alertmanager')]: [404, JSON.stringify({ message: 'Not found' })],
      '/api/datasources/proxy/uid/alertmanager/api/v2/status': [502, 'bad gateway'],
      '/api/search?type=dash-db&limit=5000': [200, JSON.stringify([{ uid: dashboards[0] }])],
    });
    asked.length = 0;
    expect(await grafanaChecks(stack, `http://127.0.0.1:${port}`)).toEqual([
      { check: 'api health', ok: true, detail: 'database ok, Grafana 12.3.0' },
      { check: 'datasource prometheus', ok: true, detail: 'Successfully queried the Prometheus API.' },
      { check: 'datasource loki', ok: true, detail: 'via proxy: HTTP 200: ready' },
      { check: 'datasource alertmanager', ok: false, detail: 'via proxy: HTTP 502: bad gateway' },
      { check: 'dashboards', ok: false, detail: `dashboards not provisioned: ${dashboards.slice(1).join(', ')}` },
    ]);
    const admin = grafanaAuth(stack.env).Authorization;
    expect(asked.map((a) => a.auth)).toEqual(asked.map(() => admin));
    expect(asked.map((a) => a.url)).toEqual([
      '/api/health', ds('prometheus'), ds('loki'), '/api/datasources/proxy/uid/loki/ready', ds('alertmanager'), '/api/datasources/proxy/uid/alertmanager/api/v2/status', '/api/search?type=dash-db&limit=5000',
    ]);
  });

  it('does not fall back on a datasource that answered with an error of its own, and fails a dashboards answer that is no list', async () => {
    const dir = writeTestStack(testSpec('native', 29450));
    dirs.push(dir);
    const port = await answering({
      '/api/health': [503, JSON.stringify({ database: 'failing' })],
      '/api/datasources/uid/prometheus/health': [400, JSON.stringify({ status: 'ERROR', message: 'connection refused' })],
      '/api/search?type=dash-db&limit=5000': [401, JSON.stringify({ message: 'Unauthorized' })],
    });
    const results = await grafanaChecks(loadStack(dir), `http://127.0.0.1:${port}`);
    expect(results.filter((r) => ['api health', 'datasource prometheus', 'dashboards'].includes(r.check))).toEqual([
      { check: 'api health', ok: false, detail: 'database failing' },
      { check: 'datasource prometheus', ok: false, detail: 'HTTP 400: connection refused' },
      { check: 'dashboards', ok: false, detail: 'HTTP 401' },
    ]);
  });

  it('says so when nothing answers', async () => {
    const dir = writeTestStack(testSpec('native', 29460, (s) => (s.profiles = { scrape: [{ targets: [] }] })));
    dirs.push(dir);
    const port = await answering({});
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const base = `http://127.0.0.1:${port}`;
    expect((await grafanaChecks(loadStack(dir), base))[0]).toEqual({ check: 'api health', ok: false, detail: `${base}/api/health: connection refused` });
  });
});
