// The synthetic checks as rendered: off by default; when on, the blackbox exporter in the stack
// (compose and native), its modules, and Prometheus's probe job with every check the spec implies,
// at the addresses Prometheus's side reaches them. `create --synthetic-checks` turns them on.
import { describe, expect, it } from 'vitest';
import { load } from 'js-yaml';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileOf, render, specFor, tempDir } from './support/stack.js';
import { runCli } from './support/cli.js';
import { stackServices } from '../cli/render/stack-services.js';
import { NODEOS_HEAD_BLOCK } from '../cli/render/blackbox.js';

const all = { profiles: ['fibre', 'bitcoin-core', 'nodeos'] as const, nodeosUrl: 'http://127.0.0.1:8888/api', nodeName: 'n1' };
type Group = { targets: string[]; labels: Record<string, string> };
const groups = (files: ReturnType<typeof render>) => JSON.parse(fileOf(files, 'prometheus/targets/probe.json')) as Group[];
const byCheck = (gs: Group[], check: string) => gs.filter((g) => g.labels.check === check).map((g) => ({ target: g.targets[0], module: g.labels.__param_module }));

describe('synthetic checks', () => {
  it('are off by default: no blackbox exporter, no probe job', () => {
    const files = render(specFor({ profiles: [...all.profiles], nodeosUrl: all.nodeosUrl }));
    expect(files.map((f) => f.path).filter((p) => p.includes('blackbox') || p.includes('probe'))).toEqual([]);
    expect((load(fileOf(files, 'docker-compose.yml')) as { services: object }).services).not.toHaveProperty('blackbox');
  });

  it('in docker mode: probe the host through host.docker.internal and the stack by service name, through the blackbox service', () => {
    const files = render(specFor({ ...all, profiles: [...all.profiles], syntheticChecks: true }));
    const compose = load(fileOf(files, 'docker-compose.yml')) as { services: Record<string, { image: string; volumes: unknown[]; extra_hosts?: string[]; healthcheck: { test: string[] } }> };
    expect(compose.services.blackbox.image).toBe('prom/blackbox-exporter:v0.28.0');
    expect(compose.services.blackbox.healthcheck.test.join(' ')).toContain('/-/healthy');
    // It keeps nothing: its config, and no data volume.
    expect(compose.services.blackbox.volumes).toEqual([{ type: 'bind', source: './blackbox', target: '/etc/blackbox_exporter', read_only: true }]);
    expect(compose.services.blackbox.extra_hosts).toEqual(['host.docker.internal:host-gateway']);

    const prom = load(fileOf(files, 'prometheus/prometheus.yml')) as { scrape_configs: Record<string, unknown>[] };
    expect(prom.scrape_configs.find((j) => j.job_name === 'probe')).toEqual({
      job_name: 'probe',
      metrics_path: '/probe',
      file_sd_configs: [{ files: ['targets/probe.json'], refresh_interval: '30s' }],
      relabel_configs: [
        { source_labels: ['__address__'], target_label: '__param_target' },
        { source_labels: ['__param_target'], target_label: 'instance' },
        { target_label: '__address__', replacement: 'blackbox:9115' },
      ],
    });
    // Its own metrics too, like every service of the stack.
    expect(prom.scrape_configs.map((j) => j.job_name)).toContain('blackbox');

    const gs = groups(files);
    expect(byCheck(gs, 'nodeos_api')).toEqual([{ target: 'http://host.docker.internal:8888/api/v1/chain/get_info', module: 'nodeos_head_block' }]);
    expect(gs.find((g) => g.labels.check === 'nodeos_api')!.labels.node).toBe('n1');
    // fibre and bitcoin-core each watch a bitcoind: each brings its checks.
    expect(byCheck(gs, 'bitcoind_p2p')).toEqual([{ target: 'host.docker.internal:8333', module: 'tcp_connect' }, { target: 'host.docker.internal:8333', module: 'tcp_connect' }]);
    expect(byCheck(gs, 'bitcoind_rpc')[0]).toEqual({ target: 'host.docker.internal:8332', module: 'tcp_connect' });
    expect(byCheck(gs, 'stack_ui')).toEqual([
      { target: 'http://prometheus:9090/-/ready', module: 'http_2xx' },
      { target: 'http://alertmanager:9093/-/ready', module: 'http_2xx' },
      { target: 'http://grafana:3000/api/health', module: 'http_2xx' },
      { target: 'http://loki:3100/ready', module: 'http_2xx' },
    ]);

    const blackbox = load(fileOf(files, 'blackbox/blackbox.yml')) as { modules: Record<string, { prober: string; http?: { fail_if_body_not_matches_regexp?: string[] } }> };
    expect(Object.keys(blackbox.modules).sort()).toEqual([...new Set(gs.map((g) => g.labels.__param_module))].sort());
    expect(blackbox.modules.nodeos_head_block.http!.fail_if_body_not_matches_regexp).toEqual([NODEOS_HEAD_BLOCK]);
  });

  it('natively: the blackbox exporter listens on the bind address, on its rendered config', () => {
    const spec = specFor({ ...all, profiles: [...all.profiles], mode: 'native', syntheticChecks: true });
    const svc = stackServices(spec).find((s) => s.name === 'blackbox')!;
    expect(svc.argv).toEqual(['--config.file=blackbox/blackbox.yml', '--web.listen-address=127.0.0.1:9115']);
    expect(svc.readyUrl).toBe('http://127.0.0.1:9115/-/healthy');
    expect(groups(render(spec)).find((g) => g.labels.check === 'stack_ui')!.targets).toEqual(['http://127.0.0.1:9090/-/ready']);
  });

  it('create --synthetic-checks turns them on in fibre-stack.yml', () => {
    const dir = tempDir();
    try {
      const r = runCli(['create', dir, '--yes', '--synthetic-checks', '--overwrite']);
      expect(r.code, r.stderr).toBe(0);
      expect(readFileSync(join(dir, 'fibre-stack.yml'), 'utf8')).toMatch(/^synthetic_checks: true$/m);
      expect(readFileSync(join(dir, 'blackbox', 'blackbox.yml'), 'utf8')).toContain('tcp_connect');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
