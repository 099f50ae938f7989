// The miner exporter: its options (beside the common ones), and how a stack runs it. Light on
// purpose: the collector itself is loaded only when it runs.
import { UserError } from '../../core/errors.js';
import { checkCardName } from '../../core/spec/checks.js';
import type { OptionDecls } from '../../exporter/index.js';
import type { ExporterDef } from '../types.js';
import { BITSTREAMS, defaultCard, STALE_AFTER_SECONDS, type Bitstream, type MinerProfileSpec } from './spec.js';

const minerOptions = {
  bitstream: { kind: 'string', required: true, choices: BITSTREAMS, describe: 'Bitstream the miner runs, which decides its log format.' },
  log: { kind: 'list', alias: 'm', required: true, describe: 'Miner log file(s) to follow, one per card.' },
  card: { kind: 'list', alias: 'c', describe: 'Card name for each --log, in order [default: card0 card1 ...].' },
  staleAfter: { kind: 'number', min: 1, default: STALE_AFTER_SECONDS, describe: 'Seconds without log growth after which fpga_miner_log_stale is 1.' },
} as const satisfies OptionDecls;

// Beside the bitcoind exporters' 9435-9438, so all fit on one host in native mode (the original
// miner exporter's 9090 is Prometheus's port).
export const MINER_EXPORTER_PORT = 9439;

export const minerExporter: ExporterDef<MinerProfileSpec, typeof minerOptions> = {
  service: 'miner-exporter',
  port: MINER_EXPORTER_PORT,
  ebpf: false,
  describe: 'Export WhiteFire FPGA miner statistics by following their log files.',
  // No -c for --config: -c is --card here, as in the original miner exporter.
  options: minerOptions,
  async run(common, values) {
    const cards = values.card ?? values.log.map((_, i) => defaultCard(i));
    if (cards.length !== values.log.length) {
      throw new UserError(`${values.log.length} --log file(s) but ${cards.length} --card name(s): give one card name per log, in the same order.`);
    }
    if (new Set(cards).size !== cards.length) throw new UserError(`card names must differ: ${cards.join(', ')}.`);
    for (const card of cards) {
      const wrong = checkCardName(card);
      if (wrong) throw new UserError(`--card: ${wrong}.`);
    }
    const { runMinerExporter } = await import('./collector.js');
    await runMinerExporter({
      ...common,
      bitstream: values.bitstream as Bitstream,
      logs: values.log.map((path, i) => ({ path, card: cards[i] })),
      staleAfterSeconds: values.staleAfter,
    });
  },
  invocation: (p) => ({
    command: 'collector',
    values: {
      bitstream: p.bitstream,
      nodeName: p.node_name,
      port: p.exporter_port,
      staleAfter: p.stale_after_seconds,
      log: p.logs.map((l) => l.path),
      card: p.logs.map((l) => l.card),
    },
    hostPaths: p.logs.map((l) => l.path),
  }),
};
