// The stack's core services (Prometheus, Alertmanager, Grafana, Loki, the log agents, and
// node_exporter and cAdvisor for the host and its containers) in one
// table: every fact fibre-stack relies on about each program, read by the compose file, the
// service inventory both runners use, the release downloads, validate's checks, the README and
// Grafana's provisioning. A new core service is an entry here plus its renderer
// (cli/render/core-services.ts); the compiler asks for both.
//
// Facts about programs that cannot run here (Grafana, Loki, Alloy, Promtail, cAdvisor, Mimir) name
// their upstream source in `sources` as "repo@ref:path", read at the pinned tag (the release's own:
// v<version>, mimir-<version> for Mimir). Grafana's repository is too large to fetch here: its facts
// come from stored versions at the commits named, not from a tag.
import { DATASOURCES, type DatasourceDef } from '../../core/datasources.js';

/**
 * What a service does in the stack. A stack runs one log agent: the one its spec names, and the
 * synthetic checks only when its spec turns them on (`synthetic_checks: true`).
 */
export type ServiceRole =
  | 'metrics' | 'alerting' | 'dashboards' | 'logs' | 'log-agent' | 'synthetic-checks' | 'host-metrics'
  | 'fleet-store' | 'fleet-rules' | 'fleet-gateway';

/**
 * What kind of stack runs a service: a standalone stack, a fleet node (metrics agent, log agent,
 * exporters) or a fleet hub, by its metrics engine (cli/spec/types.ts, `fleet:`).
 */
export type StackKind = 'standalone' | 'node' | 'hub-victoriametrics' | 'hub-mimir' | 'hub-external';

export function stackKind(spec: { fleet?: { role: 'node' } | { role: 'hub'; engine: 'victoriametrics' | 'mimir' | 'external' } }): StackKind {
  const f = spec.fleet;
  if (!f) return 'standalone';
  return f.role === 'node' ? 'node' : `hub-${f.engine}`;
}

const HUBS = ['hub-victoriametrics', 'hub-mimir', 'hub-external'] as const;

/** How a container healthcheck asks the readiness path, with only what the image ships. */
export type ImageProbe =
  /** busybox wget. */
  | { tool: 'wget' }
  /** curl, else busybox wget. */
  | { tool: 'curl-or-wget' }
  /** bash's /dev/tcp: the image has neither curl nor wget. */
  | { tool: 'bash-tcp' }
  /** The program checks itself: the image has no shell at all. */
  | { tool: 'self'; command: readonly string[] }
  /** Nothing in the image can ask (distroless, no self-check): compose runs no healthcheck. */
  | { tool: 'none' };

/** Where native mode downloads the pinned release from, and how it checks the archive. */
export type ReleaseDef =
  /** GitHub release `<name>-<version>.linux-<arch>.tar.gz`, checked against `sha256sums.txt`. */
  | { kind: 'prometheus-tarball'; repo: string; name: string }
  /** GitHub release `<name>-linux-<arch>-v<version>.tar.gz`, checked against `<same>_checksums.txt` (VictoriaMetrics). */
  | { kind: 'victoriametrics-tarball'; repo: string; name: string; binary: string }
  /** GitHub release asset `<name>-linux-<arch>`, a bare binary, checked against `<name>-linux-<arch>-sha-256` (Mimir). */
  | { kind: 'github-binary'; repo: string; name: string }
  /** GitHub release `<name>-linux-<arch>.zip`, checked against `SHA256SUMS`. */
  | { kind: 'grafana-labs-zip'; repo: string; name: string }
  /** grafana.com's downloads API, which answers with the archive's URL and sha256. */
  | { kind: 'grafana-downloads-api'; binaryNames: readonly string[] }
  /** Never run natively (a `dockerOnly` service): nothing to download. */
  | { kind: 'none' };

export interface BinaryCandidate {
  /** File name looked up on PATH and in the cache, e.g. `grafana-server`. */
  name: string;
  /** Arguments that come before the service's own, e.g. `server` for `grafana server`. */
  leadingArgs: readonly string[];
}

/**
 * What a service that watches the host itself needs of it in its container: the host's namespaces
 * and folders, read-only. Such a service publishes no port when it shares the host's network: it
 * listens on the host directly (cli/render/addressing.ts listenOn).
 */
export interface HostAccess {
  /** The host's network namespace: its interfaces, not the container's. */
  network?: true;
  /** The host's PID namespace: /proc/1 is the host's init, whose mount table is the host's. */
  pid?: true;
  /** Host folders mounted read-only; `rslave` lets mounts made later on the host show inside. */
  mounts: readonly { host: string; container: string; propagation?: 'rslave' }[];
  /** Host devices passed in. */
  devices?: readonly string[];
  /** It writes nothing and needs no capability: a read-only container without any. */
  unprivileged?: true;
}

