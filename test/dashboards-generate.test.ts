// The built-in dashboards: what each covers, the Grafana model they follow (the foundation SDK's
// classic dashboard model), that the checked-in dashboards/ and rules/ are what the code makes, and
// that a stack gets the checked-in dashboards as they are.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkedInArtifacts } from '../cli/artifacts/index.js';
import { dashboardFiles, dashboardsFor } from '../cli/artifacts/dashboards.js';
import { PROFILE_IDS } from '../cli/spec/types.js';
import { lintDashboardText } from '../cli/lint/dashboard.js';
import { analysePromql } from '../cli/lint/promql.js';
import { dashboardsCommand } from '../cli/commands/dashboards.js';
import { renderGrafana } from '../cli/render/grafana.js';
import { PROFILES } from '../profiles/registry.js';
import { TEMP_CRITICAL_C, TEMP_WARNING_C } from '../profiles/miner/rules.js';
import { fileOf, render, specFor } from './support/stack.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ROOT = join(import.meta.dirname, '..');
const all = await dashboardsFor(PROFILE_IDS);
const byFile = (file: string) => all.find((d) => d.file === file)!.dashboard as Json;
const panelsOf = (d: Json): Json[] => d.panels.filter((p: Json) => p.type !== 'row');
const exprsOf = (d: Json): string[] => panelsOf(d).flatMap((p) => p.targets.map((t: Json) => t.expr as string));
const metricsOf = (d: Json) => new Set(exprsOf(d).filter((e) => !e.startsWith('{')).flatMap((e) => analysePromql(e).selectors.map((s) => s.metric)));

describe('which dashboards a stack gets', () => {
  it('always includes the stack overview and the host, and one per chosen profile that has one', async () => {
    expect((await dashboardsFor([])).map((d) => d.file)).toEqual(['stack-overview.json', 'host.json']);
    expect((await dashboardsFor(['scrape'])).map((d) => d.file)).toEqual(['stack-overview.json', 'host.json']);
    expect((await dashboardsFor(['miner', 'fibre'])).map((d) => d.file)).toEqual(['stack-overview.json', 'host.json', 'miner.json', 'fibre.json']);
    expect(all.map((d) => d.file)).toEqual(['stack-overview.json', 'host.json', 'fibre.json', 'bitcoin-core.json', 'miner.json', 'nodeos.json']);
  });

  it('names the same files without building them', () => {
    expect(dashboardFiles(['miner', 'scrape', 'fibre'])).toEqual(['stack-overview.json', 'host.json', 'miner.json', 'fibre.json']);
    expect(dashboardFiles(PROFILE_IDS)).toEqual(all.map((d) => d.file));
  });

  it('gives every dashboard a stable, unique uid', async () => {
    expect(all.map((d) => d.dashboard.uid)).toEqual(['fibre-stack-overview', 'fibre-stack-host', 'fibre-relay', 'fibre-stack-bitcoin-core', 'fibre-stack-miner', 'fibre-stack-nodeos']);
    expect((await dashboardsFor(['fibre']))[2].dashboard.uid).toBe('fibre-relay'); // the original dashboard's uid, so links keep working
    expect(JSON.stringify(await dashboardsFor(PROFILE_IDS))).toBe(JSON.stringify(all));
  });
});

