// Time from `fibre-stack up --native --detach` to `fibre-stack validate` all green, with local
// binaries (Debian's prometheus and prometheus-alertmanager) and the replay exporter; Grafana and
// Loki disabled. Goal: median under 5 s. Reference: the same two binaries started by hand with the
// same flags, timed until both answer /-/ready and Prometheus lists its scrape targets (its
// discovery hands targets over on a 5 s tick), i.e. what the programs themselves cost.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { demoSpec } from '../../cli/commands/demo.js';
import { renderStack } from '../../cli/render/index.js';
import { writeStack } from '../../cli/io/stack-writer.js';
import { loadPackageSources } from '../../cli/io/templates.js';
import { stackServices, resolveArg } from '../../cli/render/stack-services.js';
import { onPath } from '../../cli/run/binaries.js';
import { probe, sleep } from '../../cli/run/probe.js';
import { median } from '../lib/stats.js';

const RUNS = 7;
const CLI = join(fileURLToPath(import.meta.url), '..', '..', '..', 'cli', 'main.js');


function makeStack(): string {
  const spec = demoSpec('native');
  spec.project = 'bench-native-up';
  spec.disabled_services = ['grafana', 'loki'];
  spec.ports = { ...spec.ports, prometheus: 29390, alertmanager: 29391 };
  spec.profiles.fibre![0].exporter_port = 29396;
  const dir = mkdtempSync(join(tmpdir(), 'bench-native-up-'));
  writeStack(dir, renderStack(spec, { grafanaAdminPassword: 'bench-password' }, loadPackageSources()));
  return dir;
}

function run(dir: string, args: string[]): void {
  const r = spawnSync(process.execPath, [CLI, ...args, '--dir', dir], { encoding: 'utf8', env: { ...process.env, FIBRE_STACK_CACHE: join(dir, 'cache') } });
  if (r.status !== 0) throw new Error(`fibre-stack ${args.join(' ')} failed (${r.status}):\n${r.stdout}${r.stderr}`);
}

function timeUpToGreen(): number {
  const dir = makeStack();
  try {
    const start = performance.now();
    run(dir, ['up', '--native', '--detach']);
    run(dir, ['validate', '--wait', '30']);
    return performance.now() - start;
  } finally {
    run(dir, ['down']);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Prometheus and Alertmanager started directly with the plan's own arguments, until both are ready and Prometheus has targets. */
async function timeBareBinaries(): Promise<number> {
  const dir = makeStack();
  const plan = stackServices({ ...demoSpec('native'), disabled_services: ['grafana', 'loki'], ports: { ...demoSpec('native').ports, prometheus: 29390, alertmanager: 29391 } })
    .filter((s) => s.core === 'prometheus' || s.core === 'alertmanager');
  const start = performance.now();
  const children = plan.map((svc) => {
    if (svc.dataDir !== undefined) mkdirSync(join(dir, svc.dataDir), { recursive: true });
    const exe = svc.core === 'prometheus' ? 'prometheus' : 'prometheus-alertmanager';
    return spawn(exe, svc.argv.map((a) => resolveArg(a, dir)), { cwd: dir, stdio: 'ignore' });
  });
  try {
    for (const svc of plan) while ((await probe(svc.readyUrl, { timeoutMs: 1000 })).status !== 200) await sleep(50);
    const targets = plan.find((s) => s.core === 'prometheus')!.readyUrl.replace('/-/ready', '/api/v1/targets?state=active');
    while (!/"activeTargets":\[\{/.test((await probe(targets, { timeoutMs: 1000 })).body)) await sleep(50);
    return performance.now() - start;
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const missing = ['prometheus', 'prometheus-alertmanager'].filter((b) => !onPath(b));
  if (missing.length) {
    process.stderr.write(`native-up: needs ${missing.join(', ')} on PATH (apt-get install prometheus prometheus-alertmanager)\n`);
    process.exit(2);
  }
  const ours: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    ours.push(timeUpToGreen());
    bare.push(await timeBareBinaries());
  }
  const fmt = (xs: number[]) => `median ${(median(xs) / 1000).toFixed(2)} s (min ${(Math.min(...xs) / 1000).toFixed(2)}, max ${(Math.max(...xs) / 1000).toFixed(2)}, n=${xs.length})`;
  process.stdout.write(`up --native --detach to validate green (prometheus, alertmanager, replay exporter): ${fmt(ours)}; goal < 5 s\n`);
  process.stdout.write(`reference, the two binaries alone until ready and Prometheus lists targets: ${fmt(bare)}; ratio ${(median(ours) / median(bare)).toFixed(1)}\n`);
}

main().catch((err) => {
  process.stderr.write(`native-up: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
