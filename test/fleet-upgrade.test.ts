// Upgrading a standalone stack to a fleet node keeps its history reachable, the recent hours
// included (docs/fleet.md, "Upgrading a standalone stack to a node"): a standalone's newest samples
// live in its TSDB head (write-ahead log), which vmctl does not read (it reads blocks), so the TSDB
// is snapshotted with its head, the snapshot imported into the hub's VictoriaMetrics with
// `vmctl prometheus` under the labels the node will send with, and the node's new samples continue
// the same series. test/fleet-history.test.ts covers history already in blocks.
// Real parts: Debian's Prometheus 2.42, VictoriaMetrics 1.79.5 with vmauth, and trixie's vmctl
// 1.112 from its local image (support/vmctl.ts says why not Debian 12's).
// Heavy: run under flock /tmp/heavy-tests.lock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { prerequisites } from './support/prereq.js';
import { ensureTestImages } from './support/images.js';
import { vmctlPrometheus } from './support/vmctl.js';
import { CLI, cli } from './support/run-stack.js';
import { createHub, editSpec, hubPorts, mustCli, tmpRoot, vmExport } from './support/fleet.js';
import { eventually } from './support/scrape.js';
import { probe } from '../cli/run/probe.js';

const ready = prerequisites('fleet-upgrade', {
  commands: ['prometheus', 'prometheus-alertmanager', 'victoria-metrics', 'vmalert', 'vmauth', 'debootstrap'],
  root: true,
  docker: true,
  check: () => (existsSync(CLI) ? undefined : 'a built CLI (npm run build)'),
});

const BASE = 29900;
const HUB = hubPorts(BASE);
const VM = `http://127.0.0.1:${HUB.vm}`;
const PROM_PORT = BASE + 10;
const SNAPSHOT_PORT = BASE + 14;
const HOST = 'old-1';
const SITE = 'lab';
const ENV = { FIBRE_STACK_CACHE: '/nonexistent/fibre-stack-cache' };

/** Raw sample times (ms) of a selector from a Prometheus server: a range vector query returns every sample. */
async function promSamples(base: string, selector: string): Promise<number[]> {
  const p = await probe(`${base}/api/v1/query?query=${encodeURIComponent(`${selector}[1h]`)}`, { timeoutMs: 5000 });
  const body = JSON.parse(p.body) as { data: { result: { values: [number, string][] }[] } };
  return body.data.result.flatMap((r) => r.values.map(([t]) => Math.round(t * 1000)));
}

