// What a fleet node and a fleet hub render, checked by the real programs that read it where they
// run here: promtool (Debian's 2.42) on the node's agent config, vmalert and victoria-metrics
// (Debian's 1.79.5) -dryRun on the hub's rules and scrape config, amtool on its Alertmanager
// config, and vmauth (1.79.5) serving the hub's auth.yml over the CA and certificate `create`
// makes, in front of a capture endpoint that records what vmauth forwards. Mimir cannot run here:
// its config's keys are checked against the list read upstream (test/fixtures/mimir-config-keys.json).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { request } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { load } from 'js-yaml';
import { fileOf, render, secretsFor, specFor, tempDir } from './support/stack.js';
import { prerequisites } from './support/prereq.js';
import { freePort } from './support/ports.js';
import { runCli } from './support/cli.js';
import { stackServices, resolveArg } from '../cli/render/stack-services.js';
import { renderStack } from '../cli/render/index.js';
import { loadPackageSources } from '../cli/io/templates.js';
import { writeStack } from '../cli/io/stack-writer.js';
import { ensureHubTls } from '../cli/io/fleet-tls.js';
import { agentModeFlag } from '../cli/render/fleet-node.js';
import { vmRetention } from '../cli/render/fleet-hub.js';
import { fleetTokenVar } from '../cli/spec/fleet.js';
import { createWarnings } from '../cli/commands/create-warnings.js';
import type { CreateAnswers } from '../cli/spec/from-answers.js';
import type { StackSpec } from '../cli/spec/types.js';
import { DATADIR_TEXTFILE_PATH } from '../cli/render/host-metrics.js';
import { DATADIR_INFO } from '../cli/services/host-metrics.js';
import { DATADIR_DISK_FILLING } from '../cli/services/host-rules.js';

const nodeAnswers: Partial<CreateAnswers> = { role: 'node', hubUrl: 'https://hub.example:8427', host: 'rig-1', site: 'lab', profiles: ['miner', 'fibre'] };
const hubAnswers: Partial<CreateAnswers> = { role: 'hub', fleetNodes: ['rig-1', 'rig-2'], tlsNames: ['127.0.0.1', 'localhost'], profiles: ['fibre', 'miner'] };

type Yaml = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const yamlOf = (spec: StackSpec, path: string) => load(fileOf(render(spec), path)) as Yaml;
const paths = (spec: StackSpec) => render(spec).map((f) => f.path);
/** Every key path of a YAML document down to its values (a list is a value). */
const leaves = (o: Yaml, prefix = ''): string[] =>
  Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' && !Array.isArray(v) ? leaves(v, `${prefix}${k}.`) : [`${prefix}${k}`]));

