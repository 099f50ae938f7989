// `validate` and `up` explain a service that could not start because its config is unreadable
// (a folder made under a strict umask, or chmod-ed since), from the service's own log: the
// messages are taken from the real programs run as nobody, as their images run them, and a
// docker stack whose prometheus/ folder is 0700 is validated end to end.
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adviceFromLog } from '../cli/run/failure-advice.js';
import { prerequisites } from './support/prereq.js';
import { TRIXIE_ALERTMANAGER_IMAGE, PROMETHEUS_IMAGE, ensureTestImages } from './support/images.js';
import { CLI, cli, testSpec, writeTestStack } from './support/run-stack.js';

const advice = (path: string, verb = 'read') =>
  `it cannot ${verb} ${path}: the user it runs as lacks access. \`fibre-stack generate\` gives the stack's folders mode 0755 and its files 0644 again; ` +
  `if that is not enough, check the owner and mode of ${path} and of each folder above it`;

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A folder nobody may enter but not list, holding a root-owned 0600 config. */
function unreadableConfig(name: string, text: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'fibre-denied-'));
  dirs.push(dir);
  chmodSync(dir, 0o711);
  const file = join(dir, name);
  writeFileSync(file, text, { mode: 0o600 });
  return { dir, file };
}

/** Runs a program as nobody, as the Prometheus and Alertmanager images do, and returns what it logged. */
function asNobody(argv: string[]): string {
  const r = spawnSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', ...argv], { encoding: 'utf8', timeout: 20_000 });
  return `${r.stdout}${r.stderr}`;
}

describe.runIf(prerequisites('failure advice from real logs', { commands: ['setpriv', 'prometheus', 'prometheus-alertmanager'], root: true }))('what a service logs when it cannot read its config', () => {
  it("Prometheus's message names the file, and the advice says how to fix it", () => {
    const { dir, file } = unreadableConfig('prometheus.yml', 'global: {}\n');
    const log = asNobody(['prometheus', `--config.file=${file}`, `--storage.tsdb.path=${join(dir, 'data')}`, '--web.listen-address=127.0.0.1:0']);
    expect(log).toContain('permission denied');
    expect(adviceFromLog(log)).toBe(advice(file));
  });

  it("Alertmanager's messages: its data folder, then its config", () => {
    const { dir, file } = unreadableConfig('alertmanager.yml', 'route: { receiver: x }\nreceivers: [{ name: x }]\n');
    const data = join(dir, 'data');
    const args = ['prometheus-alertmanager', `--config.file=${file}`, `--storage.path=${data}`, '--web.listen-address=127.0.0.1:0', '--cluster.listen-address='];
    expect(adviceFromLog(asNobody(args))).toBe(advice(data, 'create'));
    mkdirSync(data);
    chownSync(data, Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' })), 0);
    expect(adviceFromLog(asNobody(args))).toBe(advice(file));
  });

  it('says nothing of a log without such a failure', () => {
    expect(adviceFromLog('level=info msg="Server is ready to receive web requests."\n')).toBeUndefined();
  });
});

const dockerReady = prerequisites('failure advice in docker', { commands: ['docker-compose'], root: true, docker: true, check: () => (existsSync(CLI) ? undefined : 'a built CLI (npm run build)') });

describe.skipIf(!dockerReady)('a docker stack whose config folder its Prometheus cannot read', () => {
  it('validate says which file and how to fix it', async () => {
    ensureTestImages();
    const spec = testSpec('docker', 29870, (s) => {
      s.disabled_services = ['grafana', 'loki', 'node-exporter', 'cadvisor'];
      s.images = { ...s.images, prometheus: PROMETHEUS_IMAGE, alertmanager: TRIXIE_ALERTMANAGER_IMAGE };
      delete s.profiles.fibre;
      s.profiles.scrape = [{ targets: [] }];
    });
    const dir = writeTestStack(spec);
    dirs.push(dir);
    chmodSync(join(dir, 'prometheus'), 0o700);
    try {
      const up = await cli(['up', '--dir', dir, '--detach', '--timeout', '15']);
      expect(up.code, up.stdout + up.stderr).not.toBe(0);
      const v = await cli(['validate', '--dir', dir, '--json']);
      expect(v.code, v.stdout + v.stderr).toBe(1);
      const prometheus = (JSON.parse(v.stdout) as { services: { service: string; checks: { check: string; ok: boolean; detail: string }[] }[] }).services.find((s) => s.service === 'prometheus')!;
      expect(prometheus.checks[0]).toMatchObject({ check: 'container', ok: false });
      expect(prometheus.checks[0].detail).toContain(`to fix: ${advice('/etc/prometheus/prometheus.yml')}`);
    } finally {
      await cli(['down', '--dir', dir, '--volumes']);
    }
  });
});
