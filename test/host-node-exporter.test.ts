// Host metrics with real parts: Debian's node_exporter (prometheus-node-exporter 1.5.0) run with the
// flags we render answers every collector we rely on and serves every node_exporter metric of our
// catalog; and the datadir disk alert fires against real data: a tmpfs of the test's own, mounted
// under a temp folder and filled steadily while Debian's Prometheus 2.42 scrapes node_exporter
// every second and evaluates rules/host.yml as shipped, node_exporter serving the datadir info
// series from the textfile rendered from where the edge finds the datadir mounted.
//
// The shipped alert waits `for: 1h`: with it, the test sees the alert go pending (its expression
// holds). To see it fire, the same AlertSpec (DATADIR_DISK_FILLING, the very expression object)
// is also rendered into a test-only group with `for: 5s`; nothing else of it changes.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ruleFileYaml } from '../profiles/kit/rule-kit.js';
import { DATADIR_DISK_FILLING, hostRules } from '../cli/services/host-rules.js';
import { DATADIR_INFO } from '../cli/services/host-metrics.js';
import { DATADIR_TEXTFILE_PATH, nodeExporterFlags, renderDatadirTextfile } from '../cli/render/host-metrics.js';
import { mountPointFor, mountPointsOf } from '../cli/io/host-facts.js';
import { hostDashboard } from '../cli/services/host-dashboard.js';
import { prerequisites } from './support/prereq.js';
import { eventually, scrape, series } from './support/scrape.js';
import { expectOurCollectors } from './support/node-exporter.js';
import { tempDir } from './support/stack.js';

const NODE_EXPORTER = 'prometheus-node-exporter';
const EXPORTER_ADDR = '127.0.0.1:29710';
const PROMETHEUS_ADDR = '127.0.0.1:29711';

const ok = prerequisites('host metrics with node_exporter', { commands: [NODE_EXPORTER, 'prometheus', 'mount', 'umount'], root: true });

/** The stack folder's datadir textfile, rendered as the stack renders it. */
function writeDatadirTextfile(stackDir: string, ...args: Parameters<typeof renderDatadirTextfile>): void {
  mkdirSync(dirname(join(stackDir, DATADIR_TEXTFILE_PATH)), { recursive: true });
  writeFileSync(join(stackDir, DATADIR_TEXTFILE_PATH), renderDatadirTextfile(...args).content);
}

function startNodeExporter(stackDir: string): ChildProcess {
  // Natively (placement host), as the native runner starts it: the flags of the stack, nothing
  // else, in the stack folder (its textfile folder is a path of the stack folder).
  return spawn(NODE_EXPORTER, nodeExporterFlags({ placement: 'host', listen: EXPORTER_ADDR }), { stdio: 'ignore', cwd: stackDir });
}

describe.runIf(ok)("Debian's node_exporter with our flags", () => {
  // A datadir no shell, YAML or text-format writer should break: quotes, a newline, a backslash.
  const hostile = '/srv/x"} 2\nevil_metric 1 #\\';
  let exporter: ChildProcess | undefined;
  let dir: string;
  beforeAll(() => {
    dir = tempDir('fibre-stack-node-exporter-');
    writeDatadirTextfile(dir, [{ profile: 'bitcoin-core', node: 'main', datadir: '/srv/main' }, { profile: 'fibre', node: 'relay', datadir: hostile }], { '/srv/main': '/srv', [hostile]: '/' });
    exporter = startNodeExporter(dir);
  });
  afterAll(() => {
    exporter?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs every collector we ask for, each succeeding, and serves every node_exporter metric of our catalog', async () => {
    expectOurCollectors(await eventually(() => scrape(`http://${EXPORTER_ADDR}/metrics`), 10_000, 100));
  });

  it("serves the stack's datadir textfile sample for sample, a hostile datadir one label value", async () => {
    const samples = await eventually(() => scrape(`http://${EXPORTER_ADDR}/metrics`), 10_000, 100);
    // Keys hold label values as the text format writes them: node_exporter read ours back to the
    // original and wrote it out again escaped, as text format 0.0.4 escapes.
    expect([...samples].filter(([k]) => k.startsWith(`${DATADIR_INFO}{`)).sort()).toEqual([
      [series(DATADIR_INFO, { datadir: '/srv/x\\"} 2\\nevil_metric 1 #\\\\', mountpoint: '/', node: 'relay', profile: 'fibre' }), 1],
      [series(DATADIR_INFO, { datadir: '/srv/main', mountpoint: '/srv', node: 'main', profile: 'bitcoin-core' }), 1],
    ].sort());
    expect([...samples.keys()].filter((k) => k.startsWith('evil_metric'))).toEqual([]);
  });
});

interface RuleState { name: string; state: string; alerts: { labels: Record<string, string>; state: string }[] }
interface RuleGroup { name: string; rules: RuleState[] }

async function alertRules(): Promise<RuleGroup[]> {
  const res = await fetch(`http://${PROMETHEUS_ADDR}/api/v1/rules?type=alert`, { signal: AbortSignal.timeout(5000) });
  return ((await res.json()) as { data: { groups: RuleGroup[] } }).data.groups;
}

function diskAlert(groups: RuleGroup[], group: string): RuleState {
  const rule = groups.find((g) => g.name === group)?.rules.find((r) => r.name === DATADIR_DISK_FILLING.alert);
  if (!rule) throw new Error(`no ${DATADIR_DISK_FILLING.alert} in group ${group} yet`);
  return rule;
}