describe('a node', () => {
  it("serves its datadirs' mount points through node_exporter, which its agent ships; the hub's rules join them with the filesystems", () => {
    const spec = specFor({ ...nodeAnswers, mode: 'docker' });
    const datadir = (spec.profiles.fibre ?? [])[0]?.bitcoin_datadir;
    expect(datadir).toBeTruthy();
    const samples = fileOf(render(spec, { datadirMounts: { [datadir!]: '/srv' } }), DATADIR_TEXTFILE_PATH).split('\n').filter((l) => l && !l.startsWith('#'));
    expect(samples).toEqual([`${DATADIR_INFO}{profile="fibre",node="${spec.profiles.fibre![0].node_name}",datadir="${datadir}",mountpoint="/srv"} 1`]);
    // No rule evaluates on the node; on the hub the disk alert is among the host rules vmalert runs.
    expect(paths(spec).filter((p) => p.startsWith('prometheus/rules/'))).toEqual([]);
    const hub = specFor({ ...hubAnswers, mode: 'docker' });
    // The hub's profiles only choose its rules and dashboards: its own node_exporter claims no datadir.
    const hubDatadir = (hub.profiles.fibre ?? [])[0]?.bitcoin_datadir;
    expect(fileOf(render(hub, { datadirMounts: { [hubDatadir!]: '/' } }), DATADIR_TEXTFILE_PATH)).not.toContain(`${DATADIR_INFO}{`);
    const hostRuleFile = render(hub).find((f) => f.path.startsWith('vmalert/rules/') && f.content.includes(DATADIR_DISK_FILLING.alert));
    expect(hostRuleFile?.content).toContain(`group_right (instance, device, fstype) ${DATADIR_INFO}`);
  });

  it.each(['docker', 'native'] as const)('%s: runs exporters, Prometheus in agent mode, the log agent and the host metrics; no Grafana, Loki or Alertmanager', (mode) => {
    const spec = specFor({ ...nodeAnswers, mode });
    // node_exporter (and cAdvisor, in docker mode only) watch the node's host; the agent ships their series.
    const host = mode === 'docker' ? ['node-exporter', 'cadvisor'] : ['node-exporter'];
    expect(stackServices(spec).map((s) => s.name)).toEqual(['prometheus', 'alloy', ...host, 'fibre-exporter', 'miner-exporter']);
    expect((yamlOf(spec, 'prometheus/prometheus.yml').scrape_configs as Yaml[]).map((j) => j.job_name)).toEqual(expect.arrayContaining(host));
    if (mode === 'docker') expect(Object.keys(load(fileOf(render(spec), 'docker-compose.yml')) as Yaml['services'])).not.toContain('grafana');
    const argv = stackServices(spec).find((s) => s.name === 'prometheus')!.argv;
    expect(argv).toContain('--agent');
    expect(argv.some((a) => typeof a === 'string' && /tsdb|retention/.test(a))).toBe(false);
    expect(paths(spec).filter((p) => p.startsWith('prometheus/rules/'))).toEqual([]);
  });

  it('ships to the hub with its identity; never touches the `node` label our exporters serve', () => {
    const config = yamlOf(specFor({ ...nodeAnswers, mode: 'native' }), 'prometheus/prometheus.yml');
    expect(config.rule_files).toBeUndefined();
    expect(config.alerting).toBeUndefined();
    expect(config.global.external_labels).toEqual({ stack: 'stack', host: 'rig-1', site: 'lab' });
    const [rw] = config.remote_write;
    expect(rw.url).toBe('https://hub.example:8427/api/v1/write');
    expect(rw.authorization).toEqual({ type: 'Bearer', credentials_file: '../fleet/hub.token' });
    expect(rw.tls_config).toEqual({ ca_file: '../fleet/ca.crt' });
    // The only relabelling sets host; nothing anywhere names `node`, and honor_labels (as standalone)
    // only on our exporters' jobs, whose series carry their node label themselves.
    expect(rw.write_relabel_configs).toEqual([{ target_label: 'host', replacement: 'rig-1', action: 'replace' }]);
    expect(JSON.stringify(config)).not.toMatch(/"node"/);
    expect((config.scrape_configs as Yaml[]).filter((j) => j.honor_labels).map((j) => j.job_name).sort()).toEqual(['fibre', 'miner']);
  });

  it('in containers the token and CA are mounted where the configs name them', () => {
    const spec = specFor({ ...nodeAnswers, mode: 'docker' });
    const compose = load(fileOf(render(spec), 'docker-compose.yml')) as Yaml;
    for (const s of ['prometheus', 'alloy']) expect(compose.services[s].volumes).toContainEqual({ type: 'bind', source: './fleet', target: '/etc/fibre-stack/fleet', read_only: true });
    expect(yamlOf(spec, 'prometheus/prometheus.yml').remote_write[0].authorization.credentials_file).toBe('/etc/fibre-stack/fleet/hub.token');
    expect(fileOf(render(spec), 'alloy/config.alloy')).toContain('bearer_token_file = "/etc/fibre-stack/fleet/hub.token"');
  });

  it('the log agents push to the hub with the token file, the CA and the host and site labels', () => {
    const alloy = fileOf(render(specFor({ ...nodeAnswers, mode: 'native' })), 'alloy/config.alloy');
    expect(alloy).toContain('url = "https://hub.example:8427/loki/api/v1/push"');
    expect(alloy).toMatch(/bearer_token_file = "fleet\/hub.token"[\s\S]*ca_file = "fleet\/ca.crt"[\s\S]*"host" = "rig-1",\s*"site" = "lab",/);
    const promtail = yamlOf(specFor({ ...nodeAnswers, mode: 'native', logAgent: 'promtail' }), 'promtail/promtail.yml');
    expect(promtail.clients).toEqual([{
      url: 'https://hub.example:8427/loki/api/v1/push', external_labels: { host: 'rig-1', site: 'lab' },
      authorization: { type: 'Bearer', credentials_file: 'fleet/hub.token' }, tls_config: { ca_file: 'fleet/ca.crt' },
    }]);
  });

  it('a plain-HTTP hub or the system CAs: no tls_config', () => {
    const config = yamlOf(specFor({ ...nodeAnswers, hubUrl: 'http://10.0.0.1:8427', mode: 'native' }), 'prometheus/prometheus.yml');
    expect(config.remote_write[0].tls_config).toBeUndefined();
    expect(yamlOf(specFor({ ...nodeAnswers, caFile: '', mode: 'native' }), 'prometheus/prometheus.yml').remote_write[0].tls_config).toBeUndefined();
  });

  it('create warns where a docker node cannot work as is: the token unreadable to nobody, a loopback hub', () => {
    const docker = createWarnings(specFor({ ...nodeAnswers, hubUrl: 'https://127.0.0.1:8427', mode: 'docker' })).join('\n');
    expect(docker).toContain('sudo chown 65534 fleet/hub.token');
    expect(docker).toContain('the hub https://127.0.0.1:8427 is on 127.0.0.1');
    expect(createWarnings(specFor({ ...nodeAnswers, mode: 'native' })).join('\n')).not.toMatch(/65534|the hub/);
  });

  it('agent mode takes the flag of the Prometheus that runs it', () => {
    expect(agentModeFlag('2.42.0')).toBe('--enable-feature=agent');
    expect(agentModeFlag('v2.53.1')).toBe('--enable-feature=agent');
    expect(agentModeFlag('3.0.0')).toBe('--agent');
    expect(agentModeFlag('3.14.0')).toBe('--agent');
  });

  describe.runIf(prerequisites('promtool on a fleet node', { commands: ['promtool'] }))('promtool (Debian 2.42)', () => {
    it('checks the agent config in agent mode', () => {
      const dir = tempDir();
      writeStack(dir, render(specFor({ ...nodeAnswers, mode: 'native' })));
      const r = spawnSync('promtool', ['check', 'config', '--agent', 'prometheus/prometheus.yml'], { cwd: dir, encoding: 'utf8' });
      expect(r.stdout + r.stderr).toContain('SUCCESS');
      expect(r.status).toBe(0);
    });
  });
});

