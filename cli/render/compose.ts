// docker-compose.yml: pinned images, a healthcheck on every service (using only what each image
// ships: ABI.md section 6), start order by health, named volumes, ports bound to the bind address.
import { posix } from 'node:path';
import type { StackSpec } from '../spec/types.js';

import { dumpYaml } from '../../core/encode/yaml.js';
import type { ExporterRun } from '../../profiles/types.js';
import type { RenderedFile } from './types.js';
import { CONTAINER_PORTS, DOCKER_HOST_ALIAS, hostPart, listenAddress } from './addressing.js';
import { alertmanagerFlags } from './alertmanager.js';
import { prometheusFlags, GENERATED_HEADER } from './prometheus.js';
import { alloyArgs, logSources } from './log-agent.js';
import { exporterRuns } from './stack-profiles.js';
import { grafanaDashboardsPath } from './grafana.js';
import { type CoreService, enabledServices } from '../services/table.js';

type Service = Record<string, unknown>;

const INTERVALS = { interval: '10s', timeout: '5s', retries: 6 };

/** An HTTP probe for images with busybox wget (Prometheus, Alertmanager). */
function wgetCheck(port: number, path: string) {
  return { test: ['CMD', 'wget', '-q', '-O', '/dev/null', `http://127.0.0.1:${port}${path}`], ...INTERVALS, start_period: '20s' };
}

/** An HTTP probe for images with bash but neither curl nor wget (Alloy, Promtail). */
function bashTcpCheck(port: number, path: string) {
  const script =
    `exec 3<>/dev/tcp/127.0.0.1/${port} && printf 'GET ${path} HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n1 <&3 | grep -q ' 200 '`;
  return { test: ['CMD', 'bash', '-c', script], ...INTERVALS, start_period: '20s' };
}

/** Published port on the bind address only: loopback unless the user chose otherwise. */
function publish(spec: StackSpec, service: CoreService): string {
  return `${hostPart(spec.bind_address)}:${spec.ports[service]}:${CONTAINER_PORTS[service]}`;
}

function bind(source: string, target: string, readOnly = true) {
  // Long syntax: a path with ':' or spaces would break the short "src:dst:ro" form.
  return { type: 'bind', source, target, read_only: readOnly };
}

function base(spec: StackSpec, image: string): Service {
  return { image, restart: 'unless-stopped', security_opt: ['no-new-privileges:true'], labels: { 'io.fibre-stack.project': spec.project } };
}

function coreServices(spec: StackSpec): Record<string, Service> {
  const on = new Set(enabledServices(spec));
  const out: Record<string, Service> = {};
  const healthy = (names: CoreService[]) =>
    Object.fromEntries(names.filter((n) => on.has(n)).map((n) => [n, { condition: 'service_healthy' }]));

  if (on.has('prometheus')) {
    out.prometheus = {
      ...base(spec, spec.images.prometheus),
      command: prometheusFlags(spec, { config: '/etc/prometheus/prometheus.yml', data: '/prometheus', listen: listenAddress(spec, 'prometheus') }),
      volumes: [bind('./prometheus', '/etc/prometheus'), 'prometheus-data:/prometheus'],
      ports: [publish(spec, 'prometheus')],
      // Scrape targets given as localhost (nodeos, extra targets) are the host's.
      extra_hosts: [`${DOCKER_HOST_ALIAS}:host-gateway`],
      healthcheck: wgetCheck(CONTAINER_PORTS.prometheus, '/-/ready'),
    };
  }
  if (on.has('alertmanager')) {
    out.alertmanager = {
      ...base(spec, spec.images.alertmanager),
      command: alertmanagerFlags({ config: '/etc/alertmanager/alertmanager.yml', data: '/alertmanager', listen: listenAddress(spec, 'alertmanager') }),
      volumes: [bind('./alertmanager', '/etc/alertmanager'), 'alertmanager-data:/alertmanager'],
      ports: [publish(spec, 'alertmanager')],
      healthcheck: wgetCheck(CONTAINER_PORTS.alertmanager, '/-/ready'),
    };
  }
  if (on.has('loki')) {
    out.loki = {
      ...base(spec, spec.images.loki),
      command: ['-config.file=/etc/loki/loki.yml'],
      volumes: [bind('./loki', '/etc/loki'), 'loki-data:/loki'],
      ports: [publish(spec, 'loki')],
      // Loki 3.6+ images are distroless (no shell, wget or curl); the binary checks itself.
      healthcheck: { test: ['CMD', '/usr/bin/loki', '-health'], ...INTERVALS, start_period: '30s' },
    };
  }
  if (on.has('grafana')) {
    out.grafana = {
      ...base(spec, spec.images.grafana),
      environment: {
        GF_SECURITY_ADMIN_USER: 'admin',
        GF_USERS_ALLOW_SIGN_UP: 'false',
        GF_AUTH_ANONYMOUS_ENABLED: 'false',
        GF_ANALYTICS_REPORTING_ENABLED: 'false',
        GF_ANALYTICS_CHECK_FOR_UPDATES: 'false',
      },
      volumes: [
        bind('./grafana/provisioning', '/etc/grafana/provisioning'),
        bind('./grafana/dashboards', grafanaDashboardsPath(spec)),
        'grafana-data:/var/lib/grafana',
      ],
      ports: [publish(spec, 'grafana')],
      depends_on: healthy(['prometheus', 'loki']),
      // The Alpine image ships curl and busybox wget.
      healthcheck: { test: ['CMD-SHELL', 'curl -fsS -o /dev/null http://127.0.0.1:3000/api/health || wget -q -O /dev/null http://127.0.0.1:3000/api/health'], ...INTERVALS, start_period: '30s' },
    };
  }
  const agent = on.has('alloy') ? 'alloy' : on.has('promtail') ? 'promtail' : undefined;
  if (agent) {
    // The agent reads the host's log files, mounted read-only at the same paths.
    const logDirs = [...new Set(logSources(spec).map((s) => posix.dirname(s.path)))];
    const logMounts = logDirs.map((dir) => bind(dir, dir));
    out[agent] =
      agent === 'alloy'
        ? {
            ...base(spec, spec.images.alloy),
            command: alloyArgs(spec, { config: '/etc/alloy/config.alloy', data: '/var/lib/alloy/data' }),
            volumes: [bind('./alloy', '/etc/alloy'), 'alloy-data:/var/lib/alloy/data', ...logMounts],
            ports: [publish(spec, 'alloy')],
            depends_on: healthy(['loki']),
            healthcheck: bashTcpCheck(CONTAINER_PORTS.alloy, '/-/ready'),
          }
        : {
            ...base(spec, spec.images.promtail),
            command: ['-config.file=/etc/promtail/promtail.yml'],
            volumes: [bind('./promtail', '/etc/promtail'), 'promtail-data:/var/lib/promtail', ...logMounts],
            ports: [publish(spec, 'promtail')],
            depends_on: healthy(['loki']),
            healthcheck: bashTcpCheck(CONTAINER_PORTS.promtail, '/ready'),
          };
  }
  return out;
}