describe.each(all.map((d) => [d.file, d.dashboard as Json]))('%s follows the current Grafana model', (file, d) => {
  it('passes the linter without a single finding', () => {
    expect(lintDashboardText(file, JSON.stringify(d)).findings).toEqual([]);
  });

  it("keeps the machine (site and host) wherever it keeps a node, instance, device or mount point: on a fleet hub with every host selected, nodes of one name stay apart", () => {
    const clauses = exprsOf(d).flatMap((e) => [...e.matchAll(/\b(?:by|on)\s*\(([^)]*)\)/g)].map((m) => ({ e, labels: m[1].split(',').map((l) => l.trim()) })));
    for (const c of clauses.filter((x) => x.labels.some((l) => ['node', 'instance', 'device', 'mountpoint', 'name', 'check'].includes(l)))) {
      expect(c.labels, c.e).toEqual(expect.arrayContaining(['site', 'host']));
    }
  });

  it('is not editable and has a prometheus datasource variable defaulting to uid prometheus', () => {
    expect(d.editable).toBe(false);
    const ds = d.templating.list.find((v: Json) => v.name === 'datasource');
    expect(ds).toMatchObject({ type: 'datasource', label: 'Prometheus', query: 'prometheus', current: { selected: false, text: 'prometheus', value: 'prometheus' } });
  });

  it('is the classic model at schemaVersion 42, with our tag, settings, link and built-in annotation', () => {
    expect(d).toMatchObject({ schemaVersion: 42, graphTooltip: 1, refresh: '30s', timezone: 'browser', version: 1, liveNow: false });
    expect(d.tags[0]).toBe('fibre-stack');
    expect(d.time).toEqual({ from: file === 'stack-overview.json' ? 'now-3h' : 'now-6h', to: 'now' });
    // No `placement`: Grafana shows only links and annotations without one above the panels.
    expect(d.links).toEqual([{
      title: 'fibre-stack dashboards', type: 'dashboards', icon: '', tooltip: '', tags: ['fibre-stack'],
      asDropdown: true, targetBlank: false, includeVars: true, keepTime: true,
    }]);
    expect(d.annotations.list).toEqual([{
      name: 'Annotations & Alerts', enable: true, hide: true, iconColor: 'rgba(0, 211, 255, 1)', builtIn: 1,
      type: 'dashboard', datasource: { type: 'grafana', uid: '-- Grafana --' },
    }]);
  });

  it('numbers panels and rows 1, 2, 3, ... in layout order, and their queries A, B, C, ...', () => {
    expect(d.panels.map((p: Json) => p.id)).toEqual(d.panels.map((_: Json, i: number) => i + 1));
    for (const p of panelsOf(d)) expect(p.targets.map((t: Json) => t.refId), p.title).toEqual(p.targets.map((_: Json, i: number) => 'ABCDEFGH'[i]));
  });

  it('uses only current panel types, each panel with unit, description and a datasource variable', () => {
    for (const p of panelsOf(d)) {
      expect(['timeseries', 'stat', 'table', 'bargauge', 'logs']).toContain(p.type);
      expect(p.fieldConfig.defaults.unit, p.title).toBeTruthy();
      expect(p.description, p.title).toBeTruthy();
      expect(p.datasource.uid).toMatch(/^\$\{(datasource|loki)\}$/);
    }
  });

  it('has a loki variable exactly when it has logs panels', () => {
    const hasLogs = panelsOf(d).some((p) => p.type === 'logs');
    expect(d.templating.list.some((v: Json) => v.name === 'loki' && v.query === 'loki')).toBe(hasLogs);
  });

  it('uses $__rate_interval in every rate()', () => {
    for (const e of exprsOf(d)) if (/\brate\(/.test(e)) expect(e).toContain('[$__rate_interval]');
  });

  it('lays panels out inside the 24-column grid without overlap', () => {
    const cells = new Set<string>();
    for (const p of d.panels) {
      const { x, y, w, h } = p.gridPos;
      expect(x + w).toBeLessThanOrEqual(24);
      for (let i = x; i < x + w; i++) for (let j = y; j < y + h; j++) {
        expect(cells.has(`${i},${j}`), `${p.title} overlaps at ${i},${j}`).toBe(false);
        cells.add(`${i},${j}`);
      }
    }
  });
});

