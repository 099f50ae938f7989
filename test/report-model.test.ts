// The status page's pure parts: what state each node and section takes from targets and alerts,
// when a down target went down, which alert belongs where, how numbers read, and that nothing a
// label or an annotation holds reaches the page as markup.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { runCli } from './support/cli.js';
import { downSince, headlineView, statusModel, utc } from '../cli/report/model.js';
import { formatValue, renderStatusHtml, sparkline } from '../cli/report/html.js';
import { statusPlan, type StatusPlan } from '../cli/report/plan.js';
import type { FiringAlert, StatusData, Target } from '../cli/report/prometheus-api.js';
import { defaultProfile, defaultSpec } from '../cli/spec/defaults.js';
import { PROFILES } from '../profiles/registry.js';
import { seriesNames } from '../core/catalog.js';
import { analysePromql } from '../cli/lint/promql.js';
import { checkSelectors } from '../cli/lint/catalog-check.js';

const NOW = 1_800_000_000;
const plan: StatusPlan = {
  guessed: false,
  targetsFromUp: false,
  sections: [
    { id: 'stack', title: 'Monitoring stack', jobs: ['prometheus'], alerts: ['LokiDown'], headlines: [] },
    { id: 'fibre', title: 'FIBRE', jobs: ['fibre'], alerts: ['FibreExporterDown', 'FibreSlow'], headlines: [{ title: 'Height', query: 'h', unit: 'block_height', by: ['node'] }] },
  ],
};
const target = (job: string, instance: string, health: Target['health'] = 'up', extra: Partial<Target> = {}): Target => ({ job, instance, health, lastError: '', ...extra });
const alert = (name: string, severity: string, labels: Record<string, string> = {}, summary = ''): FiringAlert => ({ name, severity, activeAt: NOW - 600, summary, labels: { alertname: name, severity, ...labels } });
const data = (over: Partial<StatusData> = {}): StatusData => ({
  source: 'http://127.0.0.1:9090',
  now: NOW,
  windowSeconds: 3600,
  targets: [target('prometheus', 'p:9090'), target('fibre', 'f:9435')],
  up: [],
  alerts: [],
  headlines: [[], [{ instant: [{ labels: { node: 'demo' }, value: 850_123 }], range: [{ labels: { node: 'demo' }, points: [[NOW - 60, 850_122], [NOW, 850_123]] }] }]],
  ...over,
});
const section = (m: ReturnType<typeof statusModel>, id: string) => m.sections.find((s) => s.id === id)!;

