import { EXPORTER_RUNBOOK } from '../kit/exporter-rules.js';
import { nodeNameQuestion } from '../kit/questions.js';
import type { ChoiceQuestion, ListQuestion, ProfileDef } from '../types.js';
import { minerConfig } from './config.js';
import { minerExporter } from './exporter.js';
import { minerMetrics } from './metrics.js';
import { minerRules } from './rules.js';
import { minerStatus } from './status.js';
import { BITSTREAMS, defaultCard, minerDefaults, readMiner, type Bitstream, type MinerProfileSpec } from './spec.js';

const logsQuestion: ListQuestion<'minerLogs'> = {
  key: 'minerLogs',
  flag: 'miner-log',
  kind: 'list',
  describe: 'Miner log file(s)',
  message: 'Miner log files (comma-separated)',
  validate: (paths) => (paths.length && paths.every((p) => p.startsWith('/')) ? true : 'one or more absolute paths'),
};

const cardsQuestion: ListQuestion<'cards'> = {
  key: 'cards',
  flag: 'card',
  kind: 'list',
  describe: 'Card name per miner log (default card0, card1, ...)',
  message: 'Card names, one per log (empty: card0, card1, ...)',
};

const bitstreamQuestion: ChoiceQuestion<'minerBitstream', Bitstream> = {
  key: 'minerBitstream',
  flag: 'miner-bitstream',
  kind: 'choice',
  choices: BITSTREAMS,
  describe: 'Miner bitstream',
  message: 'Bitstream',
};

const questions = [nodeNameQuestion, logsQuestion, cardsQuestion, bitstreamQuestion] as const;

export const minerProfile: ProfileDef<'miner', MinerProfileSpec, typeof questions> = {
  id: 'miner',
  title: 'WhiteFire FPGA miner logs',
  spec: {
    defaults: () => minerDefaults(minerExporter.port),
    read: (r, raw, key) => readMiner(r, raw, key, minerDefaults(minerExporter.port)),
    name: (p) => p.node_name,
  },
  questions: {
    asks: questions,
    // No card names unless given: each log's card is then named by its place.
    defaults: (p) => ({ nodeName: p.node_name, minerLogs: p.logs.map((l) => l.path), cards: [], minerBitstream: p.bitstream }),
    settings: (a, p) => ({ ...p, node_name: a.nodeName, bitstream: a.minerBitstream, logs: a.minerLogs.map((path, i) => ({ path, card: a.cards[i] ?? defaultCard(i) })) }),
  },
  metrics: minerMetrics,
  // The exporter labels its cards' series with the node itself; the target's label fills in the rest.
  scrapeJobs: (p, at, service) => [
    { job_name: minerConfig.job, honor_labels: true, targets: [{ targets: [at.exporter(service, p.exporter_port)], labels: { node: p.node_name } }] },
  ],
  logSources: (p) =>
    p.logs.map((log, i) => ({
      id: `miner_log_${i}`,
      path: log.path,
      labels: { job: minerConfig.logJob, node: p.node_name, card: log.card, bitstream: p.bitstream },
    })),
  ports: (p) => ({ exporter_port: p.exporter_port }),
  exporter: minerExporter,
  rules: minerRules,
  runbook: [{ file: EXPORTER_RUNBOOK, prefix: minerConfig.alertPrefix }, { file: 'profiles/miner/runbook.md' }],
  dashboard: async () => (await import('./dashboard.js')).minerDashboard(),
  status: minerStatus,
};