describe('what the dashboards cover', () => {
  it('FIBRE: everything the original dashboard showed, the race view and the race log', () => {
    const d = byFile('fibre.json');
    const original = ['fibre_blocks_reconstructed_total', 'fibre_blocks_sent_total', 'fibre_last_block_height', 'fibre_block_reconstruction_duration_seconds_bucket', 'fibre_chunks_used_total', 'fibre_chunks_received_total', 'fibre_block_deliveries_total'];
    const race = ['fibre_block_race_wins_total', 'fibre_block_race_latency_seconds_bucket', 'fibre_race_margin_seconds_bucket'];
    expect([...metricsOf(d)]).toEqual(expect.arrayContaining([...original, ...race]));
    const quantiles = exprsOf(d).filter((e) => e.includes('fibre_block_reconstruction_duration_seconds_bucket')).map((e) => e.match(/histogram_quantile\(([\d.]+)/)?.[1]);
    expect(quantiles).toEqual(expect.arrayContaining(['0.5', '0.95', '0.99']));
    const peers = panelsOf(d).find((p) => p.type === 'table');
    expect(peers?.targets[0].expr).toMatch(/by \(site, host, node, peer, mechanism\)/);
    const logs = panelsOf(d).find((p) => p.type === 'logs');
    expect(logs?.targets[0].expr).toMatch(/job="bitcoind".*winner=~"\.\+"/);
    expect(logs?.datasource).toEqual({ type: 'loki', uid: '${loki}' });
  });

  it('miner: hashrate per card, temperature, voltage, errors, shares, stale logs', () => {
    expect([...metricsOf(byFile('miner.json'))]).toEqual(expect.arrayContaining([
      'fpga_miner_hashrate_hashes_per_second', 'fpga_miner_temperature_celsius', 'fpga_miner_voltage_volts', 'fpga_miner_error_ratio', 'fpga_miner_shares_total', 'fpga_miner_log_stale',
    ]));
  });

  it('nodeos: head and LIB, blocks produced/incoming, transactions, peers, HTTP, CPU/NET', () => {
    expect([...metricsOf(byFile('nodeos.json'))]).toEqual(expect.arrayContaining([
      'nodeos_head_block_num', 'nodeos_last_irreversible', 'nodeos_blocks_produced', 'nodeos_blocks_incoming', 'nodeos_trxs_produced_total', 'nodeos_trxs_incoming_total',
      'nodeos_p2p_peers', 'nodeos_http_requests_total', 'nodeos_cpu_usage_us_total', 'nodeos_net_usage_us_total',
    ]));
  });

  it('Bitcoin Core: blocks, P2P, mempool, UTXO cache', () => {
    expect([...metricsOf(byFile('bitcoin-core.json'))]).toEqual(expect.arrayContaining([
      'bitcoin_block_height', 'bitcoin_blocks_connected_total', 'bitcoin_net_messages_total', 'bitcoin_mempool_added_total', 'bitcoin_utxocache_flush_duration_seconds_bucket',
    ]));
  });

  it('stack overview: targets up, alerts, Prometheus, Alertmanager and Loki health', () => {
    expect([...metricsOf(byFile('stack-overview.json'))]).toEqual(expect.arrayContaining(['up', 'alertmanager_alerts', 'prometheus_rule_evaluation_failures_total', 'loki_distributor_lines_received_total']));
  });
});

describe('panels as the SDK builds them', () => {
  const fibre = byFile('fibre.json');
  const titled = (d: Json, title: string) => panelsOf(d).find((p) => p.title === title)!;

  it('a stat: one instant value, no sparkline, green until a threshold', () => {
    expect(titled(fibre, 'FIBRE win rate')).toMatchObject({
      type: 'stat', gridPos: { x: 14, y: 1, w: 5, h: 5 }, datasource: { type: 'prometheus', uid: '${datasource}' },
      fieldConfig: { defaults: { unit: 'percentunit', min: 0, max: 1, color: { mode: 'thresholds' }, thresholds: { mode: 'absolute', steps: [{ color: 'green', value: null }] } } },
      options: { graphMode: 'none', colorMode: 'value', reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false } },
      targets: [{
        refId: 'A', datasource: { type: 'prometheus', uid: '${datasource}' }, legendFormat: '__auto', instant: true, range: false,
        expr: 'sum(increase(fibre_block_race_wins_total{site=~"$site", host=~"$host", node=~"$node", mechanism="fibre_udp"}[$__range])) / sum(increase(fibre_block_race_wins_total{site=~"$site", host=~"$host", node=~"$node"}[$__range]))',
      }],
    });
    expect(titled(byFile('miner.json'), 'Hottest card').fieldConfig.defaults.thresholds.steps).toEqual([
      { color: 'green', value: null }, { color: 'orange', value: TEMP_WARNING_C }, { color: 'red', value: TEMP_CRITICAL_C },
    ]);
  });

  it('a timeseries: range queries, a table legend with last and max, all series in the tooltip', () => {
    expect(titled(fibre, 'Chunk throughput')).toMatchObject({
      type: 'timeseries', gridPos: { x: 8, y: 7, w: 8, h: 8 },
      fieldConfig: { defaults: { unit: 'cps', color: { mode: 'palette-classic' }, custom: { drawStyle: 'line', lineWidth: 1, fillOpacity: 10, showPoints: 'never', spanNulls: false, stacking: { mode: 'none', group: 'A' } } } },
      options: { legend: { displayMode: 'table', placement: 'bottom', showLegend: true, calcs: ['lastNotNull', 'max'] }, tooltip: { mode: 'multi', sort: 'desc' } },
      targets: [
        { refId: 'A', expr: 'sum by (site, host, node) (rate(fibre_chunks_received_total{site=~"$site", host=~"$host", node=~"$node"}[$__rate_interval]))', legendFormat: 'received {{node}}', range: true, instant: false },
        { refId: 'B', expr: 'sum by (site, host, node) (rate(fibre_chunks_used_total{site=~"$site", host=~"$host", node=~"$node"}[$__rate_interval]))', legendFormat: 'used {{node}}', range: true, instant: false },
      ],
    });
    expect(titled(fibre, 'Race wins by mechanism').fieldConfig.defaults.custom).toMatchObject({ fillOpacity: 30, stacking: { mode: 'normal', group: 'A' } });
  });

  it('a table: instant table frames merged, without the Time column', () => {
    const peers = titled(fibre, 'Block deliveries by peer');
    expect(peers.targets).toMatchObject([{ refId: 'A', format: 'table', instant: true, range: false }]);
    expect(peers.transformations).toEqual([{ id: 'merge', options: {} }, { id: 'organize', options: { excludeByName: { Time: true } } }]);
  });

  it('a logs panel: a LogQL range query on the loki variable, full width', () => {
    expect(titled(fibre, 'Race results from debug.log')).toMatchObject({
      type: 'logs', gridPos: { x: 0, w: 24, h: 10 }, datasource: { type: 'loki', uid: '${loki}' }, fieldConfig: { defaults: { unit: 'none' } },
      options: { showTime: true, wrapLogMessage: true, sortOrder: 'Descending', enableLogDetails: true, dedupStrategy: 'none' },
      targets: [{ refId: 'A', datasource: { type: 'loki', uid: '${loki}' }, queryType: 'range', expr: '{job="bitcoind", site=~"$site", host=~"$host", node=~"$node", winner=~".+"}' }],
    });
  });

  it('a query variable: every value of a label, all selected', () => {
    // The machine variables first: a fleet hub shows every node's series, each with its site and host.
    expect(fibre.templating.list.map((v: Json) => v.name)).toEqual(['datasource', 'loki', 'site', 'host', 'node']);
    expect(fibre.templating.list[2]).toMatchObject({ label: 'Site', query: { query: 'label_values(up, site)' }, includeAll: true, allValue: '.*' });
    expect(fibre.templating.list[3]).toMatchObject({ label: 'Host', query: { query: 'label_values(up{site=~"$site"}, host)' }, includeAll: true, allValue: '.*' });
    expect(fibre.templating.list[4]).toMatchObject({
      type: 'query', label: 'Node', datasource: { type: 'prometheus', uid: '${datasource}' }, definition: 'label_values(fibre_last_block_height{site=~"$site", host=~"$host"}, node)',
      query: { query: 'label_values(fibre_last_block_height{site=~"$site", host=~"$host"}, node)', refId: 'PrometheusVariableQueryEditor-VariableQuery' },
      current: { selected: true, text: ['All'], value: ['$__all'] }, includeAll: true, multi: true, allValue: '.*', refresh: 2, sort: 1,
    });
  });
});