describe.skipIf(!ready)('upgrading a standalone stack to a fleet node', () => {
  let root: string;
  let hubDir: string;
  let stackDir: string;
  let project: string;
  let history: number[] = [];

  beforeAll(async () => {
    ensureTestImages();
    root = tmpRoot('fleet-upgrade');
    hubDir = await createHub(root, BASE, [HOST], { tls: 'off' });
    stackDir = join(root, 'standalone');
    project = `upgrade${BASE}`;
    await mustCli(['create', stackDir, '--yes', '--mode', 'native', '--profiles', 'fibre', '--project', project]);
    await editSpec(stackDir, (s) => {
      s.ports.prometheus = PROM_PORT;
      s.ports.alertmanager = PROM_PORT + 2;
      s.profiles.fibre[0].exporter_port = PROM_PORT + 1;
      s.profiles.fibre[0].source = 'replay';
      s.disabled_services = ['grafana', 'loki', 'node-exporter'];
    });
    await mustCli(['up', '--native', '--detach', '--dir', hubDir], ENV);
  }, 180_000);

  afterAll(async () => {
    for (const dir of [stackDir, hubDir]) if (dir) await cli(['down', '--dir', dir]);
    rmSync(root, { recursive: true, force: true });
  }, 60_000);

  it('has recent history in the standalone Prometheus before the upgrade', async () => {
    await mustCli(['up', '--native', '--detach', '--dir', stackDir], ENV);
    history = await eventually(async () => {
      const ts = await promSamples(`http://127.0.0.1:${PROM_PORT}`, 'up{job="fibre"}');
      expect(ts.length).toBeGreaterThanOrEqual(3);
      return ts;
    }, 90_000, 1000);
    await mustCli(['down', '--dir', stackDir]);
    // Minutes old: all of it is still in the head, none in a block.
    expect(readdirBlocks(join(stackDir, 'data', 'prometheus'))).toEqual([]);
  }, 150_000);

  it('imports that history, head included, into the hub under the labels the node will send with', async () => {
    const tsdb = join(stackDir, 'data', 'prometheus');
    // Snapshot the TSDB with a Prometheus that scrapes nothing and keeps everything.
    writeFileSync(join(root, 'empty.yml'), 'global: {}\n');
    const snapshotter = spawn(
      'prometheus',
      [`--config.file=${join(root, 'empty.yml')}`, `--storage.tsdb.path=${tsdb}`, '--storage.tsdb.retention.time=100y', '--web.enable-admin-api', `--web.listen-address=127.0.0.1:${SNAPSHOT_PORT}`],
      { stdio: 'ignore' },
    );
    let name: string;
    try {
      name = await eventually(async () => {
        const p = await fetch(`http://127.0.0.1:${SNAPSHOT_PORT}/api/v1/admin/tsdb/snapshot`, { method: 'POST' });
        return ((await p.json()) as { data: { name: string } }).data.name;
      }, 60_000, 500);
    } finally {
      snapshotter.kill('SIGTERM');
      await new Promise((r) => (snapshotter.exitCode !== null ? r(null) : snapshotter.once('exit', r)));
    }
    // On the hub: import it into VictoriaMetrics with the node's identity, and check, as
    // docs/fleet.md asks, that vmctl sent every sample the snapshot holds.
    const r = vmctlPrometheus(join(tsdb, 'snapshots', name), VM, { host: HOST, site: SITE, stack: project });
    expect(r.status, r.output).toBe(0);
    expect(r.output).toMatch(/Import finished!/);
    expect(r.snapshotSamples, r.output).toBeGreaterThan(0);
    expect(r.sentSamples, r.output).toBe(r.snapshotSamples);
    const imported = await eventually(async () => {
      // Makes what was imported searchable now rather than at VictoriaMetrics' next flush of its
      // rows and index: on a loaded machine that was seen to take over a minute
      // (VictoriaMetrics/VictoriaMetrics@v1.79.5:app/vmstorage/main.go /internal/force_flush,
      // lib/storage/storage.go DebugFlush; no -forceFlushAuthKey, so no key).
      await fetch(`${VM}/internal/force_flush`, { signal: AbortSignal.timeout(30_000) });
      const s = await vmExport(VM, `up{job="fibre", host="${HOST}"}`, 0);
      expect(s, `vmctl said:\n${r.output}\nthe hub has: ${JSON.stringify(await vmExport(VM, `up{host="${HOST}"}`, 0))}`).toHaveLength(1);
      return s[0];
    }, 60_000, 1000);
    expect(imported.metric).toMatchObject({ host: HOST, site: SITE, stack: project, job: 'fibre' });
    expect(imported.timestamps).toEqual(expect.arrayContaining(history));
  }, 150_000);

  it('continues the same series once the stack runs as a node', async () => {
    // The stack becomes a node: a fleet: section in its spec, generate, the token from the hub.
    await editSpec(stackDir, (s) => {
      s.fleet = { role: 'node', host: HOST, site: SITE, hub_url: `http://127.0.0.1:${HUB.vmauth}`, token_file: 'fleet/hub.token', ca_file: '' };
      s.disabled_services = ['alloy'];
    });
    mkdirSync(join(stackDir, 'fleet'), { recursive: true });
    writeFileSync(join(stackDir, 'fleet', 'hub.token'), readFileSync(join(hubDir, 'fleet', 'nodes', `${HOST}.token`)), { mode: 0o600 });
    await mustCli(['up', '--native', '--detach', '--dir', stackDir], ENV);
    const upAt = Date.now();
    const series = await eventually(async () => {
      const s = await vmExport(VM, `up{job="fibre", host="${HOST}"}`, 0);
      expect(s).toHaveLength(1);
      expect(s[0].timestamps.at(-1)).toBeGreaterThan(upAt);
      return s[0];
    }, 120_000, 2000);
    // One series at the hub: the standalone's samples, then the node's.
    expect(series.timestamps).toEqual(expect.arrayContaining(history));
    expect(series.timestamps.filter((t) => t > upAt).length).toBeGreaterThan(0);
  }, 180_000);
});

/** The TSDB blocks (ULID-named folders) in a Prometheus data folder. */
function readdirBlocks(dir: string): string[] {
  return readdirSync(dir).filter((f) => /^[0-9A-HJKMNP-TV-Z]{26}$/.test(f));
}
