// The fibre and bitcoin-core profiles differ in their probes, metrics, rules and dashboards, not in
// their settings or in how they are scraped, logged or run, so both are made here.
import type { MetricDef } from '../../core/catalog.js';
import { checkAbsolutePath } from '../../core/spec/checks.js';
import type { RuleFileSpec } from '../kit/rule-kit.js';
import { nodeNameQuestion } from '../kit/questions.js';
import { EXPORTER_RUNBOOK } from '../kit/exporter-rules.js';
import type { ProfileDef, ProfileReplay, TextQuestion } from '../types.js';
import { bitcoindExporter, type BitcoindExporterParts } from './exporter.js';
import { BITCOIND_DEBUG_LOG_PARSING, BITCOIND_LOG_JOB } from './log.js';
import { BLOCK_FLOW_RUNBOOK } from './rules.js';
import { bitcoindDefaults, readBitcoind, type BitcoindProfileSpec } from './spec.js';

const absolute = (s: string) => (checkAbsolutePath(s) ? 'an absolute path' : true);

const bitcoindQuestion: TextQuestion<'bitcoind'> = {
  key: 'bitcoind',
  flag: 'bitcoind',
  kind: 'text',
  describe: 'Path of the bitcoind binary (fibre, bitcoin-core)',
  message: 'Path of the bitcoind binary',
  validate: absolute,
};

const bitcoinDatadirQuestion: TextQuestion<'bitcoinDatadir'> = {
  key: 'bitcoinDatadir',
  flag: 'bitcoin-datadir',
  kind: 'text',
  describe: 'bitcoind data folder, where debug.log is',
  message: 'bitcoind data folder (where debug.log is)',
  validate: absolute,
};

const questions = [nodeNameQuestion, bitcoindQuestion, bitcoinDatadirQuestion] as const;

export interface BitcoindProfileParts extends BitcoindExporterParts {
  title: string;
  metrics: readonly MetricDef[];
  rules: RuleFileSpec;
  /** Its scrape job, and the prefix of its alert names (`Fibre` in FibreExporterDown). */
  config: { job: string; alertPrefix: string };
  /** Its own runbook part (profiles/<id>/runbook.md). */
  runbook: string;
  replay: ProfileReplay;
  dashboard: NonNullable<ProfileDef['dashboard']>;
  status: NonNullable<ProfileDef['status']>;
}

export function bitcoindProfile<Id extends string>(id: Id, parts: BitcoindProfileParts): ProfileDef<Id, BitcoindProfileSpec, typeof questions> {
  const exporter = bitcoindExporter(id, parts);
  return {
    id,
    title: parts.title,
    spec: {
      defaults: () => bitcoindDefaults(parts.port),
      read: (r, raw, key) => readBitcoind(r, raw, key, bitcoindDefaults(parts.port)),
      name: (p) => p.node_name,
    },
    questions: {
      asks: questions,
      defaults: (p) => ({ nodeName: p.node_name, bitcoind: p.bitcoind, bitcoinDatadir: p.bitcoin_datadir }),
      settings: (a, p) => ({ ...p, node_name: a.nodeName, bitcoind: a.bitcoind, bitcoin_datadir: a.bitcoinDatadir }),
    },
    metrics: parts.metrics,
    // The exporter labels its series with the node itself; the target's label fills in the rest.
    scrapeJobs: (p, at, service) => [
      { job_name: parts.config.job, honor_labels: true, targets: [{ targets: [at.exporter(service, p.exporter_port)], labels: { node: p.node_name } }] },
    ],
    // The node's log, not the profile's: fibre and bitcoin-core watching one datadir tail it once
    // (cli/render/log-agent.ts keeps one source per path), so its stream has no profile label.
    logSources: (p) => [
      {
        id: `${id.replace('-', '_')}_debug_log`,
        path: `${p.bitcoin_datadir.replace(/\/+$/, '')}/debug.log`,
        labels: { job: BITCOIND_LOG_JOB, node: p.node_name },
        parsing: BITCOIND_DEBUG_LOG_PARSING,
        // A node's debug.log holds years of history: a first start ships none of it.
        firstRead: 'end',
      },
    ],
    // bitcoind's own ports on this host, as Prometheus's side reaches them. Its RPC listens on
    // loopback unless rpcbind says otherwise, so from a container the RPC check needs rpcbind and rpcallowip.
    probes: (p, at) => [
      { check: 'bitcoind_p2p', module: 'tcp_connect', target: at.host(`127.0.0.1:${p.p2p_port}`), labels: { node: p.node_name } },
      { check: 'bitcoind_rpc', module: 'tcp_connect', target: at.host(`127.0.0.1:${p.rpc_port}`), labels: { node: p.node_name } },
    ],
    ports: (p) => ({ exporter_port: p.exporter_port }),
    datadir: (p) => p.bitcoin_datadir.replace(/(.)\/+$/, '$1'),
    exporter,
    replay: parts.replay,
    rules: parts.rules,
    runbook: [
      { file: EXPORTER_RUNBOOK, prefix: parts.config.alertPrefix },
      { file: BLOCK_FLOW_RUNBOOK, prefix: parts.config.alertPrefix },
      { file: parts.runbook },
    ],
    dashboard: parts.dashboard,
    status: parts.status,
  };
}