export interface ServiceDef<Name extends string = string> {
  role: ServiceRole;
  /** The kinds of stack that run it. */
  runsIn: readonly StackKind[];
  /** For a service the user chooses among others (a log agent): how `create` describes it, its prompt and --help. */
  choiceNote?: string;
  /** The default port (spec.ports), which is also the port inside its container. */
  port: number;
  /** The pinned image. Native mode downloads the release of the same version. */
  image: string;
  /** The config file it is started with, in the stack folder; none for a program run by flags alone. */
  config?: string;
  /** Folders of the stack mounted into its container (read-only), by path in the stack folder. */
  mounts: readonly { stack: string; container: string }[];
  /** The config file its image starts it with, when ours is not mounted (Grafana's own grafana.ini). */
  imageConfig?: string;
  /** Where it keeps its data inside its container (a named volume); natively `data/<service>`. None: it keeps nothing. */
  containerData?: string;
  /** It watches the host: what of the host its container is given. */
  hostAccess?: HostAccess;
  /** It runs only in containers (cAdvisor watches the containers of the docker stack). */
  dockerOnly?: true;
  /** Answers 200 once the service is ready. */
  readyPath: string;
  healthcheck: { probe: ImageProbe; startPeriod: string };
  /** Services it starts after, once they are healthy. */
  startsAfter: readonly Name[];
  /** Where it sends everything it does: without that service it has no use and does not run. */
  sendsTo?: Name;
  /** Reaches services on the host named as localhost (scrape targets), which a container can't do by that name. */
  reachesHost?: true;
  /** Settings its container takes from the environment. */
  containerEnv?: Readonly<Record<string, string>>;
  /** Variables of the stack's .env it is started with (secrets are never written into a config). */
  fromDotenv?: readonly string[];
  /** The programs that run it natively, in order of preference. */
  binaries: readonly BinaryCandidate[];
  release: ReleaseDef;
  /** How a person gets the program when neither PATH, the cache nor a download has it. */
  howToGet: string;
  /** The page a person opens, for services with one. */
  uiPath?: string;
  /** The Grafana datasource it is. */
  datasource?: {
    def: DatasourceDef;
    /** Provisioning settings beyond name, uid, type and url. */
    settings: Readonly<Record<string, unknown>>;
    /** Asked through Grafana's datasource proxy when the plugin has no health check of its own. */
    proxyReadyPath: string;
  };
  /** Upstream source of each fact above about a program we cannot run here: "repo@ref:path". */
  sources: Readonly<Record<string, string>>;
}

