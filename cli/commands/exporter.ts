// `fibre-stack exporter <kind>`: the exporter the generated stack runs, one subcommand per mode.
// Settings resolve flag > FIBRE_* env > --config file > default (exporter/options.ts); the modes
// themselves are loaded on demand so `fibre-stack create` never pulls in the tracer code.
import type { Argv, CommandModule } from 'yargs';
import { BITSTREAMS } from '../spec/types.js';
import { DEFAULT_EXPORTER_PORTS } from '../spec/defaults.js';
import { UserError } from '../../core/errors.js';
import {
  commonDecls,
  commonExporterOptions,
  loadConfigFile,
  resolveOptions,
  yargsOptions,
  type OptionDecls,
  type Resolved,
} from '../../exporter/options.js';

const bitcoindDecls = (port: number, healthPort: number) =>
  ({
    ...commonDecls({ port, healthPort }),
    bitcoind: { kind: 'string', alias: 'b', required: true, describe: 'Path of the bitcoind binary whose tracepoints are read.' },
    pid: { kind: 'int', alias: 'p', min: 1, describe: 'PID of the running bitcoind (found from /proc/*/exe when absent).' },
  }) as const satisfies OptionDecls;

const fibreDecls = bitcoindDecls(DEFAULT_EXPORTER_PORTS.fibre, DEFAULT_EXPORTER_PORTS.fibre + 1);
const bitcoinCoreDecls = bitcoindDecls(DEFAULT_EXPORTER_PORTS['bitcoin-core'], DEFAULT_EXPORTER_PORTS['bitcoin-core'] + 1);

const minerDecls = {
  ...commonDecls({ port: DEFAULT_EXPORTER_PORTS.miner }),
  bitstream: { kind: 'string', required: true, choices: BITSTREAMS, describe: 'Bitstream the miner runs, which decides its log format.' },
  log: { kind: 'list', alias: 'm', required: true, describe: 'Miner log file(s) to follow, one per card.' },
  card: { kind: 'list', alias: 'c', describe: 'Card name for each --log, in order [default: card0 card1 ...].' },
  staleAfter: { kind: 'number', min: 1, default: 120, describe: 'Seconds without log growth after which fpga_miner_log_stale is 1.' },
} as const satisfies OptionDecls;

const replayDecls = {
  ...commonDecls({ port: DEFAULT_EXPORTER_PORTS.fibre }),
  file: { kind: 'string', positional: true, describe: 'JSON-lines recording to replay, or a shipped sample by name: fibre, bitcoin-core [default: fibre].' },
  speed: { kind: 'number', min: 0.001, default: 1, describe: 'Pace: 1 plays at the recorded pace, 10 ten times faster.' },
  loop: { kind: 'boolean', default: false, describe: 'Start over at the end of the recording.' },
} as const satisfies OptionDecls;

const configOption = (alias?: string) => ({
  config: {
    describe: 'YAML file of settings, keys as the flags in snake_case (e.g. health_port: 9436) [env: FIBRE_CONFIG]',
    type: 'string' as const,
    ...(alias ? { alias } : {}),
  },
});

/** Reads the --config file and resolves every setting of a mode. */
function settings<D extends OptionDecls>(decls: D, argv: Record<string, unknown>) {
  const configPath = (argv.config as string | undefined) ?? process.env.FIBRE_CONFIG;
  const file = loadConfigFile(configPath || undefined, decls);
  const { values } = resolveOptions(decls, { flags: argv, env: process.env, file });
  return { values, common: commonExporterOptions(values as Resolved<ReturnType<typeof commonDecls>>, process.env) };
}

const ENV_NOTE = 'Every flag can also come from FIBRE_<FLAG> (e.g. FIBRE_HEALTH_PORT) or the --config file; a flag wins over both.';

const fibre: CommandModule = {
  command: 'fibre',
  describe: 'Export FIBRE bitcoind udp:* tracepoints (eBPF; needs root or CAP_BPF+CAP_PERFMON).',
  builder: (y: Argv) => y.options({ ...yargsOptions(fibreDecls), ...configOption('c') }).epilog(ENV_NOTE),
  handler: async (argv) => {
    const { values, common } = settings(fibreDecls, argv);
    const { runFibreExporter } = await import('../../profiles/fibre/collector.js');
    await runFibreExporter({ ...common, bitcoind: values.bitcoind, pid: values.pid });
  },
};

const bitcoinCore: CommandModule = {
  command: 'bitcoin-core',
  describe: 'Export Bitcoin Core v29+ tracepoints (eBPF; needs root or CAP_BPF+CAP_PERFMON).',
  builder: (y: Argv) => y.options({ ...yargsOptions(bitcoinCoreDecls), ...configOption('c') }).epilog(ENV_NOTE),
  handler: async (argv) => {
    const { values, common } = settings(bitcoinCoreDecls, argv);
    const { runBitcoinCoreExporter } = await import('../../profiles/bitcoin-core/collector.js');
    await runBitcoinCoreExporter({ ...common, bitcoind: values.bitcoind, pid: values.pid });
  },
};

const miner: CommandModule = {
  command: 'miner',
  describe: 'Export WhiteFire FPGA miner statistics by following their log files.',
  // -c is --card here, as in the original miner exporter; the config file has only the long flag.
  builder: (y: Argv) => y.options({ ...yargsOptions(minerDecls), ...configOption() }).epilog(ENV_NOTE),
  handler: async (argv) => {
    const { values, common } = settings(minerDecls, argv);
    const cards = values.card ?? values.log.map((_, i) => `card${i}`);
    if (cards.length !== values.log.length) {
      throw new UserError(`${values.log.length} --log file(s) but ${cards.length} --card name(s): give one card name per log, in the same order.`);
    }
    if (new Set(cards).size !== cards.length) throw new UserError(`card names must differ: ${cards.join(', ')}.`);
    const { runMinerExporter } = await import('../../profiles/miner/collector.js');
    await runMinerExporter({
      ...common,
      bitstream: values.bitstream as (typeof BITSTREAMS)[number],
      logs: values.log.map((path, i) => ({ path, card: cards[i] })),
      staleAfterSeconds: values.staleAfter,
    });
  },
};

const replay: CommandModule = {
  command: 'replay [file]',
  describe: 'Replay recorded FIBRE or Bitcoin Core events through the same metrics, at real or faster pace (no bitcoind needed).',
  builder: (y: Argv) =>
    y
      .positional('file', { describe: replayDecls.file.describe, type: 'string' })
      .options({ ...yargsOptions(replayDecls), ...configOption('c') })
      .epilog(ENV_NOTE),
  handler: async (argv) => {
    const { values, common } = settings(replayDecls, argv);
    const { runReplayExporter } = await import('../../exporter/replay.js');
    await runReplayExporter({ ...common, file: values.file, speed: values.speed, loop: values.loop });
  },
};

export const exporterCommand: CommandModule = {
  // No <kind> positional: yargs would then answer a missing kind with a generic message.
  command: 'exporter',
  describe: 'Run the exporter: fibre, bitcoin-core, miner or replay.',
  builder: (y: Argv) =>
    y
      .command(fibre)
      .command(bitcoinCore)
      .command(miner)
      .command(replay)
      .demandCommand(1, 'Name the kind of exporter: fibre, bitcoin-core, miner or replay.'),
  // Each kind has its own handler, and demandCommand refuses anything else before this one runs.
  handler: () => undefined,
};
