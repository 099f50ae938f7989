// node_exporter and cAdvisor in the rendered stack: how compose runs them (the host's namespaces
// and folders, read-only), where Prometheus finds them in each mode, and the rule file tying each
// node's datadir to the filesystem holding it, with the mount point found at the edge.
import { describe, expect, it } from 'vitest';
import { load } from 'js-yaml';
import { defaultSpec } from '../cli/spec/defaults.js';
import type { StackSpec } from '../cli/spec/types.js';
import { stackServices } from '../cli/render/stack-services.js';
import { foreignAddresses, foreignAddressProblems, publishedPorts, type ComposeService } from '../cli/run/docker-preflight.js';
import { renderDatadirTextfile } from '../cli/render/host-metrics.js';
import { DATADIR_INFO } from '../cli/services/host-metrics.js';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { mountPointFor, mountPointsOf, propagatesAt, readHostFacts } from '../cli/io/host-facts.js';
import { renderCompose } from '../cli/render/compose.js';
import { PROFILES } from '../profiles/registry.js';
import { fileOf, render, tempDir } from './support/stack.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const spec = (mode: StackSpec['mode'], more: Partial<StackSpec> = {}): StackSpec => ({ ...defaultSpec(), mode, ...more });
const compose = (s: StackSpec) => load(fileOf(render(s), 'docker-compose.yml')) as Json;
const targets = (s: StackSpec, job: string) => JSON.parse(fileOf(render(s), `prometheus/targets/${job}.json`))[0].targets;