// Pinned image tags: what users run must not move under them. Update these deliberately, together
// with the sources read at the new tag.
const TABLE = {
  prometheus: {
    runsIn: ['standalone', 'node'],
    role: 'metrics',
    port: 9090,
    image: 'prom/prometheus:v3.14.0',
    config: 'prometheus/prometheus.yml',
    mounts: [{ stack: 'prometheus', container: '/etc/prometheus' }],
    containerData: '/prometheus',
    readyPath: '/-/ready',
    healthcheck: { probe: { tool: 'wget' }, startPeriod: '20s' },
    startsAfter: [],
    reachesHost: true,
    binaries: [{ name: 'prometheus', leadingArgs: [] }],
    release: { kind: 'prometheus-tarball', repo: 'prometheus/prometheus', name: 'prometheus' },
    howToGet: 'apt-get install prometheus, or https://prometheus.io/download/',
    uiPath: '/',
    datasource: { def: DATASOURCES.prometheus, settings: { isDefault: true, editable: false, jsonData: { timeInterval: '15s', httpMethod: 'POST' } }, proxyReadyPath: 'api/v1/status/buildinfo' },
    sources: {
      // --storage.tsdb.retention.time is deprecated from v3.8.0 in favour of the config file's
      // storage.tsdb.retention, and still applied when the file has none (main.go L508, L732-741).
      flags: 'prometheus/prometheus@v3.14.0:cmd/prometheus/main.go',
      readyPath: 'prometheus/prometheus@v3.14.0:web/web.go',
      // The plain tag stays busybox (wget); only the `-distroless` tags have no shell or wget.
      'image: busybox wget, USER nobody': 'prometheus/prometheus@v3.14.0:Dockerfile',
    },
  },
  alertmanager: {
    runsIn: ['standalone', ...HUBS],
    role: 'alerting',
    port: 9093,
    image: 'prom/alertmanager:v0.34.0',
    config: 'alertmanager/alertmanager.yml',
    mounts: [{ stack: 'alertmanager', container: '/etc/alertmanager' }],
    containerData: '/alertmanager',
    readyPath: '/-/ready',
    healthcheck: { probe: { tool: 'wget' }, startPeriod: '20s' },
    startsAfter: [],
    // Debian packages Alertmanager as prometheus-alertmanager.
    binaries: [{ name: 'alertmanager', leadingArgs: [] }, { name: 'prometheus-alertmanager', leadingArgs: [] }],
    release: { kind: 'prometheus-tarball', repo: 'prometheus/alertmanager', name: 'alertmanager' },
    howToGet: 'apt-get install prometheus-alertmanager, or https://prometheus.io/download/#alertmanager',
    uiPath: '/',
    datasource: { def: DATASOURCES.alertmanager, settings: { editable: false, jsonData: { implementation: 'prometheus', handleGrafanaManagedAlerts: false } }, proxyReadyPath: 'api/v2/status' },
    sources: {
      flags: 'prometheus/alertmanager@v0.34.0:cmd/alertmanager/main.go',
      readyPath: 'prometheus/alertmanager@v0.34.0:httpserver/httpserver.go',
      'image: busybox wget, USER nobody': 'prometheus/alertmanager@v0.34.0:Dockerfile',
      'inhibit_rules: source_matchers, target_matchers, equal': 'prometheus/alertmanager@v0.34.0:config/common/inhibitrule.go',
    },
  },
  grafana: {
    runsIn: ['standalone', ...HUBS],
    role: 'dashboards',
    port: 3000,
    // 13.2.3: the newest release seen published by Grafana itself (npm @grafana/schema 13.2.3,
    // 2026-09-29, released in lockstep with Grafana; 13.2.0 and 13.2.1 carry CVE fixes, release
    // notes at grafana/grafana releases/tag/v13.2.1), and pinned by digest in public stacks. No
    // tag could be read here: the repository is too large to fetch.
    image: 'grafana/grafana:13.2.3',
    // Natively Grafana takes its settings from this file; in its container from the environment.
    config: 'grafana/grafana.ini',
    mounts: [
      { stack: 'grafana/provisioning', container: '/etc/grafana/provisioning' },
      { stack: 'grafana/dashboards', container: '/var/lib/grafana/dashboards' },
    ],
    imageConfig: '/etc/grafana/grafana.ini',
    containerData: '/var/lib/grafana',
    readyPath: '/api/health',
    healthcheck: { probe: { tool: 'curl-or-wget' }, startPeriod: '30s' },
    startsAfter: ['prometheus', 'victoria-metrics', 'mimir', 'loki'],
    // The admin user and password come from .env (fromDotenv): a value here would win over it.
    containerEnv: {
      GF_USERS_ALLOW_SIGN_UP: 'false',
      GF_AUTH_ANONYMOUS_ENABLED: 'false',
      GF_ANALYTICS_REPORTING_ENABLED: 'false',
      GF_ANALYTICS_CHECK_FOR_UPDATES: 'false',
      GF_ANALYTICS_CHECK_FOR_PLUGIN_UPDATES: 'false',
    },
    fromDotenv: ['GF_SECURITY_ADMIN_USER', 'GF_SECURITY_ADMIN_PASSWORD'],
    // Grafana 10+ ships `grafana server`; older installs and distro packages `grafana-server`.
    binaries: [{ name: 'grafana', leadingArgs: ['server'] }, { name: 'grafana-server', leadingArgs: [] }],
    release: { kind: 'grafana-downloads-api', binaryNames: ['grafana', 'grafana-server'] },
    howToGet: 'https://grafana.com/grafana/download (the standalone Linux binaries)',
    uiPath: '/',
    sources: {
      'binaries: grafana server': 'grafana/grafana@0145562020:pkg/cmd/grafana-server/commands/cli.go',
      'args: --homepath, --config': 'grafana/grafana@035ee3ae62:pkg/cmd/grafana-server/commands/flags.go',
      'natively: home only from --homepath (else the working directory), never GF_PATHS_HOME': 'grafana/grafana@7895d8a692:pkg/setting/setting.go',
      readyPath: 'grafana/grafana@3b764a1c4f:pkg/api/health.go',
      'image: curl and busybox wget; imageConfig, containerData, provisioning folder': 'grafana/grafana@78515af65f:Dockerfile',
      'image: starts grafana server --config=$GF_PATHS_CONFIG': 'grafana/grafana@07754534fb:packaging/docker/run.sh',
      'containerEnv: GF_<SECTION>_<KEY> for [security], [users], [auth.anonymous], [analytics] (check_for_plugin_updates too)': 'grafana/grafana@d6b8507785:conf/defaults.ini',
      'image: USER 472': 'grafana/grafana@78515af65f:Dockerfile',
    },
  },
  loki: {
    runsIn: ['standalone', ...HUBS],
    role: 'logs',
    port: 3100,
    // Images are distroless from 3.6.0 (no shell, wget or curl); the binary checks itself
    // (`loki -health`) from 3.6.5 and 3.7.0.
    image: 'grafana/loki:3.7.6',
    config: 'loki/loki.yml',
    mounts: [{ stack: 'loki', container: '/etc/loki' }],
    containerData: '/loki',
    readyPath: '/ready',
    // 30 s: /ready answers 503 for 15 s after the ingester is ready (min_ready_duration).
    healthcheck: { probe: { tool: 'self', command: ['/usr/bin/loki', '-health'] }, startPeriod: '30s' },
    startsAfter: [],
    binaries: [{ name: 'loki', leadingArgs: [] }],
    release: { kind: 'grafana-labs-zip', repo: 'grafana/loki', name: 'loki' },
    howToGet: 'https://github.com/grafana/loki/releases',
    uiPath: '/ready',
    datasource: { def: DATASOURCES.loki, settings: { editable: false }, proxyReadyPath: 'ready' },
    sources: {
      'healthcheck: loki -health': 'grafana/loki@v3.7.6:cmd/loki/health.go',
      'startPeriod: /ready waits min_ready_duration (15 s) after the ingester is ready': 'grafana/loki@v3.7.6:vendor/github.com/grafana/dskit/ring/lifecycler.go',
      'args: -config.file': 'grafana/loki@v3.7.6:pkg/util/cfg/dynamic.go',
      readyPath: 'grafana/loki@v3.7.6:pkg/loki/loki.go',
      'image: distroless, /usr/bin/loki, USER 10001, containerData': 'grafana/loki@v3.7.6:cmd/loki/Dockerfile',
      'release: loki-linux-<arch>.zip and SHA256SUMS': 'grafana/loki@v3.7.6:Makefile',
    },
  },
  alloy: {
    runsIn: ['standalone', 'node'],
    role: 'log-agent',
    choiceNote: 'recommended',
    port: 12345,
    image: 'grafana/alloy:v1.18.1',
    config: 'alloy/config.alloy',
    mounts: [{ stack: 'alloy', container: '/etc/alloy' }],
    containerData: '/var/lib/alloy/data',
    readyPath: '/-/ready',
    healthcheck: { probe: { tool: 'bash-tcp' }, startPeriod: '20s' },
    startsAfter: ['loki'],
    sendsTo: 'loki',
    binaries: [{ name: 'alloy', leadingArgs: [] }],
    release: { kind: 'grafana-labs-zip', repo: 'grafana/alloy', name: 'alloy' },
    howToGet: 'https://github.com/grafana/alloy/releases',
    sources: {
      'args: run, --server.http.listen-addr (127.0.0.1 by default), --storage.path, --disable-reporting': 'grafana/alloy@v1.18.1:internal/alloycli/cmd_run.go',
      readyPath: 'grafana/alloy@v1.18.1:internal/service/http/http.go',
      'image: Ubuntu with bash, no curl or wget, runs as root; containerData': 'grafana/alloy@v1.18.1:Dockerfile',
      'release: alloy-linux-<arch>.zip and SHA256SUMS': 'grafana/alloy@v1.18.1:scripts/publish-release-artifacts.sh',
      'dashboard: loki_write_dropped_entries_total': 'grafana/alloy@v1.18.1:internal/component/common/loki/client/metrics.go',
    },
  },
  promtail: {
    runsIn: ['standalone', 'node'],
    role: 'log-agent',
    choiceNote: 'end of life since 2026-03-02',
    port: 9080,
    // Promtail reached end of life on 2026-03-02 and is gone from Loki 3.7. 3.6.11 is the last
    // release that publishes it: from 3.6.12 the release pipeline builds neither the
    // grafana/promtail image nor promtail-linux-*.zip (grafana/loki commit 30cd1491f2).
    image: 'grafana/promtail:3.6.11',
    config: 'promtail/promtail.yml',
    mounts: [{ stack: 'promtail', container: '/etc/promtail' }],
    containerData: '/var/lib/promtail',
    readyPath: '/ready',
    healthcheck: { probe: { tool: 'bash-tcp' }, startPeriod: '20s' },
    startsAfter: ['loki'],
    sendsTo: 'loki',
    binaries: [{ name: 'promtail', leadingArgs: [] }],
    release: { kind: 'grafana-labs-zip', repo: 'grafana/loki', name: 'promtail' },
    howToGet: 'https://github.com/grafana/loki/releases (promtail-linux-*.zip)',
    sources: {
      'args: -config.file': 'grafana/loki@v3.6.11:clients/cmd/promtail/main.go',
      'readyPath (500 until a log file is tailed, unless server.health_check_target is false)': 'grafana/loki@v3.6.11:clients/pkg/promtail/server/server.go',
      'image: Ubuntu with bash, no curl or wget, runs as root': 'grafana/loki@v3.6.11:clients/cmd/promtail/Dockerfile',
      'release: promtail-linux-<arch>.zip and SHA256SUMS (the last release with them)': 'grafana/loki@v3.6.11:.github/release-workflows.jsonnet',
      'dashboard: promtail_dropped_entries_total': 'grafana/loki@v3.6.11:clients/pkg/promtail/client/client.go',
      'end of life 2026-03-02': 'grafana/loki@v3.7.6:docs/sources/send-data/promtail/_index.md',
    },
  },
  // The synthetic checks: probes of what users reach (nodeos's API, bitcoind's ports, the stack's
  // UIs), asked by Prometheus through /probe (cli/render/probes.ts). Keeps no data.
  blackbox: {
    // Where the profiles' services run: a hub has none to probe (and no Prometheus to ask /probe).
    runsIn: ['standalone', 'node'],
    role: 'synthetic-checks',
    port: 9115,
    image: 'prom/blackbox-exporter:v0.28.0',
    config: 'blackbox/blackbox.yml',
    mounts: [{ stack: 'blackbox', container: '/etc/blackbox_exporter' }],
    readyPath: '/-/healthy',
    healthcheck: { probe: { tool: 'wget' }, startPeriod: '10s' },
    startsAfter: [],
    // It probes nodeos and bitcoind where Prometheus scrapes them: on the host.
    reachesHost: true,
    // Debian packages it as prometheus-blackbox-exporter.
    binaries: [{ name: 'blackbox_exporter', leadingArgs: [] }, { name: 'prometheus-blackbox-exporter', leadingArgs: [] }],
    release: { kind: 'prometheus-tarball', repo: 'prometheus/blackbox_exporter', name: 'blackbox_exporter' },
    howToGet: 'apt-get install prometheus-blackbox-exporter, or https://github.com/prometheus/blackbox_exporter/releases',
    uiPath: '/',
    sources: {
      'args: --config.file; --web.listen-address (exporter-toolkit webflag.AddFlags, default :9115)': 'prometheus/blackbox_exporter@v0.28.0:main.go',
      'web.listen-address flag name': 'prometheus/exporter-toolkit@1a788e5a26:web/kingpinflag/flag.go',
      'readyPath /-/healthy; /probe?module=&target=': 'prometheus/blackbox_exporter@v0.28.0:main.go',
      'image: busybox (wget), /etc/blackbox_exporter/config.yml, port 9115': 'prometheus/blackbox_exporter@v0.28.0:Dockerfile',
      'module keys: prober, timeout, http.valid_status_codes, http.fail_if_body_not_matches_regexp, http.preferred_ip_protocol, tcp.preferred_ip_protocol': 'prometheus/blackbox_exporter@v0.28.0:config/config.go',
      'metrics: probe_success, probe_duration_seconds': 'prometheus/blackbox_exporter@v0.28.0:prober/handler.go',
      'metric: probe_http_status_code': 'prometheus/blackbox_exporter@v0.28.0:prober/http.go',
      'release: blackbox_exporter-<version>.linux-<arch>.tar.gz and sha256sums.txt (promu tarball)': 'prometheus/blackbox_exporter@v0.28.0:Makefile.common',
    },
  },
  'node-exporter': {
    // Every machine of a fleet watches its own host where something scrapes it: a node's agent
    // ships its series to the hub, a VictoriaMetrics hub scrapes it as it does its other services
    // (a Mimir or external hub scrapes nothing of its own).
    runsIn: ['standalone', 'node', 'hub-victoriametrics'],
    role: 'host-metrics',
    port: 9100,
    image: 'prom/node-exporter:v1.12.1',
    mounts: [{ stack: 'node-exporter', container: '/etc/node-exporter' }],
    readyPath: '/',
    healthcheck: { probe: { tool: 'wget' }, startPeriod: '10s' },
    startsAfter: [],
    // The host's interfaces (netdev) and mount table (filesystem: /proc/1/mountinfo), and its root
    // read-only, as upstream's README runs it in a container. Mount points keep their host paths:
    // the collector reads the host's mount table and only statfs()es them under --path.rootfs.
    // rslave shows it disks mounted after it started; a host whose / is a private mount gets the
    // bind without it (HostFacts.privateMounts), which dockerd would refuse.
    hostAccess: { network: true, pid: true, mounts: [{ host: '/', container: '/host/root', propagation: 'rslave' }], unprivileged: true },
    // Debian packages it as prometheus-node-exporter.
    binaries: [{ name: 'node_exporter', leadingArgs: [] }, { name: 'prometheus-node-exporter', leadingArgs: [] }],
    release: { kind: 'prometheus-tarball', repo: 'prometheus/node_exporter', name: 'node_exporter' },
    howToGet: 'apt-get install prometheus-node-exporter, or https://prometheus.io/download/#node_exporter',
    sources: {
      'flags: --collector.disable-defaults, --web.disable-exporter-metrics': 'prometheus/node_exporter@v1.12.1:node_exporter.go',
      'flags: --collector.<name> for each collector': 'prometheus/node_exporter@v1.12.1:collector/collector.go',
      'flags: --collector.textfile.directory, *.prom files read at each scrape': 'prometheus/node_exporter@v1.12.1:collector/textfile.go',
      'flags: --path.rootfs, --path.procfs, --path.sysfs': 'prometheus/node_exporter@v1.12.1:collector/paths.go',
      'readyPath: landing page at / when metrics are elsewhere': 'prometheus/node_exporter@v1.12.1:node_exporter.go',
      'hostAccess: --net=host --pid=host, / mounted ro,rslave with --path.rootfs': 'prometheus/node_exporter@v1.12.1:README.md',
      'hostAccess: dockerd refuses an rslave bind whose source mount is neither shared nor a slave (then bound without it)': 'moby/moby@0021339b92:daemon/oci_linux.go',
      'image: /bin/node_exporter on quay.io/prometheus/busybox (busybox:uclibc, its wget)': 'prometheus/busybox@869afd4:uclibc/Dockerfile',
      'filesystem: mount table of pid 1, mountpoint label with the rootfs prefix stripped': 'prometheus/node_exporter@v1.12.1:collector/filesystem_linux.go',
      'image: busybox wget, USER nobody': 'prometheus/node_exporter@v1.12.1:Dockerfile',
      'release: node_exporter-<version>.linux-<arch>.tar.gz and sha256sums.txt (promu)': 'prometheus/node_exporter@v1.12.1:.promu.yml',
    },
  },
  cadvisor: {
    runsIn: ['standalone', 'node', 'hub-victoriametrics'],
    role: 'host-metrics',
    port: 8080,
    image: 'ghcr.io/google/cadvisor:v0.60.5',
    mounts: [],
    readyPath: '/healthz',
    healthcheck: { probe: { tool: 'wget' }, startPeriod: '20s' },
    startsAfter: [],
    // The mounts of upstream's docs/running.md, all read-only (the docker socket connects through a
    // read-only mount too), and /dev/kmsg for OOM kills; not privileged.
    hostAccess: {
      mounts: [
        { host: '/', container: '/rootfs' },
        { host: '/var/run', container: '/var/run' },
        { host: '/sys', container: '/sys' },
        { host: '/var/lib/docker', container: '/var/lib/docker' },
        { host: '/dev/disk', container: '/dev/disk' },
      ],
      devices: ['/dev/kmsg'],
    },
    dockerOnly: true,
    binaries: [{ name: 'cadvisor', leadingArgs: [] }],
    release: { kind: 'none' },
    howToGet: 'docker mode only: it runs as the ghcr.io/google/cadvisor image',
    sources: {
      'image: ghcr.io/google/cadvisor from v0.53.0; mounts and /dev/kmsg': 'google/cadvisor@v0.60.5:docs/running.md',
      'image: alpine with busybox wget; its own healthcheck asks /healthz': 'google/cadvisor@v0.60.5:deploy/Dockerfile',
      'readyPath: /healthz': 'google/cadvisor@v0.60.5:deploy/healthcheck.sh',
      'flags: -port (8080), -store_container_labels': 'google/cadvisor@v0.60.5:cmd/cadvisor.go',
      'flags: -docker_only': 'google/cadvisor@v0.60.5:lib/container/raw/factory.go',
      'flags: -housekeeping_interval (1s by default)': 'google/cadvisor@v0.60.5:lib/manager/container.go',
      'metrics: container_cpu_usage_seconds_total, container_memory_working_set_bytes, container_start_time_seconds, container_last_seen, label name': 'google/cadvisor@v0.60.5:lib/metrics/prometheus.go',
      'container_start_time_seconds is the docker container creation time (unchanged by a restart)': 'google/cadvisor@v0.60.5:container/docker/handler.go',
    },
  },
  // --- Fleet hub services (fleet.role hub). VictoriaMetrics' flags are those of both the pin and
  // Debian bookworm's 1.79.5 (the tests run that), each read at both tags; see cli/render/fleet-hub.ts.
  'victoria-metrics': {
    runsIn: ['hub-victoriametrics'],
    role: 'fleet-store',
    port: 8428,
    image: 'victoriametrics/victoria-metrics:v1.150.0',
    // Its own scrape config: no Prometheus runs on a hub, so VictoriaMetrics scrapes the hub's services itself.
    config: 'victoria-metrics/scrape.yml',
    // fleet/tls: the hub's CA, to scrape vmauth over TLS.
    mounts: [
      { stack: 'victoria-metrics', container: '/etc/victoria-metrics' },
      { stack: 'fleet/tls', container: '/etc/victoria-metrics/tls' },
    ],
    containerData: '/victoria-metrics-data',
    // It scrapes node_exporter, which listens on the host's network (hostAccess).
    reachesHost: true,
    readyPath: '/health',
    healthcheck: { probe: { tool: 'wget' }, startPeriod: '20s' },
    startsAfter: [],
    // Debian packages it as victoria-metrics; the release archive holds victoria-metrics-prod.
    binaries: [{ name: 'victoria-metrics-prod', leadingArgs: [] }, { name: 'victoria-metrics', leadingArgs: [] }],
    release: { kind: 'victoriametrics-tarball', repo: 'VictoriaMetrics/VictoriaMetrics', name: 'victoria-metrics', binary: 'victoria-metrics-prod' },
    howToGet: 'apt-get install victoria-metrics, or https://github.com/VictoriaMetrics/VictoriaMetrics/releases',
    sources: {
      'args: -storageDataPath, -retentionPeriod (h, d, w, y suffixes; at least 24h), -httpListenAddr': 'VictoriaMetrics/VictoriaMetrics@v1.150.0:app/vmstorage/main.go',
      readyPath: 'VictoriaMetrics/VictoriaMetrics@v1.150.0:lib/httpserver/httpserver.go',
      'extra_label on /api/v1/write is added after the sent labels, and the last of two equal names wins': 'VictoriaMetrics/VictoriaMetrics@v1.150.0:lib/storage/metric_name.go',
      'image: alpine (busybox wget), ENTRYPOINT /victoria-metrics-prod': 'VictoriaMetrics/VictoriaMetrics@v1.150.0:app/victoria-metrics/deployment/Dockerfile',
      'release: victoria-metrics-linux-<arch>-v<version>.tar.gz and its _checksums.txt': 'VictoriaMetrics/VictoriaMetrics@v1.150.0:Makefile',
    },
  },
  vmalert: {
    // An external engine's hub evaluates our rules with vmalert too: on the engine's query API.
    runsIn: ['hub-victoriametrics', 'hub-external'],
    role: 'fleet-rules',
    port: 8880,
    image: 'victoriametrics/vmalert:v1.150.0',
    // One of its rule files (it takes one -rule per file): the fleet's, which every hub has.
    config: 'vmalert/rules/fleet.yml',
    mounts: [{ stack: 'vmalert', container: '/etc/vmalert' }],
    containerData: '/vmalert-data',
    readyPath: '/health',
    healthcheck: { probe: { tool: 'wget' }, startPeriod: '20s' },
    startsAfter: ['victoria-metrics', 'alertmanager'],
    binaries: [{ name: 'vmalert-prod', leadingArgs: [] }, { name: 'vmalert', leadingArgs: [] }],
    release: { kind: 'victoriametrics-tarball', repo: 'VictoriaMetrics/VictoriaMetrics', name: 'vmutils', binary: 'vmalert-prod' },
    howToGet: 'apt-get install victoria-metrics (it carries vmalert), or vmutils from https://github.com/VictoriaMetrics/VictoriaMetrics/releases',
    sources: {
      'args: -rule (globs), -datasource.url, -notifier.url, -remoteWrite.url, -remoteRead.url, -evaluationInterval, -httpListenAddr': 'VictoriaMetrics/VictoriaMetrics@v1.150.0:app/vmalert/main.go',
      'release: vmutils-linux-<arch>-v<version>.tar.gz holds vmalert-prod and vmauth-prod': 'VictoriaMetrics/VictoriaMetrics@v1.150.0:Makefile',
    },
  },
  vmauth: {
    runsIn: ['hub-victoriametrics', 'hub-mimir', 'hub-external'],
    role: 'fleet-gateway',
    port: 8427,
    image: 'victoriametrics/vmauth:v1.150.0',
    config: 'vmauth/auth.yml',
    mounts: [
      { stack: 'vmauth', container: '/etc/vmauth' },
      { stack: 'fleet/tls', container: '/etc/vmauth/tls' },
    ],
    containerData: '/vmauth-data',
    readyPath: '/health',
    healthcheck: { probe: { tool: 'wget' }, startPeriod: '10s' },
    startsAfter: ['victoria-metrics', 'mimir', 'loki'],
    // The nodes' tokens: %{FLEET_TOKEN_<NODE>} placeholders in auth.yml, filled from the environment.
    fromDotenv: [],
    binaries: [{ name: 'vmauth-prod', leadingArgs: [] }, { name: 'vmauth', leadingArgs: [] }],
    release: { kind: 'victoriametrics-tarball', repo: 'VictoriaMetrics/VictoriaMetrics', name: 'vmutils', binary: 'vmauth-prod' },
    howToGet: 'apt-get install victoria-metrics (it carries vmauth), or vmutils from https://github.com/VictoriaMetrics/VictoriaMetrics/releases',
    sources: {
      'config: users[].bearer_token, name, url_map[].src_paths, url_prefix, drop_src_path_prefix_parts; %{ENV} placeholders': 'VictoriaMetrics/VictoriaMetrics@v1.150.0:app/vmauth/auth_config.go',
      'url_prefix query args win over the request\'s': 'VictoriaMetrics/VictoriaMetrics@v1.150.0:app/vmauth/target_url.go',
      'args: -auth.config, -httpListenAddr, -tls, -tlsCertFile, -tlsKeyFile': 'VictoriaMetrics/VictoriaMetrics@v1.150.0:lib/httpserver/httpserver.go',
    },
  },
  mimir: {
    runsIn: ['hub-mimir'],
    role: 'fleet-store',
    port: 9009,
    // 3.0.2: the newest release whose source could be read at its tag here. grafana/mimir is too
    // large to fetch; its mirror scm-repo-mirror/grafana_mimir holds the signed tags up to
    // mimir-3.0.2, whose commit b07d6f901b is the one Homebrew's mimirtool formula names for it.
    // Later releases (3.0.3+, 3.1, 3.2) could not be read at their tags: a bump means reading them.
    image: 'grafana/mimir:3.0.2',
    config: 'mimir/mimir.yml',
    mounts: [{ stack: 'mimir', container: '/etc/mimir' }],
    containerData: '/data',
    readyPath: '/ready',
    // The image is distroless (no shell, wget or curl) and mimir has no self-check: no probe can run inside it.
    healthcheck: { probe: { tool: 'none' }, startPeriod: '60s' },
    startsAfter: [],
    binaries: [{ name: 'mimir', leadingArgs: [] }],
    release: { kind: 'github-binary', repo: 'grafana/mimir', name: 'mimir' },
    howToGet: 'https://github.com/grafana/mimir/releases (mimir-linux-<arch>)',
    sources: {
      'config keys and flags (test/fixtures/mimir-config-keys.json)': 'grafana/mimir@mimir-3.0.2:cmd/mimir/config-descriptor.json',
      'args: -config.file': 'grafana/mimir@mimir-3.0.2:cmd/mimir/main.go',
      'args: -target=all runs the ruler too': 'grafana/mimir@mimir-3.0.2:pkg/mimir/modules.go',
      readyPath: 'grafana/mimir@mimir-3.0.2:pkg/mimir/mimir.go',
      'remote write /api/v1/push; Prometheus API under /prometheus (query, buildinfo)': 'grafana/mimir@mimir-3.0.2:pkg/api/api.go',
      'ruler local storage: <directory>/<tenant>/<file>, Prometheus rule format': 'grafana/mimir@mimir-3.0.2:pkg/ruler/rulestore/local/local.go',
      'image: distroless static-debian12, /bin/mimir, no USER': 'grafana/mimir@mimir-3.0.2:cmd/mimir/Dockerfile',
      'release: mimir-linux-<arch> and mimir-linux-<arch>-sha-256': 'grafana/mimir@mimir-3.0.2:Makefile',
    },
  },
} as const satisfies Record<string, ServiceDef>;

