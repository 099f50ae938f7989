// The exporter runtime every mode shares: metrics from the catalog, the HTTP server, settings.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yargs from 'yargs';
import { afterEach, describe, expect, it } from 'vitest';
import { serveMetrics, type HealthState } from '../exporter/http.js';
import { MetricSet } from '../exporter/metrics-registry.js';
import { commonDecls, commonExporterOptions, loadConfigFile, resolveOptions, yargsOptions, type OptionDecls } from '../exporter/options.js';
import { initSelfMetrics } from '../exporter/self-metrics.js';
import { fibreMetrics } from '../profiles/fibre/metrics.js';
import { minerMetrics } from '../profiles/miner/metrics.js';
import { stackMetrics } from '../cli/services/metrics.js';
import { UserError } from '../core/errors.js';
import { prerequisites } from './support/prereq.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'fibre-stack-runtime-'));
}

describe('MetricSet', () => {
  it('registers each catalog entry our exporter serves once, with its help, labels and buckets', async () => {
    const set = new MetricSet([...fibreMetrics, ...minerMetrics, ...stackMetrics]);
    const h = set.histogram('fibre_block_reconstruction_duration_seconds');
    h.observe({ node: 'n1' }, 0.02);
    set.counter('fibre_blocks_reconstructed_total').inc({ node: 'n1' }, 3);
    const text = await set.registry.metrics();
    const def = fibreMetrics.find((d) => d.name === 'fibre_block_reconstruction_duration_seconds')!;
    expect(text).toContain(`# HELP fibre_block_reconstruction_duration_seconds ${def.help}`);
    for (const le of def.buckets!) {
      const expected = le >= 0.02 ? 1 : 0;
      expect(text).toContain(`fibre_block_reconstruction_duration_seconds_bucket{le="${le}",node="n1"} ${expected}`);
    }
    expect(text).toContain('fibre_block_reconstruction_duration_seconds_sum{node="n1"} 0.02');
    expect(text).toContain('fibre_blocks_reconstructed_total{node="n1"} 3');
    // Self-metrics appear in both profiles' lists but are registered once.
    expect(text.match(/^# TYPE fibre_exporter_up /gm)).toHaveLength(1);
    // Metrics other programs serve are not ours to serve.
    expect(() => set.counter('prometheus_tsdb_head_series')).toThrow(/not in this exporter's catalog/);
    expect(text).not.toMatch(/^# TYPE (prometheus|loki|grafana)_/m);
  });

  it('refuses a name of another type or outside the catalog, and unknown labels', () => {
    const set = new MetricSet(minerMetrics);
    expect(() => set.counter('fpga_miner_clock_hertz')).toThrow(/is a gauge, not a counter/);
    expect(() => set.gauge('no_such_metric')).toThrow(/not in this exporter's catalog/);
    expect(() => set.gauge('fpga_miner_clock_hertz').set({ node: 'rig', card: 'c', bitstream: 'rb4', extra: 'x' }, 1)).toThrow(
      new Error(`Added label "extra" is not included in initial labelset: [ 'node', 'card', 'bitstream' ]`),
    );
  });

  it('sets the self-metrics: up, start time, info with version', async () => {
    const set = new MetricSet(minerMetrics);
    const before = Math.floor(Date.now() / 1000);
    const self = initSelfMetrics(set, { node_name: 'relay-1', bitcoind_path: '/usr/bin/bitcoind' });
    self.event('stats_line');
    self.event('stats_line');
    self.error('unparseable_line');
    self.probesAttached(4);
    const text = await set.registry.metrics();
    const version = JSON.parse(execFileSync('node', ['-p', 'JSON.stringify(require("./package.json").version)'], { encoding: 'utf8' }));
    expect(text).toContain('fibre_exporter_up 1');
    expect(text).toContain(`fibre_exporter_info{version="${version}",node_name="relay-1",bitcoind_path="/usr/bin/bitcoind"} 1`);
    const start = Number(/^fibre_exporter_start_time_seconds (\d+)$/m.exec(text)![1]);
    expect(start).toBeGreaterThanOrEqual(before);
    expect(start).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
    expect(text).toContain('fibre_exporter_events_processed_total{event_type="stats_line"} 2');
    expect(text).toContain('fibre_exporter_errors_total{error_type="unparseable_line"} 1');
    expect(text).toContain('fibre_exporter_probes_attached 4');
  });
});

describe('serveMetrics', () => {
  async function serve(extra: Partial<Parameters<typeof serveMetrics>[0]> = {}) {
    const set = new MetricSet(minerMetrics);
    set.gauge('fpga_miner_clock_hertz').set({ card: 'card0', bitstream: 'rb4' }, 5e8);
    let health: HealthState = { ok: false, reason: 'no probe attached yet' };
    const server = await serveMetrics({ host: '127.0.0.1', port: 0, metrics: set, health: () => health, ...extra });
    closers.push(server.close);
    return { server, setHealth: (h: HealthState) => (health = h) };
  }

  it('serves /metrics, and /health and /ready that follow the health state (503 with reason, then 200 OK)', async () => {
    const { server, setHealth } = await serve({ healthPort: 0 });
    const [metricsUrl, healthUrl, sideHealthUrl] = server.urls;
    expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const metrics = await fetch(metricsUrl);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    expect(await metrics.text()).toContain('fpga_miner_clock_hertz{card="card0",bitstream="rb4"} 500000000');
    for (const url of [healthUrl, healthUrl.replace('/health', '/ready'), sideHealthUrl]) {
      const r = await fetch(url);
      expect(r.status).toBe(503);
      expect(await r.text()).toBe('no probe attached yet\n');
    }
    setHealth({ ok: true, reason: '' });
    for (const url of [healthUrl, healthUrl.replace('/health', '/ready'), sideHealthUrl, sideHealthUrl.replace('/health', '/ready')]) {
      const r = await fetch(url);
      expect(r.status).toBe(200);
      expect(await r.text()).toBe('OK');
    }
    // The health port serves health only.
    expect((await fetch(sideHealthUrl.replace('/health', '/metrics'))).status).toBe(404);
    expect((await fetch(metricsUrl, { method: 'POST' })).status).toBe(405);
  });

  it('asks for basic auth on /metrics only, and checks the password', async () => {
    const { server, setHealth } = await serve({ basicAuth: { username: 'prom', password: 's3cret:with colon' } });
    setHealth({ ok: true, reason: '' });
    const [metricsUrl, healthUrl] = server.urls;
    const none = await fetch(metricsUrl);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    const auth = (u: string, p: string) => ({ headers: { Authorization: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}` } });
    expect((await fetch(metricsUrl, auth('prom', 'wrong'))).status).toBe(401);
    expect((await fetch(metricsUrl, auth('other', 's3cret:with colon'))).status).toBe(401);
    const ok = await fetch(metricsUrl, auth('prom', 's3cret:with colon'));
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('fpga_miner_clock_hertz');
    // Healthchecks carry no credentials.
    expect((await fetch(healthUrl)).status).toBe(200);
  });

  it.runIf(prerequisites('exporter HTTPS', { commands: ['openssl'] }))('serves HTTPS with the given certificate', async () => {
    const dir = tmp();
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    const { server } = await serve({ tls: { certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem') } });
    expect(server.urls[0]).toMatch(/^https:/);
    const body = await new Promise<string>((resolve, reject) => {
      httpsRequest(server.urls[0], { ca: execFileSync('cat', [join(dir, 'cert.pem')]), servername: 'localhost', checkServerIdentity: () => undefined }, (res) => {
        let data = '';
        res.on('data', (c) => (data += c));
        res.on('end', () => resolve(data));
      })
        .on('error', reject)
        .end();
    });
    expect(body).toContain('fpga_miner_clock_hertz');
    // Plain HTTP to the TLS port gets nothing useful: the connection is taken, then closed unanswered.
    await expect(fetch(server.urls[0].replace('https:', 'http:'))).rejects.toMatchObject({ message: 'fetch failed', cause: { code: 'UND_ERR_SOCKET' } });
  });

  it('serves every change at the next scrape, whichever way it was made, as prom-client renders it', async () => {
    const set = new MetricSet(fibreMetrics);
    const server = await serveMetrics({ host: '127.0.0.1', port: 0, metrics: set, health: () => ({ ok: true, reason: '' }) });
    closers.push(server.close);
    const get = async () => (await fetch(server.urls[0])).text();
    expect(await get()).toBe(await set.registry.metrics());
    set.counter('fibre_blocks_sent_total').labels({ node: 'a' }).inc(2);
    expect(await get()).toContain('fibre_blocks_sent_total{node="a"} 2');
    set.gauge('fibre_last_block_height').set({ node: 'a' }, 870000);
    expect(await get()).toContain('fibre_last_block_height{node="a"} 870000');
    const end = set.histogram('bitcoin_block_connection_duration_seconds').startTimer({ node: 'a' });
    const before = await get();
    expect(before).not.toContain('bitcoin_block_connection_duration_seconds_count{node="a"}');
    end();
    const after = await get();
    expect(after).toContain('bitcoin_block_connection_duration_seconds_count{node="a"} 1');
    expect(after).toBe(await set.registry.metrics());
    const head = await fetch(server.urls[0], { method: 'HEAD' });
    expect(Number(head.headers.get('content-length'))).toBe(Buffer.byteLength(after));
  });

  it('says which port is taken, as a user error', async () => {
    const { server } = await serve();
    const port = Number(new URL(server.urls[0]).port);
    const set = new MetricSet(minerMetrics);
    const err = await serveMetrics({ host: '127.0.0.1', port, metrics: set, health: () => ({ ok: true, reason: '' }) }).catch((e) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toContain(`127.0.0.1:${port} is already in use`);
    expect(err.message).toContain('--port');
  });
});

describe('exporter settings: flag > env > file > default', () => {
  const decls = {
    ...commonDecls({ port: 9435, healthPort: 9436 }),
    bitcoind: { kind: 'string', alias: 'b', required: true, describe: 'Path of bitcoind.' },
    pid: { kind: 'int', alias: 'p', min: 1, describe: 'PID.' },
    log: { kind: 'list', describe: 'Logs.' },
    loop: { kind: 'boolean', default: false, describe: 'Loop.' },
  } as const satisfies OptionDecls;

  /** Parses a command line the way the exporter command does (yargs without defaults). */
  function resolve(args: string[], env: Record<string, string> = {}, file: Record<string, unknown> = {}) {
    const flags = yargs(args).options(yargsOptions(decls)).parseSync() as Record<string, unknown>;
    return resolveOptions(decls, { flags, env, file });
  }

  it('takes each setting from the first place that has it', () => {
    const { values, from } = resolve(
      ['-b', '/flag/bitcoind'],
      { FIBRE_PORT: '9500', FIBRE_BITCOIND: '/env/bitcoind', FIBRE_LOG: 'a.log, b.log' },
      { port: 9600, health_port: 9601, node_name: 'from-file', bitcoind: '/file/bitcoind' },
    );
    expect(values).toMatchObject({ bitcoind: '/flag/bitcoind', port: 9500, healthPort: 9601, nodeName: 'from-file', host: '0.0.0.0', loop: false, log: ['a.log', 'b.log'] });
    expect(values.pid).toBeUndefined();
    expect(from).toMatchObject({ bitcoind: 'flag', port: 'env', healthPort: 'file', nodeName: 'file', host: 'default' });
  });

  it('lets an explicit flag win even when it equals the default', () => {
    const { values, from } = resolve(['--bitcoind', '/b', '--port', '9435', '--node-name', 'localhost', '--no-loop'], { FIBRE_PORT: '9500', FIBRE_NODE_NAME: 'env-name', FIBRE_LOOP: 'true' }, { port: 9600 });
    expect(values.port).toBe(9435);
    expect(values.nodeName).toBe('localhost');
    expect(values.loop).toBe(false);
    expect(from).toMatchObject({ port: 'flag', nodeName: 'flag', loop: 'flag' });
  });

  it('says where a bad value came from, and what a missing required setting is', () => {
    expect(() => resolve(['-b', '/b', '--port', 'abc'])).toThrow('--port="abc": not a whole number.');
    expect(() => resolve(['-b', '/b'], { FIBRE_PORT: '70000' })).toThrow('FIBRE_PORT=70000: a port is between 1 and 65535');
    expect(() => resolve(['-b', '/b'], {}, { pid: 0 })).toThrow('pid in the --config file=0: must be at least 1.');
    expect(() => resolve(['-b', '/b'], { FIBRE_LOOP: 'maybe' })).toThrow('FIBRE_LOOP="maybe": give true or false.');
    expect(() => resolve([])).toThrow('missing --bitcoind: Path of bitcoind. Give --bitcoind, set FIBRE_BITCOIND, or put bitcoind in the --config file.');
  });

  it('reads a YAML config file and refuses unknown keys', () => {
    const dir = tmp();
    const good = join(dir, 'good.yml');
    writeFileSync(good, 'port: 9700\nhealth_port: 9701\nlog: [x.log, y.log]\n');
    expect(loadConfigFile(good, decls)).toEqual({ port: 9700, health_port: 9701, log: ['x.log', 'y.log'] });
    expect(resolve(['-b', '/b'], {}, loadConfigFile(good, decls)).values).toMatchObject({ port: 9700, healthPort: 9701, log: ['x.log', 'y.log'] });
    const bad = join(dir, 'bad.yml');
    writeFileSync(bad, 'port: 9700\nhealthport: 1\n');
    expect(() => loadConfigFile(bad, decls)).toThrow(/unknown setting\(s\) healthport; known: host, port, health_port/);
    expect(() => loadConfigFile(join(dir, 'none.yml'), decls)).toThrow(/cannot read the config file .*none.yml: ENOENT/);
    writeFileSync(bad, '- a list\n');
    expect(() => loadConfigFile(bad, decls)).toThrow(/must be a YAML mapping/);
  });

  it('takes the basic-auth password from a file or FIBRE_BASIC_AUTH_PASSWORD, never alone', () => {
    const dir = tmp();
    const pw = join(dir, 'pw');
    writeFileSync(pw, 'hunter2\n');
    const common = (args: string[], env: Record<string, string> = {}) => commonExporterOptions(resolve(['-b', '/b', ...args], env).values, env);
    expect(common(['--basic-auth-user', 'prom', '--basic-auth-password-file', pw]).basicAuth).toEqual({ username: 'prom', password: 'hunter2' });
    expect(common(['--basic-auth-user', 'prom'], { FIBRE_BASIC_AUTH_PASSWORD: 'envpw' }).basicAuth).toEqual({ username: 'prom', password: 'envpw' });
    expect(() => common(['--basic-auth-user', 'prom'])).toThrow(/needs a password/);
    expect(() => common([], { FIBRE_BASIC_AUTH_PASSWORD: 'envpw' })).toThrow(/no user/);
    expect(() => common(['--tls-cert', 'c.pem'])).toThrow('TLS needs both --tls-cert and --tls-key.');
    expect(common(['--tls-cert', 'c.pem', '--tls-key', 'k.pem']).tls).toEqual({ certFile: 'c.pem', keyFile: 'k.pem' });
    expect(common([])).toEqual({ host: '0.0.0.0', port: 9435, healthPort: 9436, nodeName: 'localhost' });
  });
});