describe('node_exporter in docker mode', () => {
  const svc = compose(spec('docker')).services['node-exporter'];

  it("runs in the host's network and PID namespaces with / read-only at /host/root, as upstream's README does", () => {
    expect(svc).toMatchObject({ network_mode: 'host', pid: 'host', read_only: true, cap_drop: ['ALL'] });
    expect(svc.volumes).toEqual([
      { type: 'bind', source: './node-exporter', target: '/etc/node-exporter', read_only: true },
      { type: 'bind', source: '/', target: '/host/root', read_only: true, bind: { propagation: 'rslave' } },
    ]);
    expect(svc.command).toContain('--path.rootfs=/host/root');
    expect(svc.privileged).toBeUndefined();
  });

  it("binds / without propagation where this host's / is a private mount, which dockerd refuses to propagate from", () => {
    const onPrivateRoot = load(renderCompose(spec('docker'), PROFILES, { privateMounts: ['/'] }).content) as Json;
    expect(onPrivateRoot.services['node-exporter'].volumes[1]).toEqual({ type: 'bind', source: '/', target: '/host/root', read_only: true });
    expect((load(renderCompose(spec('docker'), PROFILES, { privateMounts: ['/elsewhere'] }).content) as Json).services['node-exporter'].volumes[1].bind).toEqual({ propagation: 'rslave' });
  });

  it('publishes no port and listens on the docker bridge, where Prometheus reaches it as the host', () => {
    expect(svc.ports).toBeUndefined();
    expect(svc.command).toContain('--web.listen-address=172.17.0.1:9100');
    expect(svc.healthcheck.test).toContain('http://172.17.0.1:9100/');
    expect(targets(spec('docker'), 'node-exporter')).toEqual(['host.docker.internal:9100']);
    expect(compose(spec('docker')).services.prometheus.extra_hosts).toEqual(['host.docker.internal:host-gateway']);
  });

  it("tells up's preflight the host port it will hold, as published ports do", () => {
    expect(svc.labels).toEqual({ 'io.fibre-stack.project': 'fibre-stack', 'io.fibre-stack.host-listen': '172.17.0.1:9100' });
    expect(publishedPorts(svc)).toEqual([{ address: '172.17.0.1', port: 9100 }]);
    expect(publishedPorts(compose(spec('docker', { bind_address: '::1' })).services['node-exporter'])).toEqual([{ address: '172.17.0.1', port: 9100 }]);
    expect(publishedPorts(compose(spec('docker', { bind_address: 'fd00::5' })).services['node-exporter'])).toEqual([{ address: 'fd00::5', port: 9100 }]);
    expect(publishedPorts(compose(spec('docker')).services.prometheus)).toEqual([{ address: '127.0.0.1', port: 9090 }]);
    expect(publishedPorts(compose(spec('docker', { bind_address: '::1' })).services.prometheus)).toEqual([{ address: '::1', port: 9090 }]);
  });

  it("up's preflight refuses an address this host lacks, naming where docker's host-gateway leads", async () => {
    const services = (s: StackSpec) => new Map(Object.entries(compose(s).services)) as Map<string, ComposeService>;
    const here = async (address: string) => ['127.0.0.1', '::1', '10.200.0.1'].includes(address);
    // A dockerd whose bridge is not 172.17.0.1: only node_exporter, on the host's network, is refused.
    const onBridge = await foreignAddresses(services(spec('docker')), here);
    expect([...onBridge]).toEqual([['172.17.0.1', ['node-exporter']]]);
    expect(foreignAddressProblems(onBridge, spec('docker'), '10.200.0.1')).toEqual([
      "172.17.0.1, docker's default bridge gateway, is not an address of this host (node-exporter uses it on the host's network, where the containers reach it as host.docker.internal): " +
        "this dockerd's bridge gateway is 10.200.0.1: set bind_address: 10.200.0.1 in fibre-stack.yml, then `fibre-stack apply`",
    ]);
    expect(foreignAddressProblems(onBridge, spec('docker'), undefined)[0]).toContain('set bind_address in fibre-stack.yml to the address of the docker bridge (`docker network inspect bridge`)');
    // That address, once chosen, is one of this host's: nothing to refuse.
    expect((await foreignAddresses(services(spec('docker', { bind_address: '10.200.0.1' })), here)).size).toBe(0);
    // A bind address of another machine: every service that publishes on it, once.
    const elsewhere = await foreignAddresses(services(spec('docker', { bind_address: '192.0.2.10' })), here);
    expect([...elsewhere.keys()]).toEqual(['192.0.2.10']);
    expect(elsewhere.get('192.0.2.10')).toEqual(expect.arrayContaining(['prometheus', 'alertmanager', 'node-exporter']));
    expect(foreignAddressProblems(elsewhere, spec('docker', { bind_address: '192.0.2.10' }), '10.200.0.1')[0]).toMatch(
      /^192\.0\.2\.10 is not an address of this host \(.*prometheus.* use it\): set bind_address in fibre-stack\.yml to one of its addresses/,
    );
    // Any address (0.0.0.0, ::) and a hostname (not ours to judge) pass; an address edited into docker-compose.yml does not.
    const edited = new Map<string, ComposeService>([
      ['a', { ports: ['0.0.0.0:1:1', '[::]:2:2', 'example.org:3:3'] }],
      ['b', { ports: [{ published: 4, host_ip: '198.51.100.7' }] }],
    ]);
    const foreign = await foreignAddresses(edited, here);
    expect([...foreign]).toEqual([['198.51.100.7', ['b']]]);
    expect(foreignAddressProblems(foreign, spec('docker'), '172.17.0.1')).toEqual(['198.51.100.7 is not an address of this host (b uses it): correct it in docker-compose.yml']);
  });

  it('keeps a bind address the user chose that is not loopback', () => {
    const chosen = compose(spec('docker', { bind_address: '10.0.0.5' })).services['node-exporter'];
    expect(chosen.command).toContain('--web.listen-address=10.0.0.5:9100');
  });

  it('enables only the collectors a node operator needs', () => {
    const collectors = (svc.command as string[]).filter((a) => /^--(no-)?collector\./.test(a));
    expect(collectors).toEqual([
      '--collector.disable-defaults',
      ...['cpu', 'diskstats', 'filesystem', 'loadavg', 'meminfo', 'netdev', 'pressure', 'textfile', 'time', 'timex', 'uname'].map((c) => `--collector.${c}`),
      '--collector.textfile.directory=/etc/node-exporter/textfile',
    ]);
  });
});