describe('a stack gets the checked-in dashboards', () => {
  it('byte for byte, the overview, the host (with node_exporter) and one per profile that has one', () => {
    const files = render(specFor({ profiles: ['fibre', 'miner', 'scrape'] }));
    const shipped = files.filter((f) => f.path.startsWith('grafana/dashboards/')).map((f) => f.path);
    expect(shipped).toEqual(['grafana/dashboards/stack-overview.json', 'grafana/dashboards/host.json', 'grafana/dashboards/fibre.json', 'grafana/dashboards/miner.json']);
    const withoutHost = render({ ...specFor({ profiles: ['fibre'] }), disabled_services: ['node-exporter'] });
    expect(withoutHost.filter((f) => f.path.startsWith('grafana/dashboards/')).map((f) => f.path)).toEqual(['grafana/dashboards/stack-overview.json', 'grafana/dashboards/fibre.json']);
    for (const path of shipped) expect(fileOf(files, path), path).toBe(readFileSync(join(ROOT, 'dashboards', path.slice('grafana/dashboards/'.length)), 'utf8'));
  });

  it('and says which one the package lacks instead of writing a stack without it', () => {
    const dashboards = Object.fromEntries(readdirSync(join(ROOT, 'dashboards')).map((f) => [f, readFileSync(join(ROOT, 'dashboards', f), 'utf8')]));
    delete dashboards['miner.json'];
    expect(() => renderGrafana(specFor({ profiles: ['fibre', 'miner'] }), dashboards, PROFILES)).toThrow(/dashboards\/miner\.json is missing from the fibre-stack package/);
  });
});

