// node_exporter in docker mode, run as the rendered docker-compose.yml runs it (test/support/
// compose-service.ts: every key of the service, only the image swapped): on the host's network
// and PID namespace, the host's / read-only at /host/root, read-only, without capabilities, as the
// image's user nobody, with the flags we render. The image is Debian trixie's node_exporter 1.9
// laid out like prom/node-exporter (scripts/images/node-exporter). Its own healthcheck, busybox's
// wget at the docker bridge address, must pass; then /metrics must show what the settings are for:
// the host's filesystems under the host's mount points (the host's PID namespace gives it the
// host's mount table in /proc/1, --path.rootfs lets it statfs() them under /host/root), a tmpfs
// mounted on the host by the test with its exact size, only the collectors we enable, the host's
// uname and clock.
//
// The stack is rendered with this host's facts, as `generate` renders it here. A host whose / is a
// private mount (no systemd: this one, WSL, Synology DSM) gets / bound without `rslave`, since
// dockerd refuses rslave from a private mount; the second test checks that the edge's judgement
// is dockerd's.
//
// cAdvisor is not run: Debian packages no cAdvisor (bookworm, trixie, sid) and its image cannot be
// pulled here.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, readlinkSync, rmSync, statfsSync } from 'node:fs';
import { hostname, release } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mountPointsOf, readHostFacts } from '../cli/io/host-facts.js';
import { HOST_LISTEN_LABEL } from '../cli/render/compose.js';
import type { StackSpec } from '../cli/spec/types.js';
import { composeService, withServiceRunning } from './support/compose-service.js';
import { TRIXIE_NODE_EXPORTER_IMAGE, ensureTestImages, versionOf } from './support/images.js';
import { expectOurCollectors } from './support/node-exporter.js';
import { prerequisites } from './support/prereq.js';
import { eventually, scrape } from './support/scrape.js';
import { specFor, tempDir, writeTempStack } from './support/stack.js';

const ready = prerequisites('node_exporter in docker mode', { commands: ['debootstrap', 'mount', 'umount'], root: true, docker: true });
const docker = new Docker();
const TMPFS_BYTES = 8 * 1024 * 1024;

/** A docker stack with the default services, node_exporter on a port of its own (a host's own node_exporter may hold 9100). */
function dockerSpec(): StackSpec {
  const spec = specFor({ profiles: ['scrape'], mode: 'docker' });
  return { ...spec, ports: { ...spec.ports, 'node-exporter': 29720 } };
}

/** The value of `label` in a series key of parseExposition. */
const labelOf = (key: string, label: string) => new RegExp(`[{,]${label}="((?:[^"\\\\]|\\\\.)*)"`).exec(key)?.[1];

/** The process's namespace of `kind` (net, pid, mnt), as the kernel names it. */
const namespaceOf = (pid: number | 'self', kind: string) => readlinkSync(`/proc/${pid}/ns/${kind}`);