describe('status model', () => {
  it('is green when every target answers and nothing fires', () => {
    const m = statusModel(plan, data());
    expect(m.state).toBe('green');
    expect(m.sections.map((s) => [s.id, s.state])).toEqual([['stack', 'green'], ['fibre', 'green']]);
    expect(section(m, 'fibre').headlines[0].rows).toEqual([{ name: 'demo', value: 850_123, spark: [850_122, 850_123] }]);
  });

  it('turns a down target red, saying since when and why', () => {
    const up = [{ labels: { job: 'fibre', instance: 'f:9435' }, points: [[NOW - 60, 1], [NOW - 45, 0], [NOW - 30, 0]] as [number, number][] }];
    const m = statusModel(plan, data({ targets: [target('prometheus', 'p:9090'), target('fibre', 'f:9435', 'down', { lastError: 'connection refused' })], up }));
    const node = section(m, 'fibre').nodes[0];
    expect(node.state).toBe('red');
    expect(node.reasons).toEqual([`exporter not answering since ${utc(NOW - 45)} (connection refused)`]);
    expect(section(m, 'fibre').state).toBe('red');
    expect(section(m, 'stack').state).toBe('green');
    expect(m.state).toBe('red');
  });

  it('names a stack service down by its job', () => {
    const m = statusModel(plan, data({ targets: [target('prometheus', 'p:9090', 'down'), target('fibre', 'f:9435')] }));
    expect(section(m, 'stack').nodes[0].reasons).toEqual(['prometheus not answering']);
  });

  it('colours by the severity of its firing alerts: critical red, warning orange, info not at all', () => {
    const at = (severity: string) => statusModel(plan, data({ alerts: [alert('FibreSlow', severity, { job: 'fibre', instance: 'f:9435' }, 'slow')] }));
    expect(section(at('critical'), 'fibre').nodes[0]).toMatchObject({ state: 'red', reasons: ['FibreSlow: slow'] });
    expect(section(at('warning'), 'fibre').nodes[0].state).toBe('orange');
    expect(section(at('warning'), 'fibre').state).toBe('orange');
    expect(section(at('info'), 'fibre').state).toBe('green');
    expect(at('info').alerts).toHaveLength(1);
  });

  it('puts an alert with no target of its own on its section, and one of no section only in the list and the overall state', () => {
    const m = statusModel(plan, data({ alerts: [alert('FibreSlow', 'warning', { node: 'elsewhere' }), alert('UsersOwn', 'critical', { instance: 'x' })] }));
    expect(section(m, 'fibre')).toMatchObject({ state: 'orange', reasons: ['FibreSlow'] });
    expect(section(m, 'fibre').nodes[0].state).toBe('green');
    expect(m.alerts.map((a) => [a.name, a.section, a.where])).toEqual([['UsersOwn', undefined, 'x'], ['FibreSlow', 'fibre', 'elsewhere']]);
    expect(m.state).toBe('red');
  });

  it('matches an alert to a node by its node label', () => {
    const m = statusModel(plan, data({ targets: [target('fibre', 'f:9435', 'up', { node: 'relay1' })], alerts: [alert('FibreSlow', 'critical', { node: 'relay1' })] }));
    expect(section(m, 'fibre').nodes[0]).toMatchObject({ name: 'relay1', state: 'red' });
    expect(section(m, 'fibre').reasons).toEqual([]);
  });

  it('says so when Prometheus has no target of a section, and leaves such a section out when the plan was guessed', () => {
    const m = statusModel(plan, data({ targets: [target('prometheus', 'p:9090')] }));
    expect(section(m, 'fibre')).toMatchObject({ state: 'orange', reasons: ['Prometheus has no target of job fibre: is its configuration loaded?'] });
    expect(statusModel({ ...plan, guessed: true }, data({ targets: [target('prometheus', 'p:9090')] })).sections.map((s) => s.id)).toEqual(['stack']);
  });

  it('marks a target not yet scraped orange', () => {
    const m = statusModel(plan, data({ targets: [target('prometheus', 'p:9090'), target('fibre', 'f:9435', 'unknown')] }));
    expect(section(m, 'fibre').nodes[0]).toMatchObject({ state: 'orange', reasons: ['not scraped yet'] });
  });
});

describe('a fleet hub', () => {
  // Two machines, each with a bitcoin-core node called default at the same address.
  const on = (host: string, health: Target['health'] = 'up') => target('fibre', '127.0.0.1:9435', health, { node: 'default', host });

  it('holds nodes of one name on different machines apart: their state, since when, and their alerts', () => {
    const up = [
      { labels: { job: 'fibre', instance: '127.0.0.1:9435', host: 'relay-1' }, points: [[NOW - 60, 1], [NOW - 30, 1]] as [number, number][] },
      { labels: { job: 'fibre', instance: '127.0.0.1:9435', host: 'relay-2' }, points: [[NOW - 60, 1], [NOW - 30, 0]] as [number, number][] },
    ];
    const alerts = [alert('FibreSlow', 'warning', { job: 'fibre', node: 'default', host: 'relay-1' }, 'slow')];
    const m = statusModel(plan, data({ targets: [target('prometheus', 'p:9090'), on('relay-1'), on('relay-2', 'down')], up, alerts }));
    expect(section(m, 'fibre').nodes.map((n) => [n.name, n.host, n.state, n.reasons])).toEqual([
      ['default', 'relay-1', 'orange', ['FibreSlow: slow']],
      ['default', 'relay-2', 'red', [`exporter not answering since ${utc(NOW - 30)}`]],
    ]);
    expect(m.alerts.map((a) => a.where)).toEqual(['default on relay-1']);
    const page = renderStatusHtml(m);
    expect(page).toContain('data-node="default" data-host="relay-2" data-job="fibre" data-instance="127.0.0.1:9435" data-state="red"');
  });

  it('is planned over every profile, whose targets it reads from up', () => {
    const hub = { ...defaultSpec(), fleet: { role: 'hub' as const, engine: 'victoriametrics' as const } } as Parameters<typeof statusPlan>[0];
    expect(statusPlan(hub, PROFILES).targetsFromUp).toBe(true);
    expect(statusPlan(defaultSpec(), PROFILES).targetsFromUp).toBe(false);
  });
});

