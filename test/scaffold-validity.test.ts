// Every combination the scaffolder offers gives configs the real tools accept: promtool for
// Prometheus (Debian 12's 2.42 and trixie's 2.53), docker-compose for the compose file (the
// host's v1 and trixie's v2, from its image), and parsers for every YAML and JSON file.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { load } from 'js-yaml';
import { PROFILE_IDS, type LogAgent, type Mode, type ProfileId } from '../cli/spec/types.js';
import { prerequisites, hasCommand } from './support/prereq.js';
import { render, specFor, writeTempStack } from './support/stack.js';
import { prometheusBuilds } from './support/prometheus-builds.js';
import { TRIXIE_COMPOSE_IMAGE } from './support/images.js';

const profileSets: ProfileId[][] = [...PROFILE_IDS.map((p) => [p]), [...PROFILE_IDS]];
const modes: Mode[] = ['docker', 'native'];
const agents: LogAgent[] = ['alloy', 'promtail'];
const combos = [
  ...profileSets.flatMap((profiles) => modes.flatMap((mode) => agents.map((logAgent) => ({ profiles, mode, logAgent, syntheticChecks: false })))),
  // With the blackbox exporter and its probe job.
  ...modes.map((mode) => ({ profiles: [...PROFILE_IDS], mode, logAgent: 'alloy' as LogAgent, syntheticChecks: true })),
];

const extra = { scrapeTargets: ['10.0.0.5:9100', 'localhost:9101'], minerLogs: ['/var/log/miner/a.log', '/var/log/miner/b.log'], cards: ['left', 'right'] };

const canRun = prerequisites('scaffold validity', { commands: ['docker-compose'] });
const composeCli = hasCommand('docker-compose') ? ['docker-compose'] : ['docker', 'compose'];
const promtools = prometheusBuilds('scaffold validity', ['promtool']);
// prometheusBuilds has built the trixie images (the compose one among them) where it could.
const composeV2 = prerequisites('scaffold validity with docker-compose v2', {
  docker: true,
  check: () => (spawnSync('docker', ['image', 'inspect', TRIXIE_COMPOSE_IMAGE], { stdio: 'ignore' }).status === 0 ? undefined : `the image ${TRIXIE_COMPOSE_IMAGE} (scripts/images/build.sh)`),
});

/** The port a compose service listens on in its container: the one it publishes, or its --port. */
function containerPort(svc: Record<string, unknown>): string {
  const ports = svc.ports as string[] | undefined;
  if (ports) return ports[0].slice(ports[0].lastIndexOf(':') + 1);
  // Exporters get every value glued to its flag: `--port=9435`.
  const command = svc.command as string[];
  return command.find((a) => a.startsWith('--port='))!.slice('--port='.length);
}

describe.each(combos)('profiles $profiles, $mode, $logAgent, synthetic checks $syntheticChecks', ({ profiles, mode, logAgent, syntheticChecks }) => {
  const spec = specFor({ profiles, mode, logAgent, syntheticChecks, ...extra });
  const files = render(spec);

  it('every YAML and JSON file parses', () => {
    for (const f of files) {
      if (/\.ya?ml$/.test(f.path)) expect(() => load(f.content), f.path).not.toThrow();
      if (f.path.endsWith('.json')) expect(() => JSON.parse(f.content), f.path).not.toThrow();
    }
    expect(files.some((f) => f.path === 'prometheus/prometheus.yml')).toBe(true);
  });

  it.each(promtools)('promtool check config of $name accepts prometheus.yml', (build) => {
    const dir = writeTempStack(spec);
    const r = build.run('promtool', ['check', 'config', join(dir, 'prometheus/prometheus.yml')], { reads: [dir] });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('SUCCESS');
  });

  if (mode === 'docker') it.runIf(composeV2)('docker-compose v2 (Debian trixie) config accepts docker-compose.yml', () => {
    const dir = writeTempStack(spec);
    const r = spawnSync('docker', ['run', '--rm', '--network', 'none', '-v', `${dir}:${dir}:ro`, '-w', dir, TRIXIE_COMPOSE_IMAGE, '-f', 'docker-compose.yml', 'config', '-q'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  });

  if (mode === 'docker') it.runIf(canRun)('docker-compose config accepts docker-compose.yml', () => {
    const dir = writeTempStack(spec);
    const [cmd, ...pre] = composeCli;
    execFileSync(cmd, [...pre, '-f', join(dir, 'docker-compose.yml'), 'config', '-q'], { cwd: dir, stdio: 'pipe' });
    const compose = load(readFileSync(join(dir, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Record<string, unknown>> };
    for (const [name, svc] of Object.entries(compose.services)) {
      const { test, ...timing } = svc.healthcheck as { test: string[] };
      expect(timing, `${name} healthcheck timing`).toEqual({ interval: '10s', timeout: '5s', retries: 6, start_period: expect.stringMatching(/^\d+s$/) });
      // Each service is probed where it listens inside its container; Loki's binary checks itself.
      if (name === 'loki') expect(test).toEqual(['CMD', '/usr/bin/loki', '-health']);
      // On the host's network (node_exporter) there is no port of its own: it is probed where it listens on the host.
      else if (svc.network_mode === 'host') expect(test.join(' '), `${name} healthcheck`).toContain(`http://${(svc.command as string[]).find((a) => a.startsWith('--web.listen-address='))!.slice('--web.listen-address='.length)}/`);
      else expect(test.join(' '), `${name} healthcheck`).toMatch(new RegExp(`^CMD(-SHELL)? .*127\\.0\\.0\\.1[:/]${containerPort(svc)}\\b`));
      expect(String(svc.image), `${name} image pinned`).toMatch(/:[^:/]+$/);
      expect(String(svc.image)).not.toMatch(/:latest$/);
      expect(svc.privileged, `${name} privileged`).toBeUndefined();
      for (const p of (svc.ports as string[] | undefined) ?? []) expect(p.startsWith('127.0.0.1:'), `${name} port ${p}`).toBe(true);
    }
  });

  if (mode === 'native') it('native mode has no compose file and only loopback addresses', () => {
    expect(files.some((f) => f.path === 'docker-compose.yml')).toBe(false);
    const prom = load(files.find((f) => f.path === 'prometheus/prometheus.yml')!.content) as { alerting?: { alertmanagers: { static_configs: { targets: string[] }[] }[] } };
    expect(prom.alerting!.alertmanagers[0].static_configs[0].targets).toEqual(['127.0.0.1:9093']);
    for (const f of files.filter((x) => x.path.startsWith('prometheus/targets/'))) {
      for (const group of JSON.parse(f.content) as { targets: string[] }[]) {
        // A probe's target may be a URL: its host is what must be loopback.
        for (const t of group.targets) if (!t.startsWith('10.0.0.5')) expect(t.replace(/^https?:\/\//, ''), f.path).toMatch(/^(127\.0\.0\.1|localhost):/);
      }
    }
  });
});
