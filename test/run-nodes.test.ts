// Several nodes per profile on one host, end to end (issue 16): a fibre-stack.yml with two Bitcoin
// Core nodes (replay exporters) and two miner rigs (miner exporters following a log each, both
// with a card called left) is generated and brought up natively with Debian's Prometheus, and
// Prometheus then holds every node's series apart, by its `node` label.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prerequisites } from './support/prereq.js';
import { CLI, cli } from './support/run-stack.js';
import { eventually } from './support/scrape.js';
import { tokenminer } from './support/miner-lines.js';
import { dumpYaml } from '../core/encode/yaml.js';
import { SERVICE_NAMES } from '../cli/services/table.js';

const ready = prerequisites('run-nodes', {
  commands: ['prometheus', 'prometheus-alertmanager'],
  check: () => (existsSync(CLI) ? undefined : 'a built CLI (npm run build)'),
});

const BASE = 29540;
const PROMETHEUS = `http://127.0.0.1:${BASE}`;

/** An instant query's result: each series' labels and value. */
async function query(promql: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const r = await fetch(`${PROMETHEUS}/api/v1/query?query=${encodeURIComponent(promql)}`);
  const body = (await r.json()) as { status: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
  expect(body.status).toBe('success');
  return body.data.result;
}

describe.skipIf(!ready)('two Bitcoin Core nodes and two miner rigs on one host', () => {
  let dir: string;
  const logs = { 'rig-a': '', 'rig-b': '' };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fibre-stack-nodes-'));
    for (const rig of ['rig-a', 'rig-b'] as const) {
      mkdirSync(join(dir, 'logs', rig), { recursive: true });
      logs[rig] = join(dir, 'logs', rig, 'left.log');
    }
    // Only Prometheus and Alertmanager run here: the other core services are not installed.
    const disabled = SERVICE_NAMES.filter((s) => s !== 'prometheus' && s !== 'alertmanager');
    const spec = {
      version: 2,
      project: 'a3nodes',
      mode: 'native',
      ports: { prometheus: BASE, alertmanager: BASE + 1 },
      disabled_services: disabled,
      profiles: {
        'bitcoin-core': [
          { node_name: 'core-a', source: 'replay', exporter_port: BASE + 6 },
          { node_name: 'core-b', source: 'replay', exporter_port: BASE + 7 },
        ],
        miner: [
          { node_name: 'rig-a', bitstream: 'tokenminer', logs: [{ path: logs['rig-a'], card: 'left' }], exporter_port: BASE + 8 },
          { node_name: 'rig-b', bitstream: 'tokenminer', logs: [{ path: logs['rig-b'], card: 'left' }], exporter_port: BASE + 9 },
        ],
      },
    };
    writeFileSync(join(dir, 'fibre-stack.yml'), dumpYaml(spec));
    // The rigs' cards run at different temperatures, so each series shows whose it is.
    writeFileSync(logs['rig-a'], tokenminer(1.2, 500, 0.5, 61, 0.8));
    writeFileSync(logs['rig-b'], tokenminer(1.4, 520, 0.5, 72, 0.8));
  });
  afterAll(async () => {
    if (!dir) return;
    await cli(['down', '--dir', dir]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('generates a stack with an exporter per node', async () => {
    const gen = await cli(['generate', '--dir', dir]);
    expect(gen.code, gen.stderr).toBe(0);
    const targets = JSON.parse(readFileSync(join(dir, 'prometheus/targets/bitcoin-core.json'), 'utf8'));
    expect(targets).toEqual([
      { targets: [`127.0.0.1:${BASE + 6}`], labels: { node: 'core-a' } },
      { targets: [`127.0.0.1:${BASE + 7}`], labels: { node: 'core-b' } },
    ]);
  });

  it('comes up natively: Prometheus, Alertmanager and four exporters', async () => {
    const up = await cli(['up', '--native', '--detach', '--dir', dir], { FIBRE_STACK_CACHE: '/nonexistent/fibre-stack-cache' });
    expect(up.code, up.stderr + up.stdout).toBe(0);
    const v = await cli(['validate', '--json', '--wait', '60', '--dir', dir]);
    const report = JSON.parse(v.stdout) as { healthy: boolean; services: { service: string; status: string }[] };
    expect(report.healthy, v.stdout).toBe(true);
    expect(report.services.filter((s) => s.status === 'healthy').map((s) => s.service).sort()).toEqual([
      'alertmanager', 'bitcoin-core-exporter', 'bitcoin-core-exporter-2', 'miner-exporter', 'miner-exporter-2', 'prometheus',
    ]);
  });

  it('holds each Bitcoin Core node apart: its up, its exporter\'s own series and its replayed ones', async () => {
    await eventually(async () => {
      const up = await query('up{job="bitcoin-core"}');
      expect(up.map((s) => [s.metric.node, s.value[1]]).sort()).toEqual([['core-a', '1'], ['core-b', '1']]);
      // The exporter's self-metrics carry no node of their own: the target's label fills it in.
      const self = await query('fibre_exporter_up{job="bitcoin-core"}');
      expect(self.map((s) => s.metric.node).sort()).toEqual(['core-a', 'core-b']);
      // The replayed series carry the node the exporter was given, kept as it is (no exported_node).
      const replayed = await query('count by (node) ({job="bitcoin-core", __name__=~"bitcoin_.+"})');
      expect(replayed.map((s) => s.metric.node).sort()).toEqual(['core-a', 'core-b']);
      expect(await query('count({job="bitcoin-core", exported_node!=""})')).toEqual([]);
      expect((await query('group by (__name__) ({job="bitcoin-core", node="", __name__!~".+:.+"})')).map((s) => s.metric)).toEqual([]);
    }, 90_000, 1000);
  });

  it('holds the two rigs\' cards called left apart, each with its rig\'s node name', async () => {
    await eventually(async () => {
      const temps = await query('fpga_miner_temperature_celsius{job="miner", card="left"}');
      expect(temps.map((s) => [s.metric.node, s.value[1]]).sort()).toEqual([['rig-a', '61'], ['rig-b', '72']]);
      // Every series scraped from the rigs says which rig it is from. (Recorded series, named
      // level:metric:operation, may aggregate over nodes: the stack's job:up:ratio is per job.)
      expect((await query('group by (__name__) ({job="miner", node="", __name__!~".+:.+"})')).map((s) => s.metric)).toEqual([]);
      const nodes = await query('count by (node) ({job="miner", __name__=~"fpga_miner_.+"})');
      expect(nodes.map((s) => s.metric.node).sort()).toEqual(['rig-a', 'rig-b']);
    }, 90_000, 1000);
  });

  it('stops the exporter of a node taken out of the spec when the change is applied', async () => {
    const pidFile = join(dir, 'run', 'bitcoin-core-exporter-2.pid');
    expect(existsSync(pidFile)).toBe(true);
    const { pid } = JSON.parse(readFileSync(pidFile, 'utf8')) as { pid: number };
    const spec = readFileSync(join(dir, 'fibre-stack.yml'), 'utf8');
    const without = spec.replace(/\n *- node_name: core-b\n( {4,}[a-z_]+: [^\n]+\n)*/, '\n');
    expect(without).not.toContain('core-b');
    writeFileSync(join(dir, 'fibre-stack.yml'), without);
    const applied = await cli(['apply', '--dir', dir]);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(/Stopping what the stack no longer has: bitcoin-core-exporter-2\n/);
    expect(existsSync(pidFile)).toBe(false);
    // Gone, or exited and not yet reaped by its parent (it was started detached).
    const state = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0] : 'gone';
    expect(['gone', 'Z']).toContain(state);
    expect(JSON.parse(readFileSync(join(dir, 'prometheus/targets/bitcoin-core.json'), 'utf8'))).toEqual([{ targets: [`127.0.0.1:${BASE + 6}`], labels: { node: 'core-a' } }]);
  });
});