describe.runIf(ready)('node_exporter in docker mode, as the compose file runs it', () => {
  let dir: string;
  let stack: string;
  let disk: string | undefined;

  beforeAll(() => {
    ensureTestImages();
    dir = tempDir('fibre-stack-host-docker-');
    // A filesystem of the test's own on the host, there before the container starts, in a folder
    // node_exporter's user (nobody) may search: statfs() needs that of every folder on the way.
    chmodSync(dir, 0o755);
    const mountpoint = join(dir, 'disk');
    mkdirSync(mountpoint);
    const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${TMPFS_BYTES}`, 'fibre-stack-test', mountpoint], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`mount tmpfs: ${r.stderr}`);
    disk = mountpoint;
    stack = writeTempStack(dockerSpec(), readHostFacts(dockerSpec()));
  });

  afterAll(() => {
    if (disk && spawnSync('umount', [disk]).status !== 0) spawnSync('umount', ['-l', disk]);
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (stack) rmSync(stack, { recursive: true, force: true });
  });

  it("runs on Debian trixie's node_exporter 1.9, laid out like the official image", async () => {
    expect(await versionOf(TRIXIE_NODE_EXPORTER_IMAGE, '/bin/node_exporter')).toContain('node_exporter, version 1.9.');
    const config = (await docker.getImage(TRIXIE_NODE_EXPORTER_IMAGE).inspect()).Config;
    expect({ entrypoint: config.Entrypoint, user: config.User }).toEqual({ entrypoint: ['/bin/node_exporter'], user: 'nobody' });
  });

  it("binds / with rslave exactly where this host's dockerd accepts it", async () => {
    // Rendered without host facts, / is bound with rslave, as upstream's README runs it.
    const withRslave = writeTempStack(dockerSpec());
    try {
      expect(composeService(withRslave, 'node-exporter').volumes).toContainEqual(expect.objectContaining({ source: '/', bind: { propagation: 'rslave' } }));
      const run = withServiceRunning(docker, withRslave, 'node-exporter', TRIXIE_NODE_EXPORTER_IMAGE, async ({ healthExit }) => healthExit);
      if (readHostFacts(dockerSpec()).privateMounts?.includes('/')) await expect(run).rejects.toThrow(/is not a shared or slave mount/);
      else expect(await run).toBe(0);
    } finally {
      rmSync(withRslave, { recursive: true, force: true });
    }
  });

  it("passes its own healthcheck, and serves the host's filesystems, collectors, uname and clock", async () => {
    const svc = composeService(stack, 'node-exporter');
    const listen = (svc.labels as Record<string, string>)[HOST_LISTEN_LABEL];
    await withServiceRunning(docker, stack, 'node-exporter', TRIXIE_NODE_EXPORTER_IMAGE, async ({ container, healthExit, logs }) => {
      expect(healthExit, logs).toBe(0);

      // The process as the host sees it: in the host's network and PID namespaces (not its mount
      // namespace), as nobody, with no capability at all.
      const pid = (await container.inspect()).State.Pid;
      expect(namespaceOf(pid, 'net')).toBe(namespaceOf('self', 'net'));
      expect(namespaceOf(pid, 'pid')).toBe(namespaceOf('self', 'pid'));
      expect(namespaceOf(pid, 'mnt')).not.toBe(namespaceOf('self', 'mnt'));
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      expect(status).toMatch(/^Uid:\s+65534\s+65534\s+65534\s+65534$/m);
      expect(status).toMatch(/^CapEff:\s+0+$/m);

      const samples = await eventually(() => scrape(`http://${listen}/metrics`), 10_000, 200);
      expectOurCollectors(samples);
      // --web.disable-exporter-metrics: none of its own go_*, process_* or promhttp_* series.
      expect([...samples.keys()].filter((k) => /^(go|process|promhttp)_/.test(k))).toEqual([]);

      // Every mount point it reports is one of the host's (read from /proc/1 of the host's PID
      // namespace, the /host/root prefix stripped): none of the container's own (/etc/hosts, ...).
      const hostMounts = new Set(mountPointsOf(readFileSync('/proc/1/mountinfo', 'utf8')));
      const reported = new Set([...samples.keys()].filter((k) => k.startsWith('node_filesystem_size_bytes{')).map((k) => labelOf(k, 'mountpoint')!));
      expect(reported).toContain('/');
      expect([...reported].filter((m) => !hostMounts.has(m))).toEqual([]);

      // statfs() under --path.rootfs: the host's / and the test's tmpfs, which exists in the
      // container only under /host/root, each with the host's own figures.
      const sizeAt = (mountpoint: string) => {
        const keys = [...samples.keys()].filter((k) => k.startsWith('node_filesystem_size_bytes{') && labelOf(k, 'mountpoint') === mountpoint);
        expect(keys, mountpoint).toHaveLength(1);
        return { fstype: labelOf(keys[0], 'fstype'), bytes: samples.get(keys[0]) };
      };
      const root = statfsSync('/');
      expect(sizeAt('/').bytes).toBe(root.blocks * root.bsize);
      expect(sizeAt(disk!)).toEqual({ fstype: 'tmpfs', bytes: TMPFS_BYTES });

      // uname(2) and the clock of the host.
      const uname = [...samples.keys()].filter((k) => k.startsWith('node_uname_info{'));
      expect(uname.map((k) => [labelOf(k, 'nodename'), labelOf(k, 'release')])).toEqual([[hostname(), release()]]);
      expect(Math.abs(samples.get('node_time_seconds')! - Date.now() / 1000)).toBeLessThan(30);
    });
  });
});