describe('a hub', () => {
  it.each(['victoriametrics', 'mimir', 'external'] as const)('%s: runs no exporter and no Prometheus; Grafana reads the engine', (engine) => {
    const spec = specFor({ ...hubAnswers, engine, mode: 'native', ...(engine === 'external' ? { remoteWriteUrl: 'https://m.example/api/v1/push', queryUrl: 'https://m.example/prometheus' } : {}) });
    const names = stackServices(spec).map((s) => s.name);
    expect(names).toEqual({
      // node_exporter where something scrapes it: VictoriaMetrics, not Mimir or an external engine.
      victoriametrics: ['alertmanager', 'grafana', 'loki', 'node-exporter', 'victoria-metrics', 'vmalert', 'vmauth'],
      mimir: ['alertmanager', 'grafana', 'loki', 'vmauth', 'mimir'],
      external: ['alertmanager', 'grafana', 'loki', 'vmalert', 'vmauth'],
    }[engine]);
    const ds = (yamlOf(spec, 'grafana/provisioning/datasources/datasources.yml').datasources as Yaml[]).find((d) => d.uid === 'prometheus')!;
    expect(ds.url).toBe({ victoriametrics: 'http://127.0.0.1:8428', mimir: 'http://127.0.0.1:9009/prometheus', external: 'https://m.example/prometheus' }[engine]);
    expect(paths(spec).filter((p) => p.startsWith('systemd/'))).toEqual([]);
    // The nodes send their host metrics: the host dashboard is there whether or not the hub runs node_exporter.
    expect(paths(spec)).toContain('grafana/dashboards/host.json');
    // Our rules run on every engine: vmalert on VictoriaMetrics and external ones, Mimir's own ruler.
    const vmalert = stackServices(spec).find((s) => s.name === 'vmalert');
    if (engine === 'mimir') expect(paths(spec)).toContain('mimir/rules/anonymous/fleet.yml');
    else expect(vmalert!.argv).toContain(`-datasource.url=${ds.url}`);
    if (engine === 'external') expect(JSON.stringify(vmalert!.argv)).not.toContain('remoteWrite');
  });

  it('vmauth pins each node to its own host label and sends logs to Loki; tokens only as placeholders', () => {
    const spec = specFor({ ...hubAnswers, mode: 'native' });
    const files = render(spec);
    const auth = load(fileOf(files, 'vmauth/auth.yml')) as Yaml;
    expect(auth.users).toEqual(['rig-1', 'rig-2'].map((h) => ({
      name: h,
      bearer_token: `%{${fleetTokenVar(h)}}`,
      url_map: [
        { src_paths: ['/api/v1/write'], url_prefix: `http://127.0.0.1:8428?extra_label=host=${h}` },
        { src_paths: ['/loki/api/v1/push'], url_prefix: 'http://127.0.0.1:3100' },
      ],
    })));
    // The tokens are in .env and the per-node files (0600), never in a config.
    for (const h of ['rig-1', 'rig-2']) {
      const holders = files.filter((f) => f.content.includes(`token-${h}`));
      expect(holders.map((f) => [f.path, f.mode])).toEqual([['.env', 0o600], [`fleet/nodes/${h}.token`, 0o600]]);
    }
    expect(stackServices(spec).find((s) => s.name === 'vmauth')!.envFromDotenv).toEqual(['FLEET_TOKEN_RIG_1', 'FLEET_TOKEN_RIG_2']);
  });

  it('vmauth listens for nodes on the fleet listen address with TLS; everything else stays on the bind address', () => {
    const spec = specFor({ ...hubAnswers, mode: 'native' });
    const vmauth = stackServices(spec).find((s) => s.name === 'vmauth')!;
    expect(vmauth.argv).toEqual(['-auth.config=vmauth/auth.yml', '-httpListenAddr=0.0.0.0:8427', '-tls', '-tlsCertFile=fleet/tls/hub.crt', '-tlsKeyFile=fleet/tls/hub.key']);
    expect(vmauth.readyUrl).toBe('https://127.0.0.1:8427/health');
    expect(vmauth.readyCaFile).toEqual({ stackPath: 'fleet/tls/ca.crt' });
    // VictoriaMetrics scrapes vmauth over TLS, against the CA, for a name the certificate has.
    const scrape = yamlOf(spec, 'victoria-metrics/scrape.yml').scrape_configs.find((j: Yaml) => j.job_name === 'vmauth');
    expect(scrape).toMatchObject({ scheme: 'https', tls_config: { ca_file: '../fleet/tls/ca.crt', server_name: '127.0.0.1' } });
    const off = specFor({ ...hubAnswers, tls: 'off', mode: 'native' });
    expect(stackServices(off).find((s) => s.name === 'vmauth')).toMatchObject({ readyUrl: 'http://127.0.0.1:8427/health', argv: ['-auth.config=vmauth/auth.yml', '-httpListenAddr=0.0.0.0:8427'] });
    expect(stackServices(off).find((s) => s.name === 'vmauth')!.readyCaFile).toBeUndefined();
    const docker = load(fileOf(render(specFor({ ...hubAnswers, mode: 'docker' })), 'docker-compose.yml')) as Yaml;
    expect(docker.services.vmauth.ports).toEqual(['0.0.0.0:8427:8427']);
    expect(docker.services['victoria-metrics'].ports).toEqual(['127.0.0.1:8428:8428']);
    expect(docker.services.vmauth.command).toContain('-tlsCertFile=/etc/vmauth/tls/hub.crt');
    expect(docker.services.vmauth.environment).toEqual({ FLEET_TOKEN_RIG_1: '${FLEET_TOKEN_RIG_1:?run fibre-stack generate to create .env}', FLEET_TOKEN_RIG_2: '${FLEET_TOKEN_RIG_2:?run fibre-stack generate to create .env}' });
  });

  it.each(['docker', 'native'] as const)("%s: VictoriaMetrics scrapes the hub's own node_exporter where it listens (on the host's network in containers)", (mode) => {
    const spec = specFor({ ...hubAnswers, mode });
    const job = yamlOf(spec, 'victoria-metrics/scrape.yml').scrape_configs.find((j: Yaml) => j.job_name === 'node-exporter');
    expect(job.static_configs).toEqual([{ targets: [mode === 'docker' ? 'host.docker.internal:9100' : '127.0.0.1:9100'], labels: {} }]);
    if (mode === 'docker') {
      const compose = load(fileOf(render(spec), 'docker-compose.yml')) as Yaml;
      expect(compose.services['victoria-metrics'].extra_hosts).toEqual(['host.docker.internal:host-gateway']);
      expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['node-exporter', 'cadvisor']));
    }
  });

  it('Mimir and external engines: vmauth rewrites the write path to the engine', () => {
    const mimir = load(fileOf(render(specFor({ ...hubAnswers, engine: 'mimir', mode: 'native' })), 'vmauth/auth.yml')) as Yaml;
    expect(mimir.users[0].url_map[0]).toEqual({ src_paths: ['/api/v1/write'], url_prefix: 'http://127.0.0.1:9009/api/v1/push', drop_src_path_prefix_parts: 3 });
    const ext = load(fileOf(render(specFor({ ...hubAnswers, engine: 'external', remoteWriteUrl: "https://m.example/api/v1/push?x='1'", queryUrl: 'https://m.example/q', mode: 'native' })), 'vmauth/auth.yml')) as Yaml;
    expect(ext.users[1].url_map[0].url_prefix).toBe("https://m.example/api/v1/push?x='1'");
  });

  it('VictoriaMetrics retention: whole hours, at least a day', () => {
    expect(vmRetention('15d')).toBe('360h');
    expect(vmRetention('2w')).toBe('336h');
    expect(vmRetention('90m')).toBe('24h');
    expect(vmRetention('1y')).toBe('8760h');
    expect(vmRetention('1d12h30m')).toBe('37h');
  });

  it('Alertmanager groups and inhibits per machine', () => {
    const am = yamlOf(specFor({ ...hubAnswers, mode: 'native' }), 'alertmanager/alertmanager.yml');
    expect(am.route.group_by).toContain('host');
    expect(am.inhibit_rules[0].equal).toContain('host');
    expect(yamlOf(specFor({ mode: 'native' }), 'alertmanager/alertmanager.yml').route.group_by).not.toContain('host');
  });

  it("Mimir's config uses only keys read upstream, none experimental or deprecated", () => {
    const known = (JSON.parse(readFileSync(join(__dirname, 'fixtures/mimir-config-keys.json'), 'utf8')) as { keys: Record<string, { category?: string }> }).keys;
    for (const mode of ['docker', 'native'] as const) {
      const spec = specFor({ ...hubAnswers, engine: 'mimir', mode });
      const used = leaves(yamlOf(spec, 'mimir/mimir.yml'));
      expect(used.filter((k) => !(k in known))).toEqual([]);
      expect(used.filter((k) => ['experimental', 'deprecated'].includes(known[k].category ?? ''))).toEqual([]);
      expect(paths(spec)).toContain('mimir/rules/anonymous/fleet.yml');
    }
  });

  it('Mimir advertises loopback wherever a component of -target=all is dialled, as its gRPC listens there', () => {
    const config = yamlOf(specFor({ ...hubAnswers, engine: 'mimir', mode: 'native' }), 'mimir/mimir.yml');
    const at = (path: string) => path.split('.').reduce<Yaml>((o, k) => o?.[k], config);
    expect(at('server.grpc_listen_address')).toBe('127.0.0.1');
    // The components of `all` and the address each advertises (grafana/mimir@mimir-3.0.2:pkg/mimir/modules.go
    // deps[All]); the query-scheduler is found on 127.0.0.1 without one.
    for (const advertised of ['distributor.ring', 'ingester.ring', 'store_gateway.sharding_ring', 'compactor.sharding_ring', 'ruler.ring']) {
      expect(at(`${advertised}.instance_addr`), advertised).toBe('127.0.0.1');
    }
    expect(at('frontend.address')).toBe('127.0.0.1');
  });

  it("Mimir's ruler loads our rules for its one tenant and sends to the hub's Alertmanager", () => {
    const spec = specFor({ ...hubAnswers, engine: 'mimir', mode: 'native' });
    const config = yamlOf(spec, 'mimir/mimir.yml');
    expect(config.limits.ruler_alertmanager_client_config.alertmanager_url).toBe('http://127.0.0.1:9093');
    expect(config.ruler_storage).toEqual({ backend: 'local', local: { directory: expect.stringMatching(/(^|\/)mimir\/rules$/) } });
    expect(paths(spec).filter((p) => p.startsWith('mimir/rules/')).every((p) => p.startsWith('mimir/rules/anonymous/'))).toBe(true);
  });

  describe.runIf(prerequisites('VictoriaMetrics and Alertmanager tools on a fleet hub', { commands: ['vmalert', 'victoria-metrics', 'amtool'] }))('Debian 1.79.5 tools', () => {
    const dir = tempDir();
    const spec = specFor({ ...hubAnswers, mode: 'native' });
    beforeAll(() => {
      writeStack(dir, render(spec));
      // VictoriaMetrics loads the CA it scrapes vmauth with.
      ensureHubTls(dir, spec);
    });
    const argv = (name: string) => stackServices(spec).find((s) => s.name === name)!.argv.map((a) => resolveArg(a, dir));

    it('vmalert takes every flag and loads every rule file (-dryRun)', () => {
      const r = spawnSync('vmalert', [...argv('vmalert'), '-dryRun'], { cwd: dir, encoding: 'utf8' });
      expect(r.stderr).not.toMatch(/error|cannot/i);
      expect(r.status).toBe(0);
    });

    it('victoria-metrics takes every flag and its scrape config (-dryRun)', () => {
      const r = spawnSync('victoria-metrics', [...argv('victoria-metrics'), '-dryRun'], { cwd: dir, encoding: 'utf8' });
      expect(r.stderr).not.toMatch(/cannot|error/i);
      expect(r.status).toBe(0);
    });

    it('amtool checks the Alertmanager config', () => {
      const r = spawnSync('amtool', ['check-config', 'alertmanager/alertmanager.yml'], { cwd: dir, encoding: 'utf8' });
      expect(r.stdout).toContain('SUCCESS');
      expect(r.status).toBe(0);
    });
  });
});

