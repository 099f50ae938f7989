// A standalone stack turned into a fleet node keeps its history reachable: its Prometheus TSDB
// blocks stay where they were (the agent keeps its WAL in a folder of its own, data/prometheus/agent),
// and the hub imports them with VictoriaMetrics' vmctl, the node's `host` label added (README,
// "Fleets"; docs/fleet.md). Real parts: the history is written as TSDB blocks by promtool (Debian
// 2.42), the node's agent is that Prometheus in agent mode on the same folder, the import is
// trixie's vmctl (support/vmctl.ts) into Debian's victoria-metrics, and the series is read back from it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dump, load } from 'js-yaml';
import { prerequisites } from './support/prereq.js';
import { ensureTestImages } from './support/images.js';
import { vmctlPrometheus } from './support/vmctl.js';
import { freePort } from './support/ports.js';
import { runCli } from './support/cli.js';
import { render, specFor, tempDir } from './support/stack.js';
import { writeStack } from '../cli/io/stack-writer.js';
import { stackServices, resolveArg } from '../cli/render/stack-services.js';
import { agentModeFlag } from '../cli/render/fleet-node.js';
import { readSpec } from '../cli/io/spec-io.js';

const ready = prerequisites('standalone to fleet node upgrade', { commands: ['promtool', 'prometheus', 'victoria-metrics', 'debootstrap'], root: true, docker: true });

async function until(what: string, check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

const blocks = (dir: string) => readdirSync(join(dir, 'data/prometheus')).filter((f) => /^[0-9A-Z]{26}$/.test(f));

describe.runIf(ready)('a standalone stack becomes a fleet node', () => {
  const dir = tempDir();
  const started: ChildProcess[] = [];
  beforeAll(() => ensureTestImages());
  // Waits for each to exit: a VictoriaMetrics still writing its cache races the removal of the test folders.
  afterAll(() => Promise.all(started.map((p) => (p.exitCode !== null || p.signalCode !== null ? undefined : new Promise((ok) => { p.once('exit', ok); p.kill(); })))));
  // Two to four hours ago, five samples a minute apart: history the standalone Prometheus kept.
  // They start a minute into one two-hour window since the epoch, the block range promtool
  // backfills by (prometheus/prometheus@v2.42.0:cmd/promtool/backfill.go createBlocks: mint rounded
  // down to tsdb.DefaultBlockDuration): five minutes that crossed a window's edge made two blocks.
  const BLOCK_S = 7200;
  const t0 = Math.floor((Date.now() / 1000 - BLOCK_S) / BLOCK_S) * BLOCK_S + 60;

  it('keeps its TSDB blocks through generate and a run of the agent, and the hub imports them with the host label', async () => {
    const standalone = specFor({ mode: 'native', profiles: ['fibre'] });
    writeStack(dir, render(standalone));
    const tsdb = stackServices(standalone).find((s) => s.name === 'prometheus')!.argv;
    expect(tsdb).toContain('--storage.tsdb.path=data/prometheus');
    const om = [...[0, 1, 2, 3, 4].map((i) => `fibre_test_counter_total{node="relay-1"} ${i * 10} ${t0 + i * 60}`), '# EOF', ''].join('\n');
    writeFileSync(join(dir, 'history.om'), om);
    const made = spawnSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', 'history.om', 'data/prometheus'], { cwd: dir, encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    const history = blocks(dir);
    expect(history).toHaveLength(1);

    // The user adds fleet: and regenerates.
    const doc = load(readFileSync(join(dir, 'fibre-stack.yml'), 'utf8')) as Record<string, unknown>;
    doc.fleet = { role: 'node', host: 'rig-1', site: 'lab', hub_url: 'http://127.0.0.1:1' };
    writeFileSync(join(dir, 'fibre-stack.yml'), dump(doc));
    const gen = runCli(['generate', '--dir', dir]);
    expect(gen.code, gen.stderr).toBe(0);
    expect(existsSync(join(dir, 'grafana'))).toBe(true); // data and user files stay; only rendered files change
    expect(blocks(dir)).toEqual(history);

    // The node's agent runs on the same folder (Debian's 2.42 takes the feature flag) and leaves the blocks alone.
    const node = readSpec(dir);
    const port = await freePort();
    const argv = stackServices(node).find((s) => s.name === 'prometheus')!.argv
      .map((a) => resolveArg(a, dir))
      .map((a) => (a === '--agent' ? agentModeFlag('2.42.0') : a.startsWith('--web.listen-address=') ? `--web.listen-address=127.0.0.1:${port}` : a));
    expect(argv).toContain('--storage.agent.path=data/prometheus/agent');
    const agent = spawn('prometheus', argv, { cwd: dir, stdio: 'ignore' });
    started.push(agent);
    await until('the agent', async () => (await fetch(`http://127.0.0.1:${port}/-/ready`)).ok);
    agent.kill();
    await new Promise((ok) => agent.on('exit', ok));
    expect(existsSync(join(dir, 'data/prometheus/agent/wal'))).toBe(true);
    expect(blocks(dir)).toEqual(history);

    // The hub imports the node's history, its host label added, the node label kept.
    const vmPort = await freePort();
    const vm = spawn('victoria-metrics', [`-storageDataPath=${join(dir, 'hub-vm')}`, `-httpListenAddr=127.0.0.1:${vmPort}`, '-retentionPeriod=100y', '-search.disableCache'], { stdio: 'ignore' });
    started.push(vm);
    await until('victoria-metrics', async () => (await fetch(`http://127.0.0.1:${vmPort}/health`)).ok);
    const imported = vmctlPrometheus(join(dir, 'data/prometheus'), `http://127.0.0.1:${vmPort}`, { host: 'rig-1' });
    expect(imported.status, imported.output).toBe(0);
    expect(imported.sentSamples, imported.output).toBe(5);
    let exported = '';
    await until('the imported series', async () => {
      exported = await (await fetch(`http://127.0.0.1:${vmPort}/api/v1/export?match[]=fibre_test_counter_total`)).text();
      return exported.includes('"values"');
    });
    const series = JSON.parse(exported.trim().split('\n')[0]) as { metric: Record<string, string>; values: number[]; timestamps: number[] };
    expect(series.metric).toEqual({ __name__: 'fibre_test_counter_total', node: 'relay-1', host: 'rig-1' });
    expect(series.values).toEqual([0, 10, 20, 30, 40]);
    expect(series.timestamps).toEqual([0, 1, 2, 3, 4].map((i) => (t0 + i * 60) * 1000));
  }, 90_000);
});
