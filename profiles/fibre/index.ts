import { bitcoindProfile } from '../bitcoind/profile.js';
import { fibreConfig } from './config.js';
import { fibreMetrics } from './metrics.js';
import { fibreRules } from './rules.js';
import { fibreStatus } from './status.js';

export const fibreProfile = bitcoindProfile('fibre', {
  title: 'FIBRE relay (bitcoind with udp:* tracepoints)',
  config: fibreConfig,
  metrics: fibreMetrics,
  rules: fibreRules,
  runbook: 'profiles/fibre/runbook.md',
  // The original FIBRE exporter's port; the other exporters sit beside it (see their profiles).
  port: 9435,
  describe: 'Export FIBRE bitcoind udp:* tracepoints (eBPF; needs root or CAP_BPF+CAP_PERFMON).',
  collect: async (opts) => (await import('./collector.js')).runFibreExporter(opts),
  replay: { label: 'FIBRE', load: async () => (await import('./replay.js')).fibreReplayPlayer },
  dashboard: async () => (await import('./dashboard.js')).fibreDashboard(),
  status: fibreStatus,
});
