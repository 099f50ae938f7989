// The commands native mode builds for each service, and the requests validate makes, for the
// services that cannot run here (Grafana, Loki, Promtail, Alloy) as well as those that can. The
// stacks are rendered by the real renderer, so a flag naming a file the stack lacks is caught.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stackServices, resolveArg, type StackService } from '../cli/render/stack-services.js';
import { CORE_SERVICES } from '../cli/services/table.js';
import { commandLine } from '../cli/run/native.js';
import { loadStack } from '../cli/run/stack-dir.js';
import { dashboardsVerdict, datasourceHealthVerdict, grafanaRequests, rulesVerdict, targetsVerdict } from '../cli/run/checks.js';
import { testSpec, writeTestStack } from './support/run-stack.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function stackWith(change: Parameters<typeof testSpec>[2]) {
  const dir = writeTestStack(testSpec('native', 29300, change));
  dirs.push(dir);
  return loadStack(dir);
}

const byName = (plan: StackService[]) => Object.fromEntries(plan.map((s) => [s.name, s]));

/** Arguments that name a file or folder of the stack (config files, rule files). */
function configArgs(svc: StackService, dir: string): string[] {
  return svc.argv
    .map((a) => resolveArg(a, dir))
    .flatMap((a) => (/^-{1,2}config[.a-z]*=/.test(a) ? [a.split('=')[1]] : a.endsWith('.alloy') || a.endsWith('.ini') ? [a] : []));
}

