// The linter over the corpus of real dashboards and rule files (../shared/corpus, facts in its
// EXPECTED.md): it must not crash, must report what is known to be wrong, and must not report
// errors on files known to be fine.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { lintPaths, type LintReport } from '../cli/lint/index.js';
import type { Finding } from '../cli/lint/findings.js';
import { prerequisites } from './support/prereq.js';

const CORPUS = process.env.FIBRE_STACK_CORPUS ?? join(import.meta.dirname, '..', '..', 'shared', 'corpus');
const haveCorpus = prerequisites('lint corpus', { check: () => (existsSync(CORPUS) ? undefined : `corpus at ${CORPUS} (set FIBRE_STACK_CORPUS)`) });

describe.runIf(haveCorpus)('lint over the corpus', () => {
  let report: LintReport;
  const of = (name: string): Finding[] => report.findings.filter((f) => f.file.endsWith(`/${name}`));
  const errorsOf = (name: string) => of(name).filter((f) => f.severity === 'error');
  const rulesOf = (name: string) => new Set(of(name).map((f) => f.rule));

  beforeAll(async () => {
    report = await lintPaths([join(CORPUS, 'dashboards'), join(CORPUS, 'rules')]);
  });

  it('reads every file of the corpus', () => {
    expect(report.files.dashboards).toBe(readdirSync(join(CORPUS, 'dashboards')).length);
    expect(report.files.rules).toBe(readdirSync(join(CORPUS, 'rules')).length);
  });

  it('reports the invalid haproxy dashboard as invalid JSON, with its line', () => {
    const [f] = errorsOf('rfmoz__grafana-dashboards__haproxy-2.0-full_1b5cc1b.json');
    expect(f.rule).toBe('invalid-json');
    expect(f.message).toMatch(/line 109 column 79/);
  });

  it('reports the Prometheus 1.x rule file and the Grafana-managed alert file as what they are', () => {
    expect(errorsOf('stefanprodan__dockprom__host_300dd4b.rules').map((f) => f.rule)).toEqual(['rule-file-format']);
    expect(errorsOf('stefanprodan__dockprom__host_300dd4b.rules')[0].message).toMatch(/1\.x/);
    const cpu = errorsOf('ethstaker__eth-docker__cpu.yml');
    expect(cpu.map((f) => f.rule)).toEqual(['not-a-rule-file']);
    expect(cpu[0].message).toMatch(/Grafana-managed alerting/);
  });

  it('finds the duplicate recording rule in kubernetes-rules, as a warning like promtool', () => {
    const dup = of('monitoring-mixins__website__kubernetes-rules.yaml').filter((f) => f.rule === 'rule-duplicate');
    expect(dup).toHaveLength(1);
    expect(dup[0].where).toContain('code_verb:apiserver_request_total:increase1h');
    expect(errorsOf('monitoring-mixins__website__kubernetes-rules.yaml')).toEqual([]);
  });

  it.runIf(prerequisites('lint corpus with promtool', { commands: ['promtool'] }))('adds promtool findings: its duplicate-rule lint on kubernetes-rules', () => {
    expect(report.promtool).toBe('ran');
    const lint = of('monitoring-mixins__website__kubernetes-rules.yaml').filter((f) => f.rule === 'promtool-lint');
    expect(lint[0]?.message).toMatch(/duplicate rule/);
  });

  it('raises no error on the rule files promtool accepts', () => {
    for (const name of [
      'NethermindEth__sedge__aztec-exporter.yml', 'NethermindEth__sedge__lido-exporter.yml',
      'monitoring-mixins__website__node-exporter-alerts.yaml', 'monitoring-mixins__website__node-exporter-rules.yaml',
      'ruanbekker__docker-bitcoind__alerting-rules.yml', 'ruanbekker__docker-bitcoind__recording-rules.yml',
      'samber__awesome-prometheus-alerts__docker-containers-google-cadvisor.yml', 'samber__awesome-prometheus-alerts__graph-node-embedded-exporter.yml',
      'samber__awesome-prometheus-alerts__host-and-hardware-node-exporter.yml', 'samber__awesome-prometheus-alerts__prometheus-self-monitoring-embedded-exporter.yml',
      'stefanprodan__dockprom__alert.rules',
    ]) {
      expect(errorsOf(name), name).toEqual([]);
    }
    // The monitoring-mixins node-exporter files follow every convention we check, bar catalog membership.
    expect(rulesOf('monitoring-mixins__website__node-exporter-alerts.yaml')).toEqual(new Set(['metric-unknown']));
  });

  it('flags non-CamelCase alert names in third-party files as warnings', () => {
    const names = of('stefanprodan__dockprom__alert.rules').filter((f) => f.rule === 'alert-name');
    expect(names.length).toBe(7);
    expect(names.every((f) => f.severity === 'warning')).toBe(true);
  });

  it('parses every PromQL and LogQL query of the valid dashboards, variables substituted', () => {
    const parse = report.findings.filter((f) => f.rule === 'promql-parse' || f.rule === 'logql-parse');
    expect(parse).toEqual([]);
  });

  it('resolves datasource variables, including one named like an export placeholder and "-- Mixed --"', () => {
    for (const name of ['NethermindEth__sedge__lido-exporter.json', 'NethermindEth__sedge__aztec-validator.json', 'monitoring-mixins__website__k8s-resources-cluster.json', 'monitoring-mixins__website__loki-logs.json', 'lightninglabs__lndmon__chain.json', 'rfmoz__grafana-dashboards__node-exporter-full.json']) {
      expect(of(name).filter((f) => f.rule.startsWith('datasource-')), name).toEqual([]);
    }
  });

  it('reports datasources a fibre-stack Grafana cannot resolve', () => {
    const byName = of('stefanprodan__dockprom__docker_host.json').filter((f) => f.rule === 'datasource-by-name');
    expect(byName).toHaveLength(1);
    expect(byName[0].message).toMatch(/"Prometheus"/);
    expect(errorsOf('ethstaker__eth-docker__nethermind_dashboard_38e19a2.json').some((f) => f.rule === 'datasource-unresolved' && f.message.includes('PBFA97CFB590B2093'))).toBe(true);
    expect(errorsOf('pigfrown__whitefire-fpga-metrics__FPGA_0xBitcoin-1548436771220.json').some((f) => f.message.includes('${DS_HOMELAB}') && /export placeholder/.test(f.message))).toBe(true);
    expect(errorsOf('rfmoz__grafana-dashboards__node-exporter-full-old.json').some((f) => f.message.includes('${DS_LOCALHOST}'))).toBe(true);
  });

  it('takes a panel without datasource for the default datasource (RB4 miner dashboard)', () => {
    expect(errorsOf('pigfrown__whitefire-fpga-metrics__FPGA-1553625659367.json').filter((f) => f.rule.startsWith('datasource'))).toEqual([]);
  });

  it('names the replacements of the original miner exporter metrics', () => {
    const dep = of('pigfrown__whitefire-fpga-metrics__FPGA-1553625659367.json').filter((f) => f.rule === 'metric-deprecated');
    expect(dep.some((f) => f.message.includes('hashrate') && f.message.includes('fpga_miner_hashrate_hashes_per_second'))).toBe(true);
  });

  it('sees raw counters in the original FIBRE dashboard (chunk efficiency from cumulative totals)', () => {
    const raw = of('w0xlt__fibre-monitoring__fibre-dashboard.json').filter((f) => f.rule === 'counter-without-rate');
    expect(raw.map((f) => f.where)).toEqual([expect.stringContaining('Chunk Efficiency'), expect.stringContaining('Chunk Efficiency')]);
  });

  it('reports legacy panel types and legacy rows[] panels of old dashboards', () => {
    const legacy = of('stefanprodan__dockprom__docker_containers.json').filter((f) => f.rule === 'panel-type-legacy');
    expect(legacy).toHaveLength(1);
    expect(legacy[0].message).toMatch(/^14 panel\(s\).*graph \(8\) → timeseries, singlestat \(6\) → stat/);
  });

  it('reports the same dashboard uid in two files', () => {
    expect(errorsOf('w0xlt__fibre-monitoring__fibre-dashboard_a388ad9.json').map((f) => f.rule)).toContain('dashboard-uid-duplicate');
  });
});