describe('cAdvisor', () => {
  it("runs in docker mode with upstream's read-only mounts and /dev/kmsg, unprivileged, and is scraped on the compose network", () => {
    const svc = compose(spec('docker')).services.cadvisor;
    expect(svc.volumes.map((v: Json) => [v.source, v.target, v.read_only])).toEqual([
      ['/', '/rootfs', true], ['/var/run', '/var/run', true], ['/sys', '/sys', true], ['/var/lib/docker', '/var/lib/docker', true], ['/dev/disk', '/dev/disk', true],
    ]);
    expect(svc.devices).toEqual(['/dev/kmsg:/dev/kmsg']);
    expect(svc.privileged).toBeUndefined();
    expect(svc.command).toEqual(['-port=8080', '-docker_only=true', '-store_container_labels=false', '-housekeeping_interval=10s']);
    expect(svc.ports).toEqual(['127.0.0.1:8080:8080']);
    expect(targets(spec('docker'), 'cadvisor')).toEqual(['cadvisor:8080']);
  });

  it('is not part of a native stack', () => {
    expect(render(spec('native')).some((f) => f.path === 'prometheus/targets/cadvisor.json')).toBe(false);
    expect(stackServices(spec('native')).map((s) => s.name)).not.toContain('cadvisor');
  });
});

describe('node_exporter natively', () => {
  it('runs on the bind address with the host paths as they are', () => {
    const svc = stackServices(spec('native')).find((s) => s.name === 'node-exporter')!;
    expect(svc.argv).toContain('--web.listen-address=127.0.0.1:9100');
    expect(svc.argv.some((a) => typeof a === 'string' && a.startsWith('--path.'))).toBe(false);
    expect(svc.readyUrl).toBe('http://127.0.0.1:9100/');
    expect(svc.dataDir).toBeUndefined();
    expect(targets(spec('native'), 'node-exporter')).toEqual(['127.0.0.1:9100']);
  });
});

describe('the datadir info series', () => {
  it("is one sample per datadir whose mount point is known, labelled with profile, node, datadir and mount point, in node_exporter's textfile", () => {
    const file = renderDatadirTextfile(
      [{ profile: 'bitcoin-core', node: 'main', datadir: '/data/main' }, { profile: 'bitcoin-core', node: 'test', datadir: '/data/test' }, { profile: 'fibre', node: 'relay', datadir: '/gone' }],
      { '/data/main': '/data', '/data/test': '/data' },
    );
    expect(file.path).toBe('node-exporter/textfile/datadirs.prom');
    expect(file.content.split('\n').filter((l) => !l.startsWith('#'))).toEqual([
      `${DATADIR_INFO}{profile="bitcoin-core",node="main",datadir="/data/main",mountpoint="/data"} 1`,
      `${DATADIR_INFO}{profile="bitcoin-core",node="test",datadir="/data/test",mountpoint="/data"} 1`,
      '',
    ]);
    expect(file.content).toContain(`\n# TYPE ${DATADIR_INFO} gauge\n`);
  });

  it('escapes a hostile datadir for the text format: one label value, one sample', () => {
    const datadir = '/d/x"} 2\nevil_metric 1 #\\';
    const samples = renderDatadirTextfile([{ profile: 'bitcoin-core', node: 'n', datadir }], { [datadir]: '/' }).content.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(samples).toEqual([`${DATADIR_INFO}{profile="bitcoin-core",node="n",datadir="/d/x\\"} 2\\nevil_metric 1 #\\\\",mountpoint="/"} 1`]);
  });

  it('is rendered, and read by node_exporter from its mount, in every stack that runs node_exporter; in none that does not', () => {
    const paths = (s: StackSpec) => render(s).map((f) => f.path);
    expect(paths(spec('docker'))).toContain('node-exporter/textfile/datadirs.prom');
    expect(paths(spec('native'))).toContain('node-exporter/textfile/datadirs.prom');
    expect(paths(spec('docker', { disabled_services: ['node-exporter'] }))).not.toContain('node-exporter/textfile/datadirs.prom');
    const svc = compose(spec('docker')).services['node-exporter'];
    expect(svc.volumes).toContainEqual({ type: 'bind', source: './node-exporter', target: '/etc/node-exporter', read_only: true });
    expect(svc.command).toContain('--collector.textfile.directory=/etc/node-exporter/textfile');
    expect(fileOf(render(spec('native')), 'node-exporter/textfile/datadirs.prom')).toContain(`# TYPE ${DATADIR_INFO} gauge`);
  });
});