async function resultOf(query: string): Promise<{ metric: Record<string, string> }[]> {
  const res = await fetch(`http://${PROMETHEUS_ADDR}/api/v1/query?query=${encodeURIComponent(query)}`, { signal: AbortSignal.timeout(5000) });
  const body = (await res.json()) as { status: string; error?: string; data: { result: { metric: Record<string, string> }[] } };
  if (body.status !== 'success') throw new Error(`${query}: ${body.error}`);
  return body.data.result;
}

const samplesOf = async (query: string) => (await resultOf(query)).length;

/** The host dashboard's queries as Grafana sends them with every site, host, node_exporter and node selected. */
function hostDashboardQueries(): { panel: string; expr: string }[] {
  type Panel = { type: string; title: string; targets?: { expr: string }[] };
  const panels = (hostDashboard() as unknown as { panels: Panel[] }).panels.filter((p) => p.type !== 'row');
  return panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr.replace(/\$(site|host|target|node)\b/g, '.*').replaceAll('$__rate_interval', '30s') })));
}

describe.runIf(ok)('the datadir disk alert against a filesystem filled in the test', () => {
  const SHORT_GROUP = 'host-alerts-test-only-short-for';
  let dir: string;
  let mounted: string | undefined;
  let exporter: ChildProcess | undefined;
  let prometheus: ChildProcess | undefined;
  let datadir: string;

  beforeAll(async () => {
    dir = tempDir('fibre-stack-host-disk-');
    const disk = join(dir, 'disk');
    mkdirSync(disk);
    const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=128m,mode=0700', 'fibre-stack-test', disk], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`mount tmpfs: ${r.stderr}`);
    mounted = disk;
    datadir = join(disk, 'bitcoin');
    mkdirSync(datadir);

    // The edge's part: the mount point holding the datadir, read from this host's mount table.
    const mountpoint = mountPointFor(datadir, mountPointsOf(readFileSync('/proc/self/mountinfo', 'utf8')));
    expect(mountpoint).toBe(disk);
    writeDatadirTextfile(dir, [{ profile: 'bitcoin-core', node: 'main', datadir }], { [datadir]: mountpoint! });
    const rules = join(dir, 'rules');
    mkdirSync(rules);
    writeFileSync(join(rules, 'host.yml'), ruleFileYaml(hostRules));
    writeFileSync(join(rules, 'host-short-for.yml'), ruleFileYaml({ title: 'test only: the disk alert with for: 5s', groups: [{ name: SHORT_GROUP, rules: [{ ...DATADIR_DISK_FILLING, for: '5s' }] }] }));
    writeFileSync(join(dir, 'prometheus.yml'), JSON.stringify({
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      rule_files: [join(rules, '*.yml')],
      scrape_configs: [{ job_name: 'node-exporter', static_configs: [{ targets: [EXPORTER_ADDR] }] }],
    }));

    exporter = startNodeExporter(dir);
    prometheus = spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=${PROMETHEUS_ADDR}`], { stdio: 'ignore' });
    // node_exporter reports the tmpfs under the mount point the edge found, and the info series is recorded.
    await eventually(async () => {
      expect(await samplesOf(`node_filesystem_avail_bytes{mountpoint="${disk}", fstype="tmpfs"}`)).toBe(1);
      expect(await samplesOf(`${DATADIR_INFO}{mountpoint="${disk}", node="main"}`)).toBe(1);
    }, 30_000, 250);
  }, 60_000);

  afterAll(() => {
    prometheus?.kill('SIGTERM');
    exporter?.kill('SIGTERM');
    if (mounted) {
      const r = spawnSync('umount', [mounted]);
      if (r.status !== 0) spawnSync('umount', ['-l', mounted]);
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('stays inactive while the filesystem is level, then goes pending (shipped rule) and fires (for: 5s) as it fills', async () => {
    // Level: several scrapes of an unchanging tmpfs, and neither rule holds.
    await new Promise((r) => setTimeout(r, 5000));
    const level = await alertRules();
    expect(diskAlert(level, 'host-alerts').state).toBe('inactive');
    expect(diskAlert(level, SHORT_GROUP).state).toBe('inactive');

    // Fill: 2 MiB every half second, 4 MiB/s, while Prometheus scrapes every second.
    const chunk = Buffer.alloc(2 * 1024 * 1024, 1);
    let written = 0;
    const filler = setInterval(() => {
      if (written < 100 * 1024 * 1024) {
        appendFileSync(join(datadir, 'blk00000.dat'), chunk);
        written += chunk.length;
      }
    }, 500);
    try {
      const groups = await eventually(async () => {
        const now = await alertRules();
        expect(diskAlert(now, SHORT_GROUP).state).toBe('firing');
        expect(diskAlert(now, 'host-alerts').state).toBe('pending');
        return now;
      }, 25_000, 250);
      const firing = diskAlert(groups, SHORT_GROUP).alerts[0];
      expect(firing.labels).toMatchObject({ alertname: 'HostDatadirDiskFillingUp', severity: 'warning', node: 'main', profile: 'bitcoin-core', datadir, mountpoint: mounted, fstype: 'tmpfs' });
    } finally {
      clearInterval(filler);
    }
  }, 60_000);

  it("answers every node_exporter query of the host dashboard, the datadir panels with the node's own filesystem", async () => {
    const queries = hostDashboardQueries();
    const fromNodeExporter = queries.filter((q) => !q.expr.includes('container_'));
    expect(fromNodeExporter.length).toBeGreaterThan(10);
    for (const q of fromNodeExporter) expect(await samplesOf(q.expr), `${q.panel}: ${q.expr}`).toBeGreaterThan(0);
    for (const q of fromNodeExporter.filter((x) => x.expr.includes(DATADIR_INFO))) {
      expect((await resultOf(q.expr)).map((r) => [r.metric.node, r.metric.mountpoint]), q.panel).toEqual([['main', mounted]]);
    }
  });
});