describe('downSince', () => {
  it('is the first point of the last run of zeros', () => {
    expect(downSince({ labels: {}, points: [[1, 0], [2, 1], [3, 0], [4, 0]] })).toEqual({ at: 3, atWindowStart: false });
    expect(downSince({ labels: {}, points: [[1, 0], [2, 0]] })).toEqual({ at: 1, atWindowStart: true });
    expect(downSince({ labels: {}, points: [[1, 0], [2, 1]] })).toBeUndefined();
    expect(downSince(undefined)).toBeUndefined();
  });
});

describe('headline rows', () => {
  it('name a row by the labels it has: the host on a fleet hub, not off it', () => {
    const v = headlineView('T', 'number', ['host', 'node', 'card'], { instant: [{ labels: { node: 'rig-a', card: 'left' }, value: 1 }, { labels: { host: 'h2', node: 'rig-a', card: 'left' }, value: 2 }], range: [] });
    expect(v.rows.map((r) => r.name)).toEqual(['h2 rig-a left', 'rig-a left']);
  });

  it('names rows by the labels asked, sorted, and leaves out values that are not numbers', () => {
    const v = headlineView('T', 'number', ['node', 'card'], {
      instant: [{ labels: { node: 'b', card: '1' }, value: NaN }, { labels: { node: 'a', card: '2' }, value: 3 }],
      range: [{ labels: { node: 'a', card: '2' }, points: [[1, 1], [2, NaN], [3, 2]] }],
    });
    expect(v.rows).toEqual([{ name: 'a 2', value: 3, spark: [1, 2] }, { name: 'b 1', spark: [] }]);
  });
});

describe('the page', () => {
  it('escapes every value from Prometheus', () => {
    const evil = '<img src=x onerror=alert(1)>"\'&';
    const m = statusModel(plan, data({
      targets: [target('fibre', evil, 'down', { lastError: evil, node: evil })],
      alerts: [alert('FibreSlow', evil, { node: evil }, evil)],
      headlines: [[], [{ instant: [{ labels: { node: evil }, value: 1 }], range: [] }]],
    }));
    const html = renderStatusHtml(m);
    expect(html).not.toContain('<img');
    expect(html).not.toMatch(/"'&[^a#]/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;');
  });

  it('carries states as data attributes, a viewport, and no script or external asset', () => {
    const html = renderStatusHtml(statusModel(plan, data({ targets: [target('fibre', 'f:9435', 'down')] })));
    expect(html).toContain('<body data-state="red">');
    expect(html).toContain('data-section="fibre" data-state="red"');
    expect(html).toContain('data-instance="f:9435" data-state="red"');
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).not.toMatch(/<script|<link|\bsrc=|url\(/i);
    expect(html).not.toContain('http-equiv="refresh"');
    expect(renderStatusHtml(statusModel(plan, data()), { refreshSeconds: 60 })).toContain('<meta http-equiv="refresh" content="60">');
  });

  it('reads numbers in their unit', () => {
    expect(formatValue(0.7179, 'ratio')).toBe('71.8 %');
    expect(formatValue(0.01225, 'seconds')).toBe('12.3 ms');
    expect(formatValue(2.5, 'seconds')).toBe('2.5 s');
    expect(formatValue(1.23e12, 'hashes_per_second')).toBe('1.23 TH/s');
    expect(formatValue(512, 'hashes_per_second')).toBe('512 H/s');
    expect(formatValue(850123, 'block_height')).toBe('850,123');
    expect(formatValue(12, 'per_hour')).toBe('12 /h');
    expect(formatValue(64.44, 'celsius')).toBe('64.4 °C');
    expect(formatValue(3, 'number')).toBe('3');
    expect(formatValue(undefined, 'number')).toBe('no data');
  });

  it('draws a sparkline across the box, highest value at the top', () => {
    expect(sparkline([5])).toBe('');
    expect(sparkline([1, 3, 2])).toContain('points="0,22 50,2 100,12"');
    expect(sparkline([4, 4])).toContain('points="0,22 100,22"');
  });
});

describe('status plan', () => {
  it('has the stack and each enabled profile with its scrape jobs, alerts and headlines', () => {
    const spec = { ...defaultSpec(), profiles: { fibre: [defaultProfile('fibre')], miner: [defaultProfile('miner')] } };
    const p = statusPlan(spec, PROFILES);
    expect(p.sections.map((s) => [s.id, s.jobs])).toEqual([['stack', ['prometheus', 'alertmanager', 'grafana', 'loki', 'alloy', 'node-exporter', 'cadvisor']], ['fibre', ['fibre']], ['miner', ['miner']]]);
    expect(p.sections[1].alerts).toContain('FibreExporterDown');
    expect(p.sections[0].alerts).toContain('LokiDown');
    expect(p.sections[2].headlines.map((h) => h.title)).toEqual(['Hashrate', 'Hashrate against its median', 'Temperature']);
  });
});

describe('profiles\' headline queries', () => {
  const headlines = PROFILES.profiles.flatMap((def) => (def.status ?? []).map((h) => ({ def, h })));
  it('exist for every profile with metrics of its own', () => {
    expect(PROFILES.profiles.filter((d) => d.status?.length).map((d) => d.id)).toEqual(['fibre', 'bitcoin-core', 'miner', 'nodeos']);
  });
  it.each(headlines.map(({ def, h }) => [def.id, h.title, def, h] as const))('%s %s parses, reads counters through rate or increase, and names only its own catalog\'s metrics', (_id, _t, def, h) => {
    const report = analysePromql(h.query);
    expect(report.errors).toEqual([]);
    expect(checkSelectors(report.selectors, true)).toEqual([]);
    const own = new Set(def.metrics.flatMap(seriesNames));
    expect(report.selectors.map((s) => s.metric).filter((m) => !own.has(m))).toEqual([]);
    // Rows are named by these labels: the query must keep them.
    for (const label of h.by) expect(h.query).toContain(label);
    // Per node and machine: two rigs' cards called left, or two machines' nodes called default, are rows apart.
    for (const m of h.query.matchAll(/\bby \(([^)]*)\)/g)) expect(m[1].split(', ')).toEqual(expect.arrayContaining(['site', 'host', 'node']));
  });
});