describe('the mount point holding a datadir', () => {
  const table = [
    '22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw',
    '30 22 8:17 / /data rw,relatime shared:2 - ext4 /dev/sdb1 rw',
    '31 22 8:33 / /data2 rw,relatime shared:3 - xfs /dev/sdc1 rw',
    '32 30 0:40 / /data/bit\\040coin rw - tmpfs tmpfs rw',
  ].join('\n') + '\n';

  it("reads the mount table's mount points, escapes undone", () => {
    expect(mountPointsOf(table)).toEqual(['/', '/data', '/data2', '/data/bit coin']);
  });

  it('propagates from a shared or slave mount only, as dockerd asks of an rslave bind', () => {
    const mixed = [
      '22 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw',
      '30 22 8:17 / /data rw,relatime shared:2 - ext4 /dev/sdb1 rw',
      '31 22 8:33 / /slave rw,relatime master:3 - xfs /dev/sdc1 rw',
      '32 22 8:34 / /both rw shared:4 master:5 - xfs /dev/sdd1 rw',
    ].join('\n') + '\n';
    expect(propagatesAt('/', mixed)).toBe(false);
    expect(propagatesAt('/home', mixed)).toBe(false);
    expect(propagatesAt('/data/main', mixed)).toBe(true);
    expect(propagatesAt('/slave', mixed)).toBe(true);
    expect(propagatesAt('/both', mixed)).toBe(true);
    expect(propagatesAt('/', table)).toBe(true);
    expect(propagatesAt('/data/bit coin', table)).toBe(false);
  });

  it('is the longest mount point the path is at or under, by whole folder names', () => {
    const points = mountPointsOf(table);
    expect(mountPointFor('/data/main/blocks', points)).toBe('/data');
    expect(mountPointFor('/data', points)).toBe('/data');
    expect(mountPointFor('/data2/x', points)).toBe('/data2');
    expect(mountPointFor('/datax/y', points)).toBe('/');
    expect(mountPointFor('/data/bit coin/chain', points)).toBe('/data/bit coin');
    expect(mountPointFor('/home/bitcoin/.bitcoin', points)).toBe('/');
  });
});

describe('readHostFacts, at the edge', () => {
  const withDatadir = (datadir: string): StackSpec => {
    const s = spec('native');
    const fibre = (s.profiles as Json).fibre as Json[];
    return { ...s, profiles: { ...s.profiles, fibre: [{ ...fibre[0], bitcoin_datadir: datadir }] } } as StackSpec;
  };

  it("finds a datadir's mount point through symlinks, and for one not made yet, its nearest existing folder's", () => {
    const link = join(tempDir(), 'proc-link');
    symlinkSync('/proc', link);
    expect(readHostFacts(withDatadir(`${link}/not-yet/datadir`)).datadirMounts).toEqual({ [`${link}/not-yet/datadir`]: '/proc' });
    expect(readHostFacts(withDatadir('/proc/fibre-stack-no-such/datadir')).datadirMounts).toEqual({ '/proc/fibre-stack-no-such/datadir': '/proc' });
  });

  it('reads nothing for a stack without node_exporter', () => {
    expect(readHostFacts({ ...withDatadir('/proc/x'), disabled_services: ['node-exporter'] }).datadirMounts).toBeUndefined();
    expect(readHostFacts({ ...spec('docker'), disabled_services: ['node-exporter'] }).privateMounts).toBeUndefined();
  });

  it('asks about private mounts only for containers that bind with propagation', () => {
    expect(readHostFacts(spec('native')).privateMounts).toBeUndefined();
  });
});
