// The exporters as docker-compose runs them from a rendered docker-compose.yml, on this host's
// kernel: the eBPF exporter attaches to the USDT probes of a running stand-in bitcoind
// (scripts/lib/fake-bitcoind.c, the real probe layout) with exactly the security options the
// compose file gives it (Docker's default seccomp profile, no-new-privileges), and the miner
// exporter reads a root:adm 0640 log as its unprivileged user through the group compose adds.
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderStack } from '../cli/render/index.js';
import { writeStack } from '../cli/io/stack-writer.js';
import { loadPackageSources } from '../cli/io/templates.js';
import { readHostFacts } from '../cli/io/host-facts.js';
import { defaultProfile } from '../cli/spec/defaults.js';
import { compileFake, FakeBitcoind } from '../scripts/lib/fake-bitcoind.js';
import { CLI } from './support/cli.js';
import { TRIXIE_ALERTMANAGER_IMAGE, NODE_IMAGE, PROMETHEUS_IMAGE, ensureTestImages } from './support/images.js';
import { prerequisites } from './support/prereq.js';
import { testSpec } from './support/run-stack.js';
import { eventually, parseExposition, series } from './support/scrape.js';

const ready = prerequisites('exporters under docker-compose on this host', {
  commands: ['docker-compose', 'gcc'],
  root: true,
  docker: true,
  check: () => (existsSync(CLI) ? undefined : 'a built CLI (npm run build)'),
});
const IMAGE = 'fibre-stack-exporter:compose-host-test';
const BASE = 29560;
const PROJECT = `a3test${BASE}`;
const ADM_GID = 4; // Debian's adm group: the usual owner of logs under /var/log

interface ComposeService { security_opt?: string[]; cap_add?: string[]; group_add?: string[]; user?: string; pid?: string }

describe.runIf(ready)('exporters under docker-compose', () => {
  let dir: string;
  let fake: FakeBitcoind | undefined;
  let compose: { services: Record<string, ComposeService> };
  let log: string;
  const dc = (...args: string[]) => execFileSync('docker-compose', ['-p', PROJECT, ...args], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const metricsOf = (service: string, port: number) => {
    const id = dc('ps', '-q', service).trim();
    const body = execFileSync('docker', ['exec', id, 'node', '-e', `fetch('http://127.0.0.1:${port}/metrics').then(r=>r.text()).then(t=>process.stdout.write(t))`], { encoding: 'utf8' });
    return parseExposition(body);
  };

  beforeAll(() => {
    ensureTestImages();
    const built = spawnSync(process.execPath, [CLI, 'build-exporter', '--tag', IMAGE, '--base-image', NODE_IMAGE, '--json'], { encoding: 'utf8', timeout: 900_000 });
    if (built.status !== 0) throw new Error(`build-exporter failed: ${built.stderr.slice(-2000)}`);
    dir = mkdtempSync(join(tmpdir(), 'fibre-stack-compose-host-'));
    chmodSync(dir, 0o755);
    const binary = compileFake(dir);
    // The exporter follows the bitcoind of its datadir (its -datadir, as the process's command line says).
    const datadir = join(dir, 'datadir');
    mkdirSync(datadir);
    // A miner log as a distribution's logrotate leaves it: root:adm, 0640, in a root:adm 0750 folder.
    const logDir = join(dir, 'miner');
    mkdirSync(logDir);
    chownSync(logDir, 0, ADM_GID);
    chmodSync(logDir, 0o750);
    log = join(logDir, 'card0.log');
    writeFileSync(log, '[12:00:00] GPU0 1.25GH/s (500MHz) hw 0.5% 66C 0.85V ok 0x1\n');
    chownSync(log, 0, ADM_GID);
    chmodSync(log, 0o640);
    const spec = testSpec('docker', BASE, (s) => {
      s.disabled_services = ['grafana', 'loki', 'node-exporter', 'cadvisor'];
      s.images = { ...s.images, prometheus: PROMETHEUS_IMAGE, alertmanager: TRIXIE_ALERTMANAGER_IMAGE, exporter: IMAGE };
      s.profiles.fibre = [{ ...s.profiles.fibre![0], source: 'ebpf', bitcoind: binary, bitcoin_datadir: datadir }];
      s.profiles.miner = [{ ...defaultProfile('miner'), bitstream: 'tokenminer', logs: [{ path: log, card: 'card0' }] }];
    });
    writeStack(dir, renderStack(spec, { grafanaAdminPassword: 'test-password-123' }, loadPackageSources(), readHostFacts(spec)));
    compose = load(readFileSync(join(dir, 'docker-compose.yml'), 'utf8')) as typeof compose;
    fake = FakeBitcoind.start(binary, [`-datadir=${datadir}`]);
    dc('up', '-d', 'fibre-exporter', 'miner-exporter');
  }, 900_000);

  afterAll(async () => {
    await fake?.stop();
    if (dir) {
      try {
        dc('down', '--volumes');
      } catch {
        // nothing was started
      }
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the eBPF exporter keeps seccomp and no-new-privileges, and attaches to the probes of a running bitcoind', async () => {
    const svc = compose.services['fibre-exporter'];
    expect(svc.security_opt).toEqual(['no-new-privileges:true']);
    expect(svc.cap_add).toEqual(['SYS_ADMIN', 'SYS_PTRACE']);
    expect(svc).toMatchObject({ user: '0', pid: 'host' });
    // The container's bpftrace enables the probes' semaphores in the host's bitcoind.
    for (const probe of ['udp:block_reconstructed', 'validation:block_connected']) await fake!.waitEnabled(probe, 60_000);
    expect(await fake!.fire('reconstructed abcd 10.0.0.1:8336 100 120 3 3000 800001')).toBe(1);
    await eventually(() => expect(metricsOf('fibre-exporter', BASE + 6).get(series('fibre_blocks_reconstructed_total', { node: 'localhost' }))).toBe(1), 30_000, 250);
  }, 120_000);

  it('the miner exporter, uid 10001 with no capability, reads a root:adm 0640 log through the group compose adds', async () => {
    expect(compose.services['miner-exporter'].group_add).toEqual([String(ADM_GID)]);
    const port = defaultProfile('miner').exporter_port;
    const labels = { node: 'localhost', card: 'card0', bitstream: 'tokenminer' };
    await eventually(() => expect(metricsOf('miner-exporter', port).get(series('fpga_miner_hashrate_hashes_per_second', labels))).toBe(1.25e9), 30_000, 250);
    appendFileSync(log, '[12:00:01] GPU0 1.5GH/s (500MHz) hw 0.5% 67C 0.85V ok 0x1\n');
    await eventually(() => expect(metricsOf('miner-exporter', port).get(series('fpga_miner_temperature_celsius', labels))).toBe(67), 30_000, 250);
  }, 120_000);
});