describe('synthetic checks on the status page', () => {
  it('a failing check colours the profile whose probe it is, and its node by the node label', () => {
    const spec = { ...defaultSpec(), synthetic_checks: true, profiles: { nodeos: [{ node_name: 'eos1', url: 'http://127.0.0.1:8888' }] } };
    const p = statusPlan(spec, PROFILES);
    expect(p.sections.find((s) => s.id === 'nodeos')!.alerts).toContain('NodeosApiProbeFailing');
    expect(p.sections.find((s) => s.id === 'stack')!.alerts).not.toContain('NodeosApiProbeFailing');
    expect(p.sections.find((s) => s.id === 'stack')!.alerts).toContain('StackUiProbeFailing');
    const m = statusModel(p, {
      ...data(),
      targets: [target('nodeos', '127.0.0.1:8888', 'up', { node: 'eos1' })],
      alerts: [alert('NodeosApiProbeFailing', 'critical', { job: 'probe', instance: 'http://127.0.0.1:8888/v1/chain/get_info', node: 'eos1' }, 'no head block')],
      headlines: [],
    });
    expect(section(m, 'nodeos').nodes[0]).toMatchObject({ name: 'eos1', state: 'red', reasons: ['NodeosApiProbeFailing: no head block'] });
  });
});

describe('fibre-stack report, when it cannot be made', () => {
  it('says there is no stack, or that Prometheus does not answer, with exit code 2', async () => {
    const dir = mkdtempSync(`${tmpdir()}/report-`);
    const closed = createServer();
    await new Promise<void>((ok) => closed.listen(0, '127.0.0.1', ok));
    const port = (closed.address() as { port: number }).port;
    await new Promise((ok) => closed.close(ok));
    try {
      const none = runCli(['report', '--dir', dir]);
      expect(none.code).toBe(2);
      expect(none.stderr).toContain(`no fibre-stack.yml in ${dir}: pass --dir to a stack folder, or --prometheus URL`);
      const down = runCli(['report', '--dir', dir, '--prometheus', `http://127.0.0.1:${port}`]);
      expect(down.code).toBe(2);
      expect(down.stderr).toMatch(new RegExp(`cannot reach Prometheus at http://127.0.0.1:${port}: .*ECONNREFUSED.*--prometheus URL`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
