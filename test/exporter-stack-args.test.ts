// The command lines a stack runs its exporters with are built from the same option declarations
// the exporter subcommands parse (cli/exporters.ts), so they cannot drift; and a replay stack
// plays the recording of its own profile. Runs the built CLI: `npx tsc -p .` first.
import { describe, expect, it } from 'vitest';
import yargs from 'yargs';
import { join } from 'node:path';
import { insertOptions, resolveOptions, yargsOptions, type OptionDecls } from '../exporter/options.js';
import { collectorDecls, recordingArg, replayOptions } from '../cli/exporters.js';
import { exporterRuns } from '../cli/render/stack-profiles.js';
import { validateSpec } from '../cli/spec/validate.js';
import { PROFILES } from '../profiles/registry.js';
import { ExporterProcess } from './support/exporter-process.js';
import { eventually } from './support/scrape.js';

const ROOT = join(import.meta.dirname, '..');

/** Every profile with an exporter, in every way a stack runs it. */
const specs = {
  traced: validateSpec({
    version: 1,
    profiles: {
      fibre: { node_name: 'relay-1', bitcoind: '/opt/bitcoin dir/bitcoind' },
      'bitcoin-core': { exporter_port: 9500 },
      miner: { bitstream: 'nimiq', logs: [{ path: '/var/log/a.log', card: 'left' }, { path: '/var/log/b.log' }], stale_after_seconds: 30 },
    },
  }),
  replayed: validateSpec({ version: 1, profiles: { fibre: { source: 'replay' }, 'bitcoin-core': { source: 'replay', replay_file: '/srv/rec.jsonl' } } }),
};

/** What the exporter makes of a command line: the values its subcommand resolves from it. */
function parsed(args: string[]): Record<string, unknown> {
  expect(args[0]).toBe('exporter');
  const decls: OptionDecls = args[1] === 'replay' ? replayOptions(PROFILES) : collectorDecls(PROFILES.get(args[1])!.exporter!);
  const argv = yargs(args.slice(2)).options(yargsOptions(decls)).strictOptions().exitProcess(false).parseSync();
  const flags = { ...argv, file: recordingArg(argv, 0) };
  return resolveOptions(decls, { flags, env: {}, file: {} }).values;
}

describe('a stack runs each exporter with a command line the exporter takes', () => {
  it.each(Object.entries(specs))('%s', (_what, spec) => {
    const runs = exporterRuns(spec, PROFILES);
    expect(runs.length).toBeGreaterThan(0);
    for (const run of runs) {
      const values = parsed(run.args);
      expect(values.port, run.service).toBe(run.port);
      expect(run.args.every((a) => a !== ''), run.args.join(' ')).toBe(true);
    }
  });

  it('passes every setting the exporter needs, as the spec says it', () => {
    const [fibre, core, miner] = exporterRuns(specs.traced, PROFILES).map((r) => parsed(r.args));
    expect(fibre).toMatchObject({ bitcoind: '/opt/bitcoin dir/bitcoind', nodeName: 'relay-1', port: 9435 });
    expect(core).toMatchObject({ bitcoind: '/usr/local/bin/bitcoind', port: 9500 });
    expect(miner).toMatchObject({ bitstream: 'nimiq', log: ['/var/log/a.log', '/var/log/b.log'], card: ['left', 'card1'], staleAfter: 30, port: 9439 });
  });
});

describe('a replay stack plays its own profile', () => {
  it('names the bundled sample of each profile, or the recording the spec gives', () => {
    const [fibre, core] = exporterRuns(specs.replayed, PROFILES);
    expect(fibre.args).toEqual(['exporter', 'replay', '--loop', '--node-name=localhost', '--port=9435', '--', 'fibre']);
    expect(core.args).toEqual(['exporter', 'replay', '--loop', '--node-name=localhost', '--port=9437', '--', '/srv/rec.jsonl']);
    expect(core.hostPaths).toEqual(['/srv/rec.jsonl']);
    const bare = exporterRuns(validateSpec({ version: 1, profiles: { 'bitcoin-core': { source: 'replay' } } }), PROFILES)[0];
    expect(bare.args.slice(-2)).toEqual(['--', 'bitcoin-core']);
    expect(bare).toMatchObject({ ebpf: false, hostPaths: [] });
  });

  it('a bitcoin-core replay stack serves Bitcoin Core events, not the FIBRE sample', async () => {
    const run = exporterRuns(validateSpec({ version: 1, profiles: { 'bitcoin-core': { source: 'replay' } } }), PROFILES)[0];
    const exporter = await ExporterProcess.start(insertOptions(run.args.slice(1), ['--speed=1000']));
    try {
      const sample = join(ROOT, 'exporter', 'samples', 'bitcoin-core-replay.jsonl');
      await eventually(() => expect(exporter.output).toContain(`replaying ${sample} (bitcoin-core)`), 10_000);
    } finally {
      expect(await exporter.stop()).toBe(0);
    }
  });
});
