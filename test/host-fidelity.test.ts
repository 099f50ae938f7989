// What a new stack needs to come up on a real host, for the programs this machine cannot run
// (Grafana, Promtail) and for choices only the host can judge (loopback targets, log groups):
// checked against the rendered files and the CLI's own output. The facts they rest on are
// upstream's, cited in cli/services/table.ts.
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { readHostFacts } from '../cli/io/host-facts.js';
import { downTargetAdvice, loopbackTargets, setupNotesByJob, stackNotices } from '../cli/render/host-advice.js';
import { targetsVerdict } from '../cli/run/checks.js';
import { CORE_SERVICES } from '../cli/services/table.js';
import { PROFILES } from '../profiles/registry.js';
import { runCli } from './support/cli.js';
import { TEST_SECRETS, fileOf, render, specFor } from './support/stack.js';
import { renderStack } from '../cli/render/index.js';
import { loadPackageSources } from '../cli/io/templates.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'fibre-stack-host-'));
  dirs.push(d);
  return d;
};

type Compose = { services: Record<string, { environment?: Record<string, string>; group_add?: string[] }> };

describe('Grafana', () => {
  it('takes its admin user from .env, like its password (a value in the compose file would win over it)', () => {
    const compose = load(fileOf(render(specFor({ profiles: ['fibre'] })), 'docker-compose.yml')) as Compose;
    expect(compose.services.grafana.environment!.GF_SECURITY_ADMIN_USER).toMatch(/^\$\{GF_SECURITY_ADMIN_USER:\?/);
  });

  it('does not ask grafana.com for plugin updates, in its container or natively', () => {
    const compose = load(fileOf(render(specFor({ profiles: ['fibre'] })), 'docker-compose.yml')) as Compose;
    expect(compose.services.grafana.environment).toMatchObject({ GF_ANALYTICS_CHECK_FOR_UPDATES: 'false', GF_ANALYTICS_CHECK_FOR_PLUGIN_UPDATES: 'false' });
    expect(fileOf(render(specFor({ profiles: ['fibre'], mode: 'native' })), 'grafana/grafana.ini')).toMatch(/^check_for_plugin_updates = false$/m);
  });
});

describe('Promtail', () => {
  const spec = specFor({ profiles: ['miner'], logAgent: 'promtail' });

  it('is ready once it runs, not only once a log file exists to tail (/ready answers 500 until then)', () => {
    const config = load(fileOf(render(spec), 'promtail/promtail.yml')) as { server: Record<string, unknown> };
    expect(config.server.health_check_target).toBe(false);
  });

  it('is pinned to its last release with an image and binaries, and the user is told it is end of life', () => {
    expect(CORE_SERVICES.promtail.image).toBe('grafana/promtail:3.6.11');
    expect(stackNotices(spec, PROFILES).join('\n')).toMatch(/promtail reached end of life on 2026-03-02 .*grafana\/promtail:3\.6\.11/);
    expect(stackNotices(specFor({ profiles: ['miner'] }), PROFILES)).toEqual([]);
  });

  it('has its dropped entries on the overview dashboard, beside Alloy\'s', () => {
    const overview = fileOf(render(spec), 'grafana/dashboards/stack-overview.json');
    expect(overview).toContain('promtail_dropped_entries_total');
    expect(overview).toContain('loki_write_dropped_entries_total');
  });
});

describe('targets on the host\'s loopback in a docker stack', () => {
  const docker = specFor({ profiles: ['nodeos', 'scrape'], nodeosUrl: 'http://127.0.0.1:8888', scrapeTargets: ['localhost:9100', '10.0.0.9:9100'] });

  it('are found, with the address Prometheus scrapes instead; natively there are none', () => {
    expect(loopbackTargets(docker, PROFILES)).toEqual([
      { profile: 'nodeos', target: '127.0.0.1:8888', scrapedAs: 'host.docker.internal:8888' },
      { profile: 'scrape', target: 'localhost:9100', scrapedAs: 'host.docker.internal:9100' },
    ]);
    expect(loopbackTargets({ ...docker, mode: 'native' }, PROFILES)).toEqual([]);
  });

  it('create says so with the fix, and still creates the stack (exit 0)', () => {
    const dir = temp();
    const r = runCli(['create', join(dir, 's'), '--yes', '--json', '--mode', 'docker', '--profiles', 'nodeos', '--nodeos-url', 'http://127.0.0.1:8888']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: profiles\.nodeos: 127\.0\.0\.1:8888 is on this host's loopback.*To fix: .*docker bridge address.*0\.0\.0\.0.*natively/);
    expect(JSON.parse(r.stdout).warnings).toHaveLength(1);
    const native = runCli(['create', join(dir, 'n'), '--yes', '--mode', 'native', '--profiles', 'nodeos', '--nodeos-url', 'http://127.0.0.1:8888']);
    expect(native.code).toBe(0);
    expect(native.stderr).not.toContain('warning:');
  });

  it('validate explains a down target it recognises, with the fix', () => {
    const body = {
      data: {
        activeTargets: [
          { labels: { job: 'nodeos' }, scrapeUrl: 'http://host.docker.internal:8888/v1/prometheus/metrics', health: 'down', lastError: 'Get "http://host.docker.internal:8888/v1/prometheus/metrics": dial tcp 172.17.0.1:8888: connect: connection refused' },
          { labels: { job: 'scrape' }, scrapeUrl: 'http://10.0.0.9:9100/metrics', health: 'down', lastError: 'server returned HTTP status 400 Bad Request' },
        ],
      },
    };
    const v = targetsVerdict(body);
    expect(v.ok).toBe(false);
    expect(v.detail).toMatch(/nodeos .* down: .*connection refused \(the target was given on this host's loopback, .*to fix: .*docker bridge address/);
    expect(v.detail).toMatch(/HTTP status 400 Bad Request \(the program refused the request, perhaps the Host header 10\.0\.0\.9:9100: nodeos needs http-alias/);
    expect(downTargetAdvice('http://10.0.0.9:9100/metrics', 'context deadline exceeded')).toBeUndefined();
  });
});

describe('what nodeos needs set, in docker mode (issue 11)', () => {
  const docker = specFor({ profiles: ['nodeos', 'scrape'], nodeosUrl: 'http://127.0.0.1:8888', scrapeTargets: ['10.0.0.9:9100'] });
  const aliasNote = /nodeos: Prometheus runs in a container and reaches nodeos at host\.docker\.internal:8888.*http-server-address = 0\.0\.0\.0:8888.*http-alias = host\.docker\.internal:8888/;

  it('the stack README says it: listening address and http-alias; natively at an IP nothing is needed', () => {
    expect(fileOf(render(docker), 'README.md')).toMatch(new RegExp(`## Before you start it\n.*\n- ${aliasNote.source}`));
    expect(fileOf(render({ ...docker, mode: 'native' }), 'README.md')).not.toContain('Before you start it');
    expect(fileOf(render(specFor({ profiles: ['scrape'], scrapeTargets: ['localhost:9100'] })), 'README.md')).not.toContain('Before you start it');
  });

  it('natively by a name, the README says that name needs an http-alias', () => {
    const byName = fileOf(render(specFor({ profiles: ['nodeos'], mode: 'native', nodeosUrl: 'http://bp.example:8888' })), 'README.md');
    expect(byName).toMatch(/- nodeos: Prometheus asks for bp\.example:8888 by name.*add http-alias = bp\.example:8888/);
  });

  it('validate says it beside a nodeos target refused (connection refused or HTTP 400), and only beside nodeos', () => {
    const url = 'http://host.docker.internal:8888/v1/prometheus/metrics';
    const body = {
      data: {
        activeTargets: [
          // Prometheus's own words for both failures (scrape.go: "server returned HTTP status %s").
          { labels: { job: 'nodeos' }, scrapeUrl: url, health: 'down', lastError: `Get "${url}": dial tcp 172.17.0.1:8888: connect: connection refused` },
          { labels: { job: 'scrape' }, scrapeUrl: 'http://10.0.0.9:9100/metrics', health: 'down', lastError: 'server returned HTTP status 400 Bad Request' },
        ],
      },
    };
    const v = targetsVerdict(body, new Set(), setupNotesByJob(docker, PROFILES));
    expect(v.detail).toMatch(new RegExp(`nodeos .* connection refused \\(the target was given on this host's loopback, which containers cannot reach; to fix: ${aliasNote.source}`));
    expect(v.detail).not.toMatch(/scrape .*host\.docker\.internal:8888/);
    const refused400 = { data: { activeTargets: [{ ...body.data.activeTargets[0], lastError: 'server returned HTTP status 400 Bad Request' }] } };
    expect(targetsVerdict(refused400, new Set(), setupNotesByJob(docker, PROFILES)).detail).toMatch(new RegExp(`HTTP 400\\), its Host header check refusing host\\.docker\\.internal:8888; to fix: ${aliasNote.source}`));
    expect(setupNotesByJob({ ...docker, mode: 'native' }, PROFILES).size).toBe(0);
  });
});

describe('a miner log the exporter\'s user cannot read', () => {
  it('puts the container user in the log\'s group (and its folder\'s), read from the host; readable logs need none', () => {
    const dir = temp();
    chmodSync(dir, 0o755);
    const closed = join(dir, 'closed.log');
    writeFileSync(closed, '', { mode: 0o640 });
    chmodSync(closed, 0o640);
    const open = join(dir, 'open.log');
    writeFileSync(open, '', { mode: 0o644 });
    chmodSync(open, 0o644);
    const spec = specFor({ profiles: ['miner'], minerLogs: [closed, open, join(dir, 'not-yet.log')] });
    const facts = readHostFacts(spec);
    expect(facts.readGroups).toEqual({ [closed]: [statSync(closed).gid] });
    const compose = load(fileOf(renderStack(spec, TEST_SECRETS, loadPackageSources(), facts), 'docker-compose.yml')) as Compose;
    expect(compose.services['miner-exporter'].group_add).toEqual([String(statSync(closed).gid)]);
    expect(readHostFacts({ ...spec, mode: 'native' })).toEqual({});
  });
});