describe.runIf(prerequisites('vmauth in front of the hub', { commands: ['vmauth', 'openssl'] }))('vmauth (Debian 1.79.5) serving the rendered auth.yml over the generated TLS', () => {
  const dir = tempDir();
  // What vmauth forwards, as VictoriaMetrics and Loki would receive it: method and URL.
  const seen: string[] = [];
  let capture: Server;
  let vmauth: ChildProcess;
  let port: number;
  let ca: Buffer;

  beforeAll(async () => {
    capture = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      req.resume();
      req.on('end', () => res.writeHead(204).end());
    });
    await new Promise<void>((ok) => capture.listen(0, '127.0.0.1', ok));
    const backend = (capture.address() as { port: number }).port;
    port = await freePort();
    const base = specFor({ ...hubAnswers, mode: 'native', listen: '127.0.0.1' });
    // VictoriaMetrics and Loki are both the capture endpoint here.
    const spec: StackSpec = { ...base, ports: { ...base.ports, 'victoria-metrics': backend, loki: backend, vmauth: port } };
    writeStack(dir, renderStack(spec, secretsFor(spec), loadPackageSources()));
    ensureHubTls(dir, spec);
    ca = readFileSync(join(dir, 'fleet/tls/ca.crt'));
    const svc = stackServices(spec).find((s) => s.name === 'vmauth')!;
    const env = { ...process.env, ...Object.fromEntries(svc.envFromDotenv.map((v) => [v, secretsFor(spec).fleetTokens![v]])) };
    vmauth = spawn('vmauth', svc.argv.map((a) => resolveArg(a, dir)), { cwd: dir, env, stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      if ((await send('/health').catch(() => 0)) === 200) return;
      await new Promise((ok) => setTimeout(ok, 100));
    }
    throw new Error('vmauth did not answer /health over TLS');
  }, 20_000);

  afterAll(() => {
    vmauth?.kill();
    capture?.close();
  });

  /** A request as a node sends it: over TLS, trusting only the hub's CA, for the name 127.0.0.1. */
  function send(path: string, token?: string): Promise<number> {
    return new Promise((ok, fail) => {
      const req = request({ host: '127.0.0.1', port, path, method: path === '/health' ? 'GET' : 'POST', ca, headers: token ? { Authorization: `Bearer ${token}` } : {} }, (res) => {
        res.resume();
        res.on('end', () => ok(res.statusCode!));
      });
      req.on('error', fail);
      req.end(path === '/health' ? undefined : 'x');
    });
  }

  it('the generated key is private and the certificate is for the hub names, signed by the CA', () => {
    expect(statSync(join(dir, 'fleet/tls/hub.key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'fleet/ca/ca.key')).mode & 0o777).toBe(0o600);
    const v = spawnSync('openssl', ['verify', '-CAfile', 'fleet/tls/ca.crt', 'fleet/tls/hub.crt'], { cwd: dir, encoding: 'utf8' });
    expect(v.stdout).toContain('OK');
  });

  it('refuses a write without a token or with a wrong one, and forwards nothing', async () => {
    expect(await send('/api/v1/write')).toBe(401);
    expect(await send('/api/v1/write', 'not-a-token')).toBeGreaterThanOrEqual(400);
    expect(seen).toEqual([]);
  });

  it("a node's token pins its host label, whatever the node asks for", async () => {
    seen.length = 0;
    expect(await send('/api/v1/write?extra_label=host%3Drig-2', 'token-rig-1')).toBe(204);
    expect(await send('/api/v1/write', 'token-rig-2')).toBe(204);
    expect(seen).toEqual(['POST /api/v1/write?extra_label=host%3Drig-1', 'POST /api/v1/write?extra_label=host=rig-2']);
  });

  it('logs go to Loki through the same door', async () => {
    seen.length = 0;
    expect(await send('/loki/api/v1/push', 'token-rig-2')).toBe(204);
    expect(seen).toEqual(['POST /loki/api/v1/push']);
  });
});

describe.runIf(prerequisites('a hub made and regenerated by the CLI', { commands: ['openssl'] }))('create --role hub, then generate after a new node and name', () => {
  it('keeps every token and the CA, adds the new node a token and the certificate the new name', () => {
    const dir = join(tempDir(), 'hub');
    const made = runCli(['create', dir, '--yes', '--role', 'hub', '--nodes', 'rig-1,rig-2', '--tls-name', '127.0.0.1', '--mode', 'native', '--json']);
    expect(made.code, made.stderr).toBe(0);
    expect(JSON.parse(made.stdout).tls.made).toEqual(['fleet/tls/ca.crt', 'fleet/ca/ca.key', 'fleet/tls/hub.crt', 'fleet/tls/hub.key']);
    const env = () => Object.fromEntries(readFileSync(join(dir, '.env'), 'utf8').split('\n').filter((l) => l.startsWith('FLEET_TOKEN_')).map((l) => l.split('=') as [string, string]));
    const before = env();
    expect(Object.keys(before)).toEqual(['FLEET_TOKEN_RIG_1', 'FLEET_TOKEN_RIG_2']);
    expect(readFileSync(join(dir, 'fleet/nodes/rig-1.token'), 'utf8')).toBe(`${before.FLEET_TOKEN_RIG_1}\n`);
    const ca = readFileSync(join(dir, 'fleet/tls/ca.crt'), 'utf8');

    const specPath = join(dir, 'fibre-stack.yml');
    writeFileSync(specPath, readFileSync(specPath, 'utf8').replace('    - rig-2\n', '    - rig-2\n    - rig-3\n').replace('      - 127.0.0.1\n', '      - 127.0.0.1\n      - hub.example\n'));
    const gen = runCli(['generate', '--dir', dir]);
    expect(gen.code, gen.stderr).toBe(0);
    const after = env();
    expect(after).toMatchObject(before);
    expect(after.FLEET_TOKEN_RIG_3).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(readFileSync(join(dir, 'fleet/nodes/rig-3.token'), 'utf8')).toBe(`${after.FLEET_TOKEN_RIG_3}\n`);
    expect(statSync(join(dir, '.env')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'fleet/tls/ca.crt'), 'utf8')).toBe(ca);
    const names = spawnSync('openssl', ['x509', '-in', 'fleet/tls/hub.crt', '-noout', '-ext', 'subjectAltName'], { cwd: dir, encoding: 'utf8' }).stdout;
    expect(names).toMatch(/IP Address:127\.0\.0\.1, DNS:hub\.example/);
  });
});

describe.runIf(prerequisites('fleet compose files', { commands: ['docker-compose'] }))('docker-compose (Debian 1.29) config accepts every fleet compose file', () => {
  const external = { remoteWriteUrl: 'https://m.example/api/v1/push', queryUrl: 'https://m.example/prometheus' };
  it.each([
    ['a node', nodeAnswers],
    ['a node with Promtail', { ...nodeAnswers, logAgent: 'promtail' as const }],
    ['a VictoriaMetrics hub', hubAnswers],
    ['a Mimir hub without TLS', { ...hubAnswers, engine: 'mimir' as const, tls: 'off' as const }],
    ['an external engine hub', { ...hubAnswers, engine: 'external' as const, ...external }],
  ])('%s', (_name, answers) => {
    const spec = specFor({ ...answers, mode: 'docker' });
    const dir = tempDir();
    writeStack(dir, render(spec));
    ensureHubTls(dir, spec);
    const r = spawnSync('docker-compose', ['-f', 'docker-compose.yml', 'config', '-q'], { cwd: dir, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
