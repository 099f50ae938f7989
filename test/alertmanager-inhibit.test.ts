// The generated alertmanager.yml in a real Alertmanager, Debian 12's (0.25) and trixie's (0.28):
// amtool check-config accepts it, and a critical alert silences the warnings of the same target,
// and only those. Alerts are posted with the labels our rules give them (rules/*.yml).
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerFlags } from '../cli/render/alertmanager.js';
import { defaultSpec } from '../cli/spec/defaults.js';
import { prometheusBuilds } from './support/prometheus-builds.js';
import { eventually } from './support/scrape.js';
import { fileOf, render, tempDir } from './support/stack.js';

const builds = prometheusBuilds('alertmanager inhibit rules', ['prometheus-alertmanager', 'amtool']);
const PORT = 29693;

interface Alert { labels: Record<string, string>; status: { inhibitedBy: string[] } }

const alert = (alertname: string, severity: string, labels: Record<string, string>) => ({ labels: { alertname, severity, ...labels }, annotations: {} });

describe.each(builds)('alertmanager.yml in $name', (build) => {
  // One port per build: the builds' suites may run one after the other while a server stops.
  const base = `http://127.0.0.1:${PORT + builds.indexOf(build)}`;
  let dir: string;
  let am: { stop(): void } | undefined;

  beforeAll(async () => {
    dir = tempDir('fibre-stack-am-');
    writeFileSync(join(dir, 'alertmanager.yml'), fileOf(render(defaultSpec()), 'alertmanager/alertmanager.yml'));
    am = build.start('prometheus-alertmanager', alertmanagerFlags({ config: join(dir, 'alertmanager.yml'), data: join(dir, 'data'), listen: base.slice('http://'.length) }), { writes: [dir] });
    await eventually(async () => expect((await fetch(`${base}/-/ready`)).status).toBe(200), 20_000, 100);
  });
  afterAll(() => {
    am?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['no receiver', defaultSpec()],
    ['a webhook receiver', { ...defaultSpec(), alerting: { receivers: [{ name: 'hook', type: 'webhook' as const, severities: ['critical' as const], url: 'https://hooks.example.com/x?a=1&b=$2' }], grafana_url: '' } }],
  ])('amtool check-config accepts it, with %s', (what, spec) => {
    const file = join(dir, `check-${what.replace(/\W+/g, '-')}.yml`);
    writeFileSync(file, fileOf(render(spec), 'alertmanager/alertmanager.yml'));
    const r = build.run('amtool', ['check-config', file], { reads: [dir] });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('SUCCESS');
  });

  it('a critical alert silences the warnings of its own target and card, and no others', async () => {
    const miner = { job: 'miner', instance: 'miner-exporter:9439' };
    const fibre = { job: 'fibre', instance: 'fibre-exporter:9435' };
    const posted = await fetch(`${base}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        alert('MinerTemperatureCritical', 'critical', { ...miner, card: 'left' }),
        alert('MinerTemperatureHigh', 'warning', { ...miner, card: 'left' }),
        alert('MinerTemperatureHigh', 'warning', { ...miner, card: 'right' }),
        alert('FibreNoBlockConnected', 'critical', fibre),
        alert('FibreSlowBlockConnection', 'warning', fibre),
        alert('FibreSlowBlockConnection', 'warning', { ...fibre, instance: 'other-relay:9435' }),
      ]),
    });
    expect(posted.status).toBe(200);
    const key = (a: Alert) => `${a.labels.alertname} ${a.labels.instance} ${a.labels.card ?? ''}`.trim();
    const inhibited = await eventually(async () => {
      const alerts = (await (await fetch(`${base}/api/v2/alerts`)).json()) as Alert[];
      expect(alerts).toHaveLength(6);
      const muted = alerts.filter((a) => a.status.inhibitedBy.length > 0).map(key).sort();
      expect(muted).toHaveLength(2);
      return muted;
    }, 20_000, 200);
    expect(inhibited).toEqual(['FibreSlowBlockConnection fibre-exporter:9435', 'MinerTemperatureHigh miner-exporter:9439 left']);
  });
});
