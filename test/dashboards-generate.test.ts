// The built-in dashboards: what each covers, the Grafana model they follow, and that the
// checked-in dashboards/ and rules/ are what the code makes.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkedInArtifacts } from '../cli/artifacts/index.js';
import { dashboardsFor } from '../cli/artifacts/dashboards.js';
import { PROFILE_IDS } from '../cli/spec/types.js';
import { lintDashboardText } from '../cli/lint/dashboard.js';
import { analysePromql } from '../cli/lint/promql.js';
import { dashboardsCommand } from '../cli/commands/dashboards.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const all = dashboardsFor(PROFILE_IDS);
const byFile = (file: string) => all.find((d) => d.file === file)!.dashboard as Json;
const panelsOf = (d: Json): Json[] => d.panels.filter((p: Json) => p.type !== 'row');
const exprsOf = (d: Json): string[] => panelsOf(d).flatMap((p) => p.targets.map((t: Json) => t.expr as string));
const metricsOf = (d: Json) => new Set(exprsOf(d).filter((e) => !e.startsWith('{')).flatMap((e) => analysePromql(e).selectors.map((s) => s.metric)));

describe('which dashboards a stack gets', () => {
  it('always includes the stack overview, and one per chosen profile that has one', () => {
    expect(dashboardsFor([]).map((d) => d.file)).toEqual(['stack-overview.json']);
    expect(dashboardsFor(['scrape']).map((d) => d.file)).toEqual(['stack-overview.json']);
    expect(dashboardsFor(['miner', 'fibre']).map((d) => d.file)).toEqual(['stack-overview.json', 'miner.json', 'fibre.json']);
    expect(all.map((d) => d.file).sort()).toEqual(['bitcoin-core.json', 'fibre.json', 'miner.json', 'nodeos.json', 'stack-overview.json']);
  });

  it('gives every dashboard a stable, unique uid', () => {
    const uids = all.map((d) => d.dashboard.uid);
    expect(new Set(uids).size).toBe(uids.length);
    expect(dashboardsFor(['fibre'])[1].dashboard.uid).toBe('fibre-relay'); // the original dashboard's uid, so links keep working
    expect(JSON.stringify(dashboardsFor(PROFILE_IDS))).toBe(JSON.stringify(all));
  });
});

describe.each(all.map((d) => [d.file, d.dashboard as Json]))('%s follows the current Grafana model', (file, d) => {
  it('passes the linter without a single finding', () => {
    expect(lintDashboardText(file, JSON.stringify(d)).findings).toEqual([]);
  });

  it('is not editable and has a prometheus datasource variable defaulting to uid prometheus', () => {
    expect(d.editable).toBe(false);
    const ds = d.templating.list.find((v: Json) => v.name === 'datasource');
    expect(ds).toMatchObject({ type: 'datasource', query: 'prometheus', current: { value: 'prometheus' } });
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
    expect(peers.targets[0].expr).toMatch(/by \(peer, mechanism\)/);
    const logs = panelsOf(d).find((p) => p.type === 'logs');
    expect(logs.targets[0].expr).toMatch(/job="bitcoind".*winner=~"\.\+"/);
    expect(logs.datasource).toEqual({ type: 'loki', uid: '${loki}' });
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

  it('equal what the code makes', () => {
    const root = join(import.meta.dirname, '..');
    for (const { path, content } of checkedInArtifacts()) expect(readFileSync(join(root, path), 'utf8'), path).toBe(content);
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
