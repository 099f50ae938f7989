// fibre-stack demo: a whole stack with no bitcoind: the FIBRE exporter replays a recording. Made,
// started (docker when this host can run every image, natively otherwise), validated, and the
// URLs printed. Services this host cannot run are named with the reason; the rest still run.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { join, resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { UserError } from '../../core/errors.js';
import { defaultProfile, defaultSpec } from '../spec/defaults.js';
import type { Mode, StackSpec } from '../spec/types.js';
import { renderStack } from '../render/index.js';
import { stackUrls } from '../render/readme.js';
import { writeStack } from '../io/stack-writer.js';
import { loadPackageSources } from '../io/templates.js';
import { loadOrCreateSecrets } from '../io/spec-io.js';
import { SPEC_FILE } from '../render/spec-file.js';
import { loadStack } from '../run/stack-dir.js';
import { imageExists } from '../run/docker.js';
import { dockerHere } from '../run/docker-runner.js';
import { runnerToStart } from '../run/choose-runner.js';
import { allHealthy, printReports, validateUntil } from '../run/validation.js';
import { enabledServices } from '../services/table.js';
import { renderStatusHtml, statusSource } from '../report/index.js';
import { PROFILES } from '../../profiles/registry.js';

interface DemoArgs {
  dir: string;
  native: boolean;
  timeout: number;
}

const say = (line: string) => process.stdout.write(line + '\n');

/** The demo stack: every service, and the FIBRE profile fed by the replay exporter. */
export function demoSpec(mode: Mode): StackSpec {
  return { ...defaultSpec(), project: 'fibre-stack-demo', mode, profiles: { fibre: [{ ...defaultProfile('fibre'), source: 'replay' }] } };
}

/** Docker mode only when it can run the demo whole: daemon, compose, and every core image here. */
async function chooseMode(forceNative: boolean): Promise<{ mode: Mode; why: string }> {
  if (forceNative) return { mode: 'native', why: '--native' };
  const docker = await dockerHere();
  if (!docker.ok) return { mode: 'native', why: docker.reason };
  const spec = demoSpec('docker');
  const missing: string[] = [];
  for (const s of enabledServices(spec)) {
    if (!(await imageExists(docker.docker, spec.images[s]))) missing.push(spec.images[s]);
  }
  if (missing.length) return { mode: 'native', why: `images not on this host: ${missing.join(', ')}` };
  return { mode: 'docker', why: 'Docker runs here and has every image' };
}

/** Writes the status page into the demo folder (the demo's own file: made anew each run) and says where it is. */
async function statusPageLine(spec: StackSpec, dir: string): Promise<string> {
  const page = join(dir, 'status.html');
  try {
    writeFileSync(page, renderStatusHtml(await statusSource(spec, PROFILES).read()));
  } catch (err) {
    return `  ${'status page'.padEnd(13)} not made: ${(err as Error).message}`;
  }
  return `  ${'status page'.padEnd(13)} ${pathToFileURL(page).href}  (now; live: fibre-stack report --serve 8080 --dir ${dir})`;
}

export const demoCommand: CommandModule<object, DemoArgs> = {
  command: 'demo',
  describe: 'Create, start and validate a demo stack fed by recorded FIBRE events (no bitcoind needed)',
  builder: (y) =>
    y
      .option('dir', { type: 'string', default: 'fibre-stack-demo', describe: 'Folder for the demo stack (reused when it already holds one)' })
      .option('native', { type: 'boolean', default: false, describe: 'Run natively even when Docker is available' })
      .option('timeout', { type: 'number', default: 120, describe: 'Seconds to wait for the stack to become healthy' }) as unknown as Argv<DemoArgs>,
  handler: async (args) => {
    const dir = resolve(args.dir);
    const { mode, why } = await chooseMode(args.native);
    say(`Demo in ${mode} mode (${why}).`);
    if (existsSync(join(dir, SPEC_FILE))) {
      say(`Reusing the stack in ${dir}.`);
    } else {
      if (existsSync(dir) && readdirSync(dir).length > 0) throw new UserError(`${dir} is not empty and holds no stack; choose another --dir`);
      writeStack(dir, renderStack(demoSpec(mode), loadOrCreateSecrets(dir), loadPackageSources()));
      say(`Created the demo stack in ${dir}.`);
    }
    const { stack, runner } = await runnerToStart(loadStack(dir), { native: args.native, say });
    await runner.up(stack, { say, timeoutMs: args.timeout * 1000, detach: true, build: false, userDir: dir });
    say('\nValidating:');
    const reports = await validateUntil(stack, runner, 30);
    printReports(reports);
    const running = new Set(reports.filter((r) => r.status === 'healthy').map((r) => r.service));
    const urls = stackUrls(stack.spec).filter((u) => running.has(u.name));
    say('\nOpen:');
    for (const u of urls) say(`  ${u.name.padEnd(13)} ${u.url}${u.name === 'grafana' ? `  (user admin, password in ${dir}/.env)` : ''}`);
    say(`  ${'metrics'.padEnd(13)} http://127.0.0.1:${stack.spec.profiles.fibre?.[0].exporter_port}/metrics  (the replay exporter)`);
    if (running.has('prometheus')) say(await statusPageLine(stack.spec, dir));
    const unavailable = reports.filter((r) => r.status === 'unavailable');
    if (unavailable.length) {
      say(`\nThis host could not run ${unavailable.map((r) => r.service).join(', ')}; the demo runs without them (see the table for how to get them).`);
    }
    say(`\nStop the demo with: fibre-stack down --dir ${dir}`);
    // Unavailable programs are this host's limits, said above; anything that started must be healthy.
    const startedOk = reports.filter((r) => r.status !== 'unavailable');
    process.exitCode = allHealthy(startedOk) ? 0 : 1;
  },
};
