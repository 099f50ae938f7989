// The nodeos profile against what nodeos serves: every metric name, type and label set of the
// catalog equals spring's prometheus_plugin (test/fixtures/nodeos/spring-v1.2.2.txt, made from
// AntelopeIO/spring@v1.2.2:plugins/prometheus_plugin/metrics.hpp) and leap 4.0's names
// (leap-v4.0.6.txt), and the dashboard and rules read only those names; and the scrape a default
// nodeos accepts. Runs the built CLI for create --help: `npx tsc -p .` first.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { leap4Metrics, nodeosMetrics } from '../profiles/nodeos/metrics.js';
import { runCli } from './support/cli.js';
import { fileOf, render, specFor } from './support/stack.js';

const fixture = (name: string) =>
  readFileSync(join(__dirname, 'fixtures', 'nodeos', name), 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [metric, type, labels] = l.split(' ');
      return `${metric} ${type} ${labels}`;
    })
    .sort();
const ours = (defs: typeof nodeosMetrics) => defs.map((d) => `${d.name} ${d.type} ${d.labels.length ? d.labels.join(',') : '-'}`).sort();

describe('nodeos catalog (AntelopeIO/spring@v1.2.2, leap@v4.0.6)', () => {
  it('has every metric spring serves, with its type and labels, and nothing else', () => {
    expect(ours(nodeosMetrics)).toEqual(fixture('spring-v1.2.2.txt'));
  });

  it('has leap 4.0 names only to tell such a target apart', () => {
    const leap = fixture('leap-v4.0.6.txt').filter((l) => !l.startsWith('exposer_'));
    expect(ours(leap4Metrics)).toEqual(leap);
  });

  it('the dashboard and the rules read only names nodeos serves', () => {
    const served = new Set([...nodeosMetrics, ...leap4Metrics].map((d) => d.name));
    const dashboard = readFileSync(join(__dirname, '..', 'dashboards', 'nodeos.json'), 'utf8');
    const rules = readFileSync(join(__dirname, '..', 'rules', 'nodeos.yml'), 'utf8');
    for (const text of [dashboard, rules]) {
      const names = new Set([...text.matchAll(/\b((?:nodeos|exposer)_[a-z0-9_]+|head_block_num)\b/g)].map((m) => m[1]));
      for (const name of names) expect(served, name).toContain(name.replace(/^nodeos_[a-z0-9_]*_info$/, 'nodeos_info'));
    }
    expect(dashboard).not.toContain('nodeos_block_votes');
  });
});

describe('scraping a default nodeos (http-validate-host on)', () => {
  const targetOf = (mode: 'docker' | 'native', nodeosUrl: string) =>
    JSON.parse(fileOf(render(specFor({ profiles: ['nodeos'], mode, nodeosUrl })), 'prometheus/targets/nodeos.json'))[0].targets;

  it('natively, scrapes localhost as 127.0.0.1, a Host a default nodeos accepts (it refuses "localhost")', () => {
    expect(targetOf('native', 'http://localhost:8888')).toEqual(['127.0.0.1:8888']);
    expect(targetOf('native', 'http://127.0.0.1:8888')).toEqual(['127.0.0.1:8888']);
  });

  it('in docker, scrapes host.docker.internal, and create --help says which http-alias and address nodeos needs', () => {
    expect(targetOf('docker', 'http://localhost:8888')).toEqual(['host.docker.internal:8888']);
    const help = runCli(['create', '--help']).stdout.replace(/\s+/g, ' ');
    expect(help).toContain('http-alias = host.docker.internal:8888');
    expect(help).toContain('http-server-address = 0.0.0.0:8888');
  });
});