describe('native commands', () => {
  const alloy = stackWith(() => {});
  const promtail = stackWith((s) => (s.log_agent = 'promtail'));

  it('every service of the stack gets one, exporters run by this package, in start order', () => {
    expect(stackServices(alloy.spec).map((s) => s.name)).toEqual(['prometheus', 'alertmanager', 'grafana', 'loki', 'alloy', 'node-exporter', 'fibre-exporter']);
    expect(stackServices(promtail.spec).map((s) => s.name)).toContain('promtail');
    expect(byName(stackServices(alloy.spec))['fibre-exporter'].program).toEqual({ kind: 'fibre-stack' });
  });

  it('name only files the rendered stack has', () => {
    for (const stack of [alloy, promtail]) {
      for (const svc of stackServices(stack.spec)) {
        for (const file of configArgs(svc, stack.dir)) expect(existsSync(join(stack.dir, file)) || existsSync(file), `${svc.name}: ${file}`).toBe(true);
      }
    }
    // And each core service with a config file (node_exporter runs by flags alone) names it.
    for (const svc of stackServices(alloy.spec).filter((s) => s.core && CORE_SERVICES[s.core].config)) expect(configArgs(svc, alloy.dir).length, svc.name).toBeGreaterThan(0);
  });

  it('listen on loopback on the spec ports, and are judged ready on the documented endpoints', () => {
    const plan = byName(stackServices(promtail.spec));
    const { ports } = promtail.spec;
    expect(plan.prometheus.argv).toContain(`--web.listen-address=127.0.0.1:${ports.prometheus}`);
    expect(plan.alertmanager.argv).toContain(`--web.listen-address=127.0.0.1:${ports.alertmanager}`);
    // No gossip port on 0.0.0.0 for a single-host Alertmanager.
    expect(plan.alertmanager.argv).toContain('--cluster.listen-address=');
    expect(plan.alertmanager.program).toEqual({ kind: 'binary', candidates: [{ name: 'alertmanager', leadingArgs: [] }, { name: 'prometheus-alertmanager', leadingArgs: [] }], image: promtail.spec.images.alertmanager });
    expect(byName(stackServices(alloy.spec)).alloy.argv).toContain(`--server.http.listen-addr=127.0.0.1:${ports.alloy}`);
    expect(plan['fibre-exporter'].argv).toEqual(expect.arrayContaining(['exporter', 'replay', '--host=127.0.0.1', `--port=${promtail.spec.profiles.fibre![0].exporter_port}`]));
    expect(Object.fromEntries(Object.values(plan).map((s) => [s.name, s.readyUrl]))).toEqual({
      prometheus: `http://127.0.0.1:${ports.prometheus}/-/ready`,
      alertmanager: `http://127.0.0.1:${ports.alertmanager}/-/ready`,
      grafana: `http://127.0.0.1:${ports.grafana}/api/health`,
      loki: `http://127.0.0.1:${ports.loki}/ready`,
      promtail: `http://127.0.0.1:${ports.promtail}/ready`,
      'node-exporter': `http://127.0.0.1:${ports['node-exporter']}/`,
      'fibre-exporter': `http://127.0.0.1:${promtail.spec.profiles.fibre![0].exporter_port}/health`,
    });
  });

  it('start Grafana with absolute paths and the admin password from .env, never from the plan', () => {
    const grafana = byName(stackServices(alloy.spec)).grafana;
    expect(grafana.program).toEqual({ kind: 'binary', candidates: [{ name: 'grafana', leadingArgs: ['server'] }, { name: 'grafana-server', leadingArgs: [] }], image: alloy.spec.images.grafana });
    expect(JSON.stringify(grafana)).not.toContain('test-password-123');
    // An extracted release archive, laid out as grafana.com's tarball is (grafana-v<version>/bin, conf).
    const home = join(alloy.dir, 'cache', 'grafana-13.2.3', 'grafana-v13.2.3');
    mkdirSync(join(home, 'bin'), { recursive: true });
    mkdirSync(join(home, 'conf'));
    writeFileSync(join(home, 'conf', 'defaults.ini'), '[paths]\n');
    writeFileSync(join(home, 'bin', 'grafana'), '', { mode: 0o755 });
    const cmd = commandLine(alloy, grafana, { executable: join(home, 'bin', 'grafana'), leadingArgs: ['server'], via: 'cache' });
    expect(cmd.argv).toEqual([join(home, 'bin', 'grafana'), 'server', '--homepath', home, '--config', join(alloy.dir, 'grafana/grafana.ini')]);
    expect(cmd.env).toMatchObject({
      GF_PATHS_DATA: join(alloy.dir, 'data/grafana'),
      GF_PATHS_PROVISIONING: join(alloy.dir, 'grafana/provisioning'),
      GF_SECURITY_ADMIN_USER: 'admin',
      GF_SECURITY_ADMIN_PASSWORD: 'test-password-123',
    });
    expect(existsSync(cmd.env.GF_PATHS_PROVISIONING + '/datasources/datasources.yml')).toBe(true);
  });

  it('give Grafana its home with --homepath, the one way it reads it, wherever its binary is found', () => {
    // Grafana never reads GF_PATHS_HOME (grafana/grafana@7895d8a692:pkg/setting/setting.go
    // setHomePath): without --homepath it looks in its working directory, the stack folder.
    const grafana = byName(stackServices(alloy.spec)).grafana;
    const home = join(alloy.dir, 'opt', 'grafana');
    mkdirSync(join(home, 'bin'), { recursive: true });
    mkdirSync(join(home, 'conf'));
    writeFileSync(join(home, 'conf', 'defaults.ini'), '[paths]\n');
    writeFileSync(join(home, 'bin', 'grafana'), '', { mode: 0o755 });
    // A link on PATH to the install, as distribution packages make: the home is the link's target's.
    const onPath = join(alloy.dir, 'usr-bin');
    mkdirSync(onPath);
    symlinkSync(join(home, 'bin', 'grafana'), join(onPath, 'grafana'));
    const cmd = commandLine(alloy, grafana, { executable: join(onPath, 'grafana'), leadingArgs: ['server'], via: 'PATH' });
    expect(cmd.argv.slice(0, 4)).toEqual([join(onPath, 'grafana'), 'server', '--homepath', home]);
    expect(Object.keys(cmd.env)).not.toContain('GF_PATHS_HOME');
    expect(cmd.argv.indexOf('--homepath')).toBeLessThan(cmd.argv.indexOf('--config'));
  });

  it('leave disabled services out, and the log agent with Loki', () => {
    const stack = stackWith((s) => (s.disabled_services = ['grafana', 'loki']));
    expect(stackServices(stack.spec).map((s) => s.name)).toEqual(['prometheus', 'alertmanager', 'node-exporter', 'fibre-exporter']);
  });
});

