import { bitcoindProfile } from '../bitcoind/profile.js';
import { bitcoinCoreConfig } from './config.js';
import { bitcoinCoreMetrics } from './metrics.js';
import { bitcoinCoreRules } from './rules.js';
import { bitcoinCoreStatus } from './status.js';

export const bitcoinCoreProfile = bitcoindProfile('bitcoin-core', {
  title: 'Bitcoin Core node (v29+ tracepoints)',
  config: bitcoinCoreConfig,
  metrics: bitcoinCoreMetrics,
  rules: bitcoinCoreRules,
  runbook: 'profiles/bitcoin-core/runbook.md',
  // Beside the FIBRE exporter's 9435/9436, so both fit on one host in native mode.
  port: 9437,
  describe: 'Export Bitcoin Core v29+ tracepoints (eBPF; needs root or CAP_BPF+CAP_PERFMON).',
  collect: async (opts) => (await import('./collector.js')).runBitcoinCoreExporter(opts),
  replay: { label: 'Bitcoin Core', load: async () => (await import('./replay.js')).bitcoinCoreReplayPlayer },
  dashboard: async () => (await import('./dashboard.js')).bitcoinCoreDashboard(),
  status: bitcoinCoreStatus,
});
