// A fleet on this machine: one hub (Debian's VictoriaMetrics 1.79.5 with vmauth and vmalert, TLS
// as create makes it) and up to 20 nodes, each a Prometheus 2.42 agent and a replay exporter, all
// made by `fibre-stack create`. For 5, 10 and 20 nodes: samples/s arriving at the hub against what
// the nodes scrape (the ratio says whether the hub keeps up), the hub's CPU and memory (a curve
// over the node count), and each node's agent CPU and memory, from /proc. Then the figures a
// 1,000-node plan needs (docs/fleet.md): series per node and bytes per sample on the hub's disk.
import { readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { onPath } from '../../cli/run/binaries.js';
import { pidRecords } from '../../cli/run/pidfile.js';
import { probe, sleep } from '../../cli/run/probe.js';
import { median } from '../lib/stats.js';
import { createHub, createNode, hubPorts, mustCli, tmpRoot, vmQuery } from '../lib/fleet-stacks.js';

const BASE = 29800;
const COUNTS = [5, 10, 20];
/** After starting nodes: their first scrapes and the WAL replay settle before measuring. */
const SETTLE_MS = 30_000;
const WINDOW_MS = 45_000;
const SCRAPE_SECONDS = 15;
const ENV = { FIBRE_STACK_CACHE: '/nonexistent/fibre-stack-cache' };
const TICKS = 100; // USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s on Linux

const host = (i: number) => `bench-${String(i).padStart(2, '0')}`;

/** CPU seconds used so far and resident memory (bytes) of a process, from /proc. */
function usage(pid: number): { cpu: number; rss: number } {
  // Fields after the command (which may hold spaces) start at ") ": utime and stime are the 12th and 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
  const cpu = (Number(fields[11]) + Number(fields[12])) / TICKS;
  const rss = Number(/^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
  return { cpu, rss };
}

/** The pid of a service of a stack started natively. */
function pidOf(dir: string, service: string): number {
  const rec = pidRecords(dir).find((r) => r.service === service);
  if (!rec) throw new Error(`${service} of ${dir} is not running`);
  return rec.pid;
}

/** A counter of VictoriaMetrics' own /metrics. */
async function vmCounter(vm: string, line: RegExp): Promise<number> {
  const p = await probe(`${vm}/metrics`, { timeoutMs: 5000 });
  return [...p.body.matchAll(new RegExp(line.source, 'gm'))].reduce((sum, m) => sum + Number(m[1]), 0);
}

function du(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    total += e.isDirectory() ? du(path) : e.isFile() ? statSync(path).size : 0;
  }
  return total;
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const pct = (cpuSeconds: number, wallMs: number) => `${((100 * cpuSeconds) / (wallMs / 1000)).toFixed(1)}%`;

async function main(): Promise<void> {
  const missing = ['prometheus', 'victoria-metrics', 'vmauth', 'vmalert', 'prometheus-alertmanager'].filter((b) => !onPath(b));
  if (missing.length) {
    process.stderr.write(`fleet: needs ${missing.join(', ')} on PATH (apt-get install prometheus prometheus-alertmanager victoria-metrics)\n`);
    process.exit(2);
  }
  const root = tmpRoot('bench-fleet');
  const max = Math.max(...COUNTS);
  const hosts = Array.from({ length: max }, (_, i) => host(i + 1));
  const vm = `http://127.0.0.1:${hubPorts(BASE).vm}`;
  const dirs: string[] = [];
  let hubDir = '';
  try {
    hubDir = await createHub(root, BASE, hosts, {});
    const hubUrl = `https://127.0.0.1:${hubPorts(BASE).vmauth}`;
    process.stdout.write(`fleet: making ${max} nodes with fibre-stack create ...\n`);
    for (const [i, h] of hosts.entries()) dirs.push(await createNode(root, hubDir, hubUrl, { host: h, site: `site-${i % 3}`, port: BASE + 20 + 2 * i, profile: 'fibre' }));
    await mustCli(['up', '--native', '--detach', '--dir', hubDir], ENV);
    const hubPids = ['victoria-metrics', 'vmauth', 'vmalert'].map((s) => [s, pidOf(hubDir, s)] as const);

    let running = 0;
    const rows: string[] = [];
    for (const count of COUNTS) {
      process.stdout.write(`fleet: starting nodes ${running + 1}..${count}\n`);
      for (; running < count; running++) await mustCli(['up', '--native', '--detach', '--dir', dirs[running]], ENV);
      await sleep(SETTLE_MS);
      const agents = dirs.slice(0, count).map((d) => pidOf(d, 'prometheus'));
      const exporters = dirs.slice(0, count).map((d) => pidOf(d, 'fibre-exporter'));
      const rowsBefore = await vmCounter(vm, /^vm_rows_inserted_total\{type="promremotewrite"\} (\S+)$/);
      const before = new Map([...hubPids.map(([, p]) => p), ...agents, ...exporters].map((p) => [p, usage(p)]));
      const t0 = Date.now();
      await sleep(WINDOW_MS);
      const wall = Date.now() - t0;
      const rowsAfter = await vmCounter(vm, /^vm_rows_inserted_total\{type="promremotewrite"\} (\S+)$/);
      const delta = (p: number) => usage(p).cpu - before.get(p)!.cpu;
      // What the nodes scrape per second: their series over the scrape interval.
      const series = await vmQuery(vm, `count by (host) ({host=~"bench-.*"})`);
      const scraped = series.filter((s) => hosts.slice(0, count).includes(s.metric.host)).reduce((n, s) => n + Number(s.value[1]), 0) / SCRAPE_SECONDS;
      const rate = (rowsAfter - rowsBefore) / (wall / 1000);
      const hubCpu = hubPids.map(([name, p]) => `${name} ${pct(delta(p), wall)} ${mb(usage(p).rss)}`).join(', ');
      rows.push(
        `fleet ${String(count).padStart(2)} nodes: hub ingests ${rate.toFixed(0)} samples/s; nodes scrape ${scraped.toFixed(0)} samples/s; ratio ${(rate / scraped).toFixed(2)}\n` +
          `  hub: ${hubCpu}\n` +
          `  per node (median of ${count}): agent ${pct(median(agents.map(delta)), wall)} CPU, ${mb(median(agents.map((p) => usage(p).rss)))}; ` +
          `replay exporter ${pct(median(exporters.map(delta)), wall)} CPU, ${mb(median(exporters.map((p) => usage(p).rss)))}`,
      );
      process.stdout.write(`${rows.at(-1)}\n`);
    }

    // Sizing: series per node and the hub's bytes per stored sample, after a flush to disk.
    const perNode = (await vmQuery(vm, 'count by (host) ({host=~"bench-.*"})')).map((s) => Number(s.value[1]));
    await probe(`${vm}/internal/force_flush`, { timeoutMs: 30_000 });
    await sleep(2000);
    // Samples and their bytes, apart from the index (whose size follows the series, not the samples):
    // VictoriaMetrics@v1.79.5:app/vmstorage/main.go vm_rows and vm_data_size_bytes by type.
    const stored = await vmCounter(vm, /^vm_rows\{type="storage\/(?:small|big)"\} (\S+)$/);
    const sampleBytes = await vmCounter(vm, /^vm_data_size_bytes\{type="storage\/(?:small|big)"\} (\S+)$/);
    const indexBytes = await vmCounter(vm, /^vm_data_size_bytes\{type="indexdb"\} (\S+)$/);
    const allSeries = perNode.reduce((a, b) => a + b, 0);
    const dataDir = du(join(hubDir, 'data', 'victoria-metrics'));
    const minutes = Math.round((COUNTS.length * (SETTLE_MS + WINDOW_MS)) / 60_000);
    process.stdout.write(
      `fleet sizing: ${median(perNode).toFixed(0)} series per node (median of ${perNode.length}, min ${Math.min(...perNode)}, max ${Math.max(...perNode)}); ` +
        `${stored} samples in ${mb(sampleBytes)}: ${(sampleBytes / stored).toFixed(2)} bytes/sample; index ${mb(indexBytes)}: ${(indexBytes / allSeries).toFixed(0)} bytes/series; ` +
        `data folder ${mb(dataDir)} after ${minutes} min (young parts compress worse than merged ones: an upper bound)\n`,
    );
  } finally {
    for (const d of [...dirs, hubDir].filter(Boolean)) await mustCli(['down', '--dir', d]).catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  process.stderr.write(`fleet: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