describe('checked-in dashboards/ and rules/', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  async function runCommand(args: { out?: string; check: boolean }): Promise<string> {
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await (dashboardsCommand.handler as any)({ ...args, json: false, _: [], $0: 'fibre-stack' });
    vi.restoreAllMocks();
    return out;
  }

  it('equal what the code makes (the SDK builds the dashboards)', async () => {
    const artifacts = await checkedInArtifacts();
    expect(artifacts.filter((a) => a.path.startsWith('dashboards/')).map((a) => a.path)).toEqual(all.map((d) => `dashboards/${d.file}`));
    for (const { path, content } of artifacts) expect(readFileSync(join(ROOT, path), 'utf8'), path).toBe(content);
  });

  it('--check exits 1 naming the file that differs, and writing makes it pass again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dashboards-check-'));
    expect(await runCommand({ out: dir, check: true })).toMatch(/dashboards\/fibre\.json \(missing\)/);
    expect(process.exitCode).toBe(1);
    process.exitCode = undefined;
    await runCommand({ out: dir, check: false });
    expect(await runCommand({ out: dir, check: true })).toMatch(/match the code/);
    expect(process.exitCode).toBeUndefined();
    writeFileSync(join(dir, 'rules', 'miner.yml'), readFileSync(join(dir, 'rules', 'miner.yml'), 'utf8').replace('> 80', '> 85'));
    const out = await runCommand({ out: dir, check: true });
    expect(out).toMatch(/rules\/miner\.yml \(differs\)/);
    expect(out).not.toMatch(/fibre\.json/);
    expect(process.exitCode).toBe(1);
  });
});