describe('validate against Grafana', () => {
  const stack = stackWith(() => {});

  it('asks the health of every provisioned datasource and lists dashboards, with the admin credentials of .env', () => {
    const base = 'http://127.0.0.1:29302';
    const reqs = grafanaRequests(stack, base);
    expect(reqs.map((r) => r.url)).toEqual([
      `${base}/api/health`,
      `${base}/api/datasources/uid/prometheus/health`,
      `${base}/api/datasources/uid/loki/health`,
      `${base}/api/datasources/uid/alertmanager/health`,
      `${base}/api/search?type=dash-db&limit=5000`,
    ]);
    expect(reqs.find((r) => r.check === 'datasource loki')!.fallback).toBe(`${base}/api/datasources/proxy/uid/loki/ready`);
    expect(loadStack(stack.dir).env.GF_SECURITY_ADMIN_PASSWORD).toBe('test-password-123');
  });

  it('judges datasource health and dashboards by what Grafana answers', () => {
    expect(datasourceHealthVerdict(200, { status: 'OK', message: 'Successfully queried the Prometheus API.' }).ok).toBe(true);
    expect(datasourceHealthVerdict(400, { status: 'ERROR', message: 'Post "http://127.0.0.1:9090/api/v1/query": connection refused' })).toEqual({
      ok: false,
      detail: 'HTTP 400: Post "http://127.0.0.1:9090/api/v1/query": connection refused',
    });
    expect(dashboardsVerdict([{ uid: 'a' }, { uid: 'b' }], ['a', 'b']).ok).toBe(true);
    expect(dashboardsVerdict([{ uid: 'a' }], ['a', 'b'])).toEqual({ ok: false, detail: 'dashboards not provisioned: b' });
  });
});

describe('validate against Prometheus', () => {
  it('fails on a target down, and not on the targets of services that could not start', () => {
    const body = {
      data: {
        activeTargets: [
          { labels: { job: 'prometheus' }, scrapeUrl: 'http://127.0.0.1:9090/metrics', health: 'up' },
          { labels: { job: 'grafana' }, scrapeUrl: 'http://127.0.0.1:3000/metrics', health: 'down', lastError: 'connection refused' },
        ],
      },
    };
    expect(targetsVerdict(body).ok).toBe(false);
    expect(targetsVerdict(body).detail).toContain('grafana http://127.0.0.1:3000/metrics down: connection refused');
    expect(targetsVerdict(body, new Set(['grafana'])).ok).toBe(true);
    expect(targetsVerdict({ data: { activeTargets: [] } }).ok).toBe(false);
  });

  it('fails on a rule group not loaded or a rule evaluating with an error', () => {
    const groups = [{ name: 'fibre', rules: [{ name: 'FibreExporterDown', health: 'ok' }] }];
    expect(rulesVerdict({ data: { groups } }, ['fibre']).ok).toBe(true);
    expect(rulesVerdict({ data: { groups } }, ['fibre', 'stack'])).toEqual({ ok: false, detail: 'rule groups not loaded: stack' });
    const broken = [{ name: 'fibre', rules: [{ name: 'x', health: 'err', lastError: 'vector contains metrics with the same labelset' }] }];
    expect(rulesVerdict({ data: { groups: broken } }, ['fibre']).detail).toBe('fibre/x: vector contains metrics with the same labelset');
  });
});
