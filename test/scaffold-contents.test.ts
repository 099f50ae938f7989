// What each generated file promises, read back from the files.
import { describe, expect, it } from 'vitest';
import { load } from 'js-yaml';
import { fileOf, render, specFor } from './support/stack.js';

type Compose = { services: Record<string, Record<string, any>>; volumes: Record<string, unknown> };

describe('docker-compose.yml', () => {
  const spec = specFor({ profiles: ['fibre', 'bitcoin-core', 'miner', 'nodeos'], minerLogs: ['/var/log/m/a.log'] });
  const compose = load(fileOf(render(spec), 'docker-compose.yml')) as Compose;

  it('starts services in order of health, restarts them, keeps data in named volumes', () => {
    expect(compose.services.grafana.depends_on).toEqual({ prometheus: { condition: 'service_healthy' }, loki: { condition: 'service_healthy' } });
    expect(compose.services.alloy.depends_on).toEqual({ loki: { condition: 'service_healthy' } });
    for (const s of Object.values(compose.services)) expect(s.restart).toBe('unless-stopped');
    expect(Object.keys(compose.volumes).sort()).toEqual(['alertmanager-data', 'alloy-data', 'grafana-data', 'loki-data', 'prometheus-data']);
  });

  it('eBPF exporters get the host PID namespace, CAP_SYS_ADMIN and CAP_SYS_PTRACE, never privileged', () => {
    for (const name of ['fibre-exporter', 'bitcoin-core-exporter']) {
      const s = compose.services[name];
      expect(s.pid).toBe('host');
      expect(s.cap_drop).toEqual(['ALL']);
      expect(s.cap_add).toEqual(['SYS_ADMIN', 'SYS_PTRACE']);
      expect(s.security_opt).toEqual(['no-new-privileges:true']);
      expect(s.privileged).toBeUndefined();
      expect(s.volumes).toEqual([{ type: 'bind', source: '/usr/local/bin/bitcoind', target: '/usr/local/bin/bitcoind', read_only: true }]);
    }
    const miner = compose.services['miner-exporter'];
    expect(miner.pid).toBeUndefined();
    expect(miner.cap_add).toBeUndefined();
    expect(miner.cap_drop).toEqual(['ALL']);
    expect(miner.security_opt).toEqual(['no-new-privileges:true']);
    expect(miner.read_only).toBe(true);
  });

  it('takes the Grafana password from .env and refuses to start without it', () => {
    expect(compose.services.grafana.environment.GF_SECURITY_ADMIN_PASSWORD).toMatch(/^\$\{GF_SECURITY_ADMIN_PASSWORD:\?/);
  });

  it('healthchecks use only what each image ships', () => {
    expect(compose.services.loki.healthcheck.test).toEqual(['CMD', '/usr/bin/loki', '-health']);
    expect(compose.services.prometheus.healthcheck.test.slice(0, 2)).toEqual(['CMD', 'wget']);
    expect(compose.services.alloy.healthcheck.test.slice(0, 2)).toEqual(['CMD', 'bash']);
    expect(compose.services['fibre-exporter'].healthcheck.test.slice(0, 2)).toEqual(['CMD', 'node']);
  });

  it('publishes on the chosen bind address, IPv6 in brackets', () => {
    const v6 = load(fileOf(render(specFor({ profiles: ['scrape'], bind: '::1' })), 'docker-compose.yml')) as Compose;
    expect(v6.services.prometheus.ports).toEqual(['[::1]:9090:9090']);
  });
});

describe('Prometheus, Alertmanager, Grafana, Loki', () => {
  const spec = specFor({ profiles: ['fibre', 'nodeos', 'scrape'], nodeosUrl: 'http://127.0.0.1:8888', scrapeTargets: ['localhost:9100', '10.0.0.9:9100'], receivers: [{ receiver: { name: 'webhook', type: 'webhook', url: 'https://hooks.example/a' } }] });
  const files = render(spec);

  it('a job per profile and stack service, targets in file_sd files', () => {
    const prom = load(fileOf(files, 'prometheus/prometheus.yml')) as any;
    expect(prom.scrape_configs.map((j: any) => j.job_name)).toEqual(['prometheus', 'alertmanager', 'grafana', 'loki', 'alloy', 'node-exporter', 'cadvisor', 'fibre', 'nodeos', 'scrape']);
    expect(prom.rule_files).toEqual(['rules/*.yml']);
    const nodeos = prom.scrape_configs.find((j: any) => j.job_name === 'nodeos');
    expect(nodeos.metrics_path).toBe('/v1/prometheus/metrics');
    expect(nodeos.file_sd_configs[0].files).toEqual(['targets/nodeos.json']);
    // In docker, the host's loopback is reached through host.docker.internal.
    expect(JSON.parse(fileOf(files, 'prometheus/targets/nodeos.json'))[0].targets).toEqual(['host.docker.internal:8888']);
    expect(JSON.parse(fileOf(files, 'prometheus/targets/scrape.json'))[0].targets).toEqual(['host.docker.internal:9100', '10.0.0.9:9100']);
    expect(JSON.parse(fileOf(files, 'prometheus/targets/fibre.json'))[0].targets).toEqual(['fibre-exporter:9435']);
    expect(prom.alerting.alertmanagers[0].static_configs[0].targets).toEqual(['alertmanager:9093']);
  });

  it('Alertmanager sends alerts of every severity to the webhook, with its repeat interval', () => {
    const am = load(fileOf(files, 'alertmanager/alertmanager.yml')) as any;
    expect(am.route.receiver).toBe('none');
    expect(am.receivers).toEqual([{ name: 'none' }, { name: 'webhook', webhook_configs: [{ send_resolved: true, url: 'https://hooks.example/a' }] }]);
    expect(am.route.routes.slice(1).map((r: any) => [r.matchers, r.repeat_interval, r.routes])).toEqual([
      [['severity="critical"'], '1h', [{ receiver: 'webhook', continue: true }]],
      [['severity="warning"'], '4h', [{ receiver: 'webhook', continue: true }]],
      [['severity="info"'], '24h', [{ receiver: 'webhook', continue: true }]],
    ]);
  });

  it('Grafana datasources have fixed uids and the dashboards provider reads the mounted folder', () => {
    const ds = load(fileOf(files, 'grafana/provisioning/datasources/datasources.yml')) as any;
    expect(ds.datasources.map((d: any) => [d.uid, d.type, d.url])).toEqual([
      ['prometheus', 'prometheus', 'http://prometheus:9090'],
      ['loki', 'loki', 'http://loki:3100'],
      ['alertmanager', 'alertmanager', 'http://alertmanager:9093'],
    ]);
    const prov = load(fileOf(files, 'grafana/provisioning/dashboards/dashboards.yml')) as any;
    const compose = load(fileOf(files, 'docker-compose.yml')) as Compose;
    const mount = compose.services.grafana.volumes.find((v: any) => v.source === './grafana/dashboards');
    expect(prov.providers[0].options.path).toBe(mount.target);
  });

  it('Loki: single binary, filesystem storage, retention by the compactor', () => {
    const loki = load(fileOf(files, 'loki/loki.yml')) as any;
    // Chunks and rules inside /loki, which compose keeps in the loki-data volume.
    expect(loki.common.storage).toEqual({ filesystem: { chunks_directory: '/loki/chunks', rules_directory: '/loki/rules' } });
    expect((load(fileOf(files, 'docker-compose.yml')) as Compose).services.loki.volumes).toContain('loki-data:/loki');
    expect(loki.common.ring.kvstore.store).toBe('inmemory');
    expect(loki.schema_config.configs[0]).toMatchObject({ store: 'tsdb', object_store: 'filesystem', schema: 'v13' });
    expect(loki.limits_config.retention_period).toBe('168h');
    expect(loki.compactor.retention_enabled).toBe(true);
    expect(loki.limits_config.allow_structured_metadata).toBe(true);
  });

  it('disabled services leave the stack, with the log agent when Loki goes', () => {
    const s = specFor({ profiles: ['scrape'] });
    s.disabled_services = ['grafana', 'loki'];
    const compose = load(fileOf(render(s), 'docker-compose.yml')) as Compose;
    expect(Object.keys(compose.services).sort()).toEqual(['alertmanager', 'cadvisor', 'node-exporter', 'prometheus']);
  });
});

describe('several nodes of a profile, in docker mode', () => {
  const spec = specFor({
    profiles: ['bitcoin-core', 'miner'],
    nodes: {
      'bitcoin-core': [{ nodeName: 'a', bitcoinDatadir: '/srv/a' }, { nodeName: 'b', bitcoinDatadir: '/srv/b' }],
      miner: [{ nodeName: 'rig-a', minerLogs: ['/var/log/a/left.log'], cards: ['left'] }, { nodeName: 'rig-b', minerLogs: ['/var/log/b/left.log'], cards: ['left'] }],
    },
  });
  const files = render(spec);

  it('run an exporter service each, the first under the name a one-node stack has', () => {
    const compose = load(fileOf(files, 'docker-compose.yml')) as any;
    const exporters = Object.keys(compose.services).filter((s) => /-exporter/.test(s) && s !== 'node-exporter');
    expect(exporters).toEqual(['bitcoin-core-exporter', 'bitcoin-core-exporter-2', 'miner-exporter', 'miner-exporter-2']);
    expect(compose.services['miner-exporter-2'].command).toEqual(expect.arrayContaining(['--node-name=rig-b', '--port=9440', '--log=/var/log/b/left.log', '--card=left']));
  });

  it('are targets of their profile\'s one job, each with its node label, the exporter\'s own labels kept', () => {
    const prom = load(fileOf(files, 'prometheus/prometheus.yml')) as any;
    const jobs = prom.scrape_configs.filter((j: any) => ['bitcoin-core', 'miner'].includes(j.job_name));
    expect(jobs.map((j: any) => [j.job_name, j.honor_labels])).toEqual([['bitcoin-core', true], ['miner', true]]);
    expect(JSON.parse(fileOf(files, 'prometheus/targets/bitcoin-core.json'))).toEqual([
      { targets: ['bitcoin-core-exporter:9437'], labels: { node: 'a' } },
      { targets: ['bitcoin-core-exporter-2:9438'], labels: { node: 'b' } },
    ]);
    expect(JSON.parse(fileOf(files, 'prometheus/targets/miner.json'))).toEqual([
      { targets: ['miner-exporter:9439'], labels: { node: 'rig-a' } },
      { targets: ['miner-exporter-2:9440'], labels: { node: 'rig-b' } },
    ]);
  });

  it('ship their logs apart: each debug.log and card log once, labelled with its node', () => {
    const alloy = fileOf(files, 'alloy/config.alloy');
    for (const id of ['bitcoin_core_debug_log', 'bitcoin_core_debug_log_2', 'miner_log_0', 'miner_log_0_2']) expect(alloy).toContain(`local.file_match "${id}"`);
    expect(alloy).toContain('"/srv/b/debug.log"');
    expect(alloy).toContain('"__path__" = "/var/log/b/left.log",\n    "job" = "fpga-miner",\n    "node" = "rig-b",\n    "card" = "left",');
  });
});