export type CoreService = keyof typeof TABLE;
export const CORE_SERVICES: Readonly<Record<CoreService, ServiceDef<CoreService>>> = TABLE;
/** In table order: the order of every list of services fibre-stack writes. */
export const SERVICE_NAMES = Object.keys(TABLE) as CoreService[];

type ServicesWithRole<R extends ServiceRole> = { [S in CoreService]: (typeof TABLE)[S]['role'] extends R ? S : never }[CoreService];
export type LogAgent = ServicesWithRole<'log-agent'>;
export const LOG_AGENTS = SERVICE_NAMES.filter((s): s is LogAgent => CORE_SERVICES[s].role === 'log-agent');

const byService = <T>(f: (def: ServiceDef<CoreService>) => T) => Object.fromEntries(SERVICE_NAMES.map((s) => [s, f(CORE_SERVICES[s])])) as Record<CoreService, T>;

export const DEFAULT_IMAGES: Record<CoreService | 'exporter', string> = { ...byService((d) => d.image), exporter: 'fibre-stack-exporter:0.1.0' };
export const DEFAULT_PORTS: Record<CoreService, number> = byService((d) => d.port);

/**
 * Core services this stack runs: those of its kind (standalone, fleet node or hub), all but those
 * disabled, only the chosen log agent, the synthetic checks only when on, none whose target is off,
 * and those only containers run in docker mode alone.
 */