function exporterService(spec: StackSpec, run: ExporterRun): Service {
  const service: Service = {
    ...base(spec, spec.images.exporter),
    command: [...run.args, '--host', '0.0.0.0'],
    read_only: true,
    tmpfs: ['/tmp'],
    // A binary is mounted as itself; a log by its folder, so that rotation and recreation
    // (a new inode) stay visible inside the container.
    volumes: [...new Set(run.hostPaths.map((p) => (run.ebpf ? p : posix.dirname(p))))].map((p) => bind(p, p)),
    healthcheck: {
      test: ['CMD', 'node', '-e', `fetch('http://127.0.0.1:${run.port}/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`],
      ...INTERVALS,
      start_period: '15s',
    },
  };
  if (run.ebpf) {
    // eBPF needs the host's PID namespace, root with CAP_SYS_ADMIN, and a seccomp profile that
    // allows bpf() and perf_event_open(); CAP_SYS_PTRACE lets root read /proc/PID/exe and maps of
    // a bitcoind run by another user, to find it and attach to it. Never privileged.
    Object.assign(service, { pid: 'host', user: '0', cap_drop: ['ALL'], cap_add: ['SYS_ADMIN', 'SYS_PTRACE'], security_opt: ['seccomp:unconfined'] });
  } else {
    Object.assign(service, { cap_drop: ['ALL'] });
  }
  return service;
}

/** Compose interpolates `$` everywhere in the file; a literal `$` must be written `$$`. */
function escapeInterpolation<T>(value: T): T {
  if (typeof value === 'string') return value.replace(/\$/g, '$$$$') as T;
  if (Array.isArray(value)) return value.map(escapeInterpolation) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeInterpolation(v)])) as T;
  }
  return value;
}

export function renderCompose(spec: StackSpec): RenderedFile[] {
  if (spec.mode !== 'docker') return [];
  const services: Record<string, Service> = coreServices(spec);
  for (const run of exporterRuns(spec)) services[run.service] = exporterService(spec, run);
  const volumes = Object.fromEntries(
    Object.values(services)
      .flatMap((s) => (s.volumes as unknown[]).filter((v): v is string => typeof v === 'string'))
      .map((v) => [v.split(':')[0], {}]),
  );
  const escaped = escapeInterpolation({ services, volumes });
  // The one interpolation we mean: the admin password from .env, refusing to start without it.
  const grafana = escaped.services.grafana as { environment: Record<string, string> } | undefined;
  if (grafana) grafana.environment.GF_SECURITY_ADMIN_PASSWORD = '${GF_SECURITY_ADMIN_PASSWORD:?run fibre-stack generate to create .env}';
  return [{ path: 'docker-compose.yml', content: dumpYaml(escaped, GENERATED_HEADER) }];
}
