// The notification template's text, exactly, rendered by Alertmanager's own template engine:
// `amtool template render` with alert data of our own (--template.data, a JSON template.Data:
// prometheus/alertmanager@v0.25.0:cli/template_render.go), Debian 12's amtool on the host. The same
// template through a running Alertmanager 0.28 to each receiver: test/alerting-delivery.test.ts.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSpecDocument } from '../cli/spec/validate.js';
import { defaultSpec } from '../cli/spec/defaults.js';
import { TEMPLATE_FILE } from '../cli/render/alertmanager.js';
import { prerequisites } from './support/prereq.js';
import { fileOf, render, tempDir } from './support/stack.js';

const canRun = prerequisites('notification template text', { commands: ['amtool'] });

const RUNBOOK = 'https://github.com/fibre-stack/fibre-stack/blob/main/docs/runbooks.md#minertemperaturehigh';
const alert = (status: string, labels: Record<string, string>, annotations: Record<string, string>, endsAt = '0001-01-01T00:00:00Z') => ({
  status, labels, annotations, startsAt: '2026-11-29T07:05:09Z', endsAt, generatorURL: '', fingerprint: '1',
});
const rig = { alertname: 'MinerTemperatureHigh', severity: 'warning', job: 'miner', node: 'rig-7', card: 'left' };
const summary = { summary: 'Card left of rig-7 is at 86 °C', runbook_url: RUNBOOK };

describe.runIf(canRun)('the notification template, rendered by amtool', () => {
  const dir = tempDir('fibre-stack-tmpl-');
  const spec = readSpecDocument({ ...defaultSpec(), alerting: { grafana_url: 'https://grafana.example/' }, profiles: { miner: {}, fibre: {} } }).spec;
  mkdirSync(join(dir, 'templates'));
  writeFileSync(join(dir, 'templates', 'fibre-stack.tmpl'), fileOf(render(spec), TEMPLATE_FILE));

  const renderWith = (data: object, text: string) => {
    const file = join(dir, `data-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify(data));
    const r = spawnSync('amtool', ['template', 'render', `--template.glob=${join(dir, 'templates', '*.tmpl')}`, `--template.text=${text}`, `--template.data=${file}`], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    return r.stdout;
  };
  const group = (status: string, alerts: object[]) => ({
    receiver: 'telegram', status, alerts, groupLabels: { alertname: 'MinerTemperatureHigh' },
    commonLabels: { alertname: 'MinerTemperatureHigh', severity: 'warning', job: 'miner', node: 'rig-7' }, commonAnnotations: {}, externalURL: 'http://am:9093',
  });

  it('a firing alert: what, where, the summary, since when, the runbook and the Grafana dashboard of its job and node', () => {
    const data = group('firing', [alert('firing', rig, summary)]);
    expect(renderWith(data, '{{ template "fibre_stack.title" . }}')).toBe('FIRING: MinerTemperatureHigh on rig-7');
    expect(renderWith(data, '{{ template "fibre_stack.text" . }}')).toBe([
      'WARNING MinerTemperatureHigh on rig-7',
      'Card left of rig-7 is at 86 °C',
      'Since: 2026-11-29 07:05 UTC',
      `Runbook: ${RUNBOOK}`,
      'Grafana: https://grafana.example/d/fibre-stack-miner?var-node=rig-7',
      '',
    ].join('\n'));
  });

  it('a resolved group of two: each alert with when it ended, the overview for a job without a dashboard, no runbook line without one', () => {
    const other = { alertname: 'MinerTemperatureHigh', severity: 'warning', job: 'scrape', node: 'rig-8' };
    const data = group('resolved', [alert('resolved', rig, summary, '2026-11-29T08:00:00Z'), alert('resolved', other, { summary: 'Rig 8 hot' }, '2026-11-29T08:01:00Z')]);
    expect(renderWith(data, '{{ template "fibre_stack.title" . }}')).toBe('RESOLVED: MinerTemperatureHigh on rig-7 (2 alerts)');
    expect(renderWith(data, '{{ template "fibre_stack.text" . }}')).toBe([
      'RESOLVED MinerTemperatureHigh on rig-7',
      'Card left of rig-7 is at 86 °C',
      'Since: 2026-11-29 07:05 UTC',
      'Resolved: 2026-11-29 08:00 UTC',
      `Runbook: ${RUNBOOK}`,
      'Grafana: https://grafana.example/d/fibre-stack-miner?var-node=rig-7',
      '',
      'RESOLVED MinerTemperatureHigh on rig-8',
      'Rig 8 hot',
      'Since: 2026-11-29 07:05 UTC',
      'Resolved: 2026-11-29 08:01 UTC',
      'Grafana: https://grafana.example/d/fibre-stack-overview?var-node=rig-8',
      '',
    ].join('\n'));
  });

  it('an alert without severity, node or annotations still says what fired', () => {
    const data = group('firing', [alert('firing', { alertname: 'Watchdog' }, {})]);
    expect(renderWith(data, '{{ template "fibre_stack.text" . }}')).toBe('FIRING Watchdog\nSince: 2026-11-29 07:05 UTC\nGrafana: https://grafana.example/d/fibre-stack-overview\n');
  });

  it('on a fleet hub, says at which machine, and links the dashboard to it', () => {
    const onHost = { ...rig, host: 'relay-1', site: 'eu' };
    const data = { ...group('firing', [alert('firing', onHost, summary)]), commonLabels: { alertname: 'MinerTemperatureHigh', job: 'miner', node: 'rig-7', host: 'relay-1' } };
    expect(renderWith(data, '{{ template "fibre_stack.title" . }}')).toBe('FIRING: MinerTemperatureHigh on rig-7 at relay-1');
    expect(renderWith(data, '{{ template "fibre_stack.text" . }}')).toContain('WARNING MinerTemperatureHigh on rig-7 at relay-1\n');
    expect(renderWith(data, '{{ template "fibre_stack.text" . }}')).toContain('Grafana: https://grafana.example/d/fibre-stack-miner?var-host=relay-1&var-node=rig-7\n');
    // A machine gone silent has no node: it is named by its host.
    const silent = { alertname: 'FleetNodeSilent', severity: 'critical', host: 'relay-2', site: 'us' };
    const quiet = { ...group('firing', [alert('firing', silent, {})]), commonLabels: silent };
    expect(renderWith(quiet, '{{ template "fibre_stack.title" . }}')).toBe('FIRING: FleetNodeSilent on relay-2');
    expect(renderWith(quiet, '{{ template "fibre_stack.text" . }}')).toBe('CRITICAL FleetNodeSilent on relay-2\nSince: 2026-11-29 07:05 UTC\nGrafana: https://grafana.example/d/fibre-stack-overview?var-host=relay-2\n');
  });
});