export function enabledServices(
  spec: { disabled_services: readonly CoreService[]; log_agent: CoreService; synthetic_checks: boolean; mode: 'docker' | 'native' } & Parameters<typeof stackKind>[0],
): CoreService[] {
  const off = new Set(spec.disabled_services);
  const kind = stackKind(spec);
  return SERVICE_NAMES.filter((s) => {
    const def: ServiceDef<CoreService> = CORE_SERVICES[s];
    if (!def.runsIn.includes(kind)) return false;
    // A node's log agent sends to its hub's Loki, not to one of its own.
    if (off.has(s) || (def.sendsTo && kind === 'standalone' && off.has(def.sendsTo))) return false;
    if (def.dockerOnly && spec.mode !== 'docker') return false;
    if (def.role === 'synthetic-checks') return spec.synthetic_checks;
    return def.role !== 'log-agent' || s === spec.log_agent;
  });
}

/** The services the stack provides a Grafana datasource for, in provisioning order. */
export function datasourceServices(services: readonly CoreService[]): CoreService[] {
  const order = Object.values(DATASOURCES).map((d) => d.uid) as string[];
  const rank = (s: CoreService) => order.indexOf(CORE_SERVICES[s].datasource?.def.uid ?? '');
  return services.filter((s) => CORE_SERVICES[s].datasource).sort((a, b) => rank(a) - rank(b));
}
