// node_exporter and cAdvisor in the rendered stack: how compose runs them (the host's namespaces
// and folders, read-only), where Prometheus finds them in each mode, and the rule file tying each
// node's datadir to the filesystem holding it, with the mount point found at the edge.
import { describe, expect, it } from 'vitest';
import { load } from 'js-yaml';
import { defaultSpec } from '../cli/spec/defaults.js';
import type { StackSpec } from '../cli/spec/types.js';
import { stackServices } from '../cli/render/stack-services.js';
import { publishedPorts } from '../cli/run/docker-preflight.js';
import { renderDatadirRules } from '../cli/render/host-metrics.js';
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
    expect(svc.volumes).toEqual([{ type: 'bind', source: '/', target: '/host/root', read_only: true, bind: { propagation: 'rslave' } }]);
    expect(svc.command).toContain('--path.rootfs=/host/root');
    expect(svc.privileged).toBeUndefined();
  });

  it("binds / without propagation where this host's / is a private mount, which dockerd refuses to propagate from", () => {
    const onPrivateRoot = load(renderCompose(spec('docker'), PROFILES, { privateMounts: ['/'] }).content) as Json;
    expect(onPrivateRoot.services['node-exporter'].volumes).toEqual([{ type: 'bind', source: '/', target: '/host/root', read_only: true }]);
    expect((load(renderCompose(spec('docker'), PROFILES, { privateMounts: ['/elsewhere'] }).content) as Json).services['node-exporter'].volumes[0].bind).toEqual({ propagation: 'rslave' });
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
  });

  it('keeps a bind address the user chose that is not loopback', () => {
    const chosen = compose(spec('docker', { bind_address: '10.0.0.5' })).services['node-exporter'];
    expect(chosen.command).toContain('--web.listen-address=10.0.0.5:9100');
  });

  it('enables only the collectors a node operator needs', () => {
    const collectors = (svc.command as string[]).filter((a) => /^--(no-)?collector\./.test(a));
    expect(collectors).toEqual(['--collector.disable-defaults', ...['cpu', 'diskstats', 'filesystem', 'loadavg', 'meminfo', 'netdev', 'pressure', 'time', 'timex', 'uname'].map((c) => `--collector.${c}`)]);
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
  it('is one recording rule per datadir whose mount point is known, labelled with profile, node, datadir and mount point', () => {
    const file = renderDatadirRules(
      [{ profile: 'bitcoin-core', node: 'main', datadir: '/data/main' }, { profile: 'bitcoin-core', node: 'test', datadir: '/data/test' }, { profile: 'fibre', node: 'relay', datadir: '/gone' }],
      { '/data/main': '/data', '/data/test': '/data' },
    );
    expect(file.path).toBe('prometheus/rules/host-datadirs.yml');
    expect((load(file.content) as Json).groups).toEqual([{ name: 'host-datadirs', rules: [
      { record: DATADIR_INFO, expr: 'vector(1)', labels: { profile: 'bitcoin-core', node: 'main', datadir: '/data/main', mountpoint: '/data' } },
      { record: DATADIR_INFO, expr: 'vector(1)', labels: { profile: 'bitcoin-core', node: 'test', datadir: '/data/test', mountpoint: '/data' } },
    ] }]);
  });

  it("a hostile datadir stays one label value of the YAML", () => {
    const datadir = "/d/x\"\n- record: evil\n  expr: vector(2) #'";
    const rules = (load(renderDatadirRules([{ profile: 'bitcoin-core', node: 'n', datadir }], { [datadir]: '/' }).content) as Json).groups[0].rules;
    expect(rules).toHaveLength(1);
    expect(rules[0].labels.datadir).toBe(datadir);
  });

  it('is rendered in every stack that runs node_exporter, and in none that does not', () => {
    expect(render(spec('docker')).map((f) => f.path)).toContain('prometheus/rules/host-datadirs.yml');
    expect(render(spec('docker', { disabled_services: ['node-exporter'] })).map((f) => f.path)).not.toContain('prometheus/rules/host-datadirs.yml');
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
