import type { MinerProfileSpec } from '../../cli/spec/types.js';
import type { ProfileDef } from '../types.js';
import { minerMetrics } from './metrics.js';

const service = 'miner-exporter';

export const minerProfile: ProfileDef<'miner'> = {
  id: 'miner',
  title: 'WhiteFire FPGA miner logs',
  metrics: minerMetrics,
  scrapeJobs: (p, at) => [{ job_name: 'miner', targets: [{ targets: [at.exporter(service, p.exporter_port)], labels: {} }] }],
  logSources: (p: MinerProfileSpec) =>
    p.logs.map((log, i) => ({
      id: `miner_log_${i}`,
      path: log.path,
      labels: { job: 'fpga-miner', card: log.card, bitstream: p.bitstream },
    })),
  exporter: (p) => ({
    service,
    port: p.exporter_port,
    args: [
      'exporter', 'miner',
      '--bitstream', p.bitstream,
      '--port', String(p.exporter_port),
      '--stale-after', String(p.stale_after_seconds),
      ...p.logs.flatMap((l) => ['--log', l.path]),
      ...p.logs.flatMap((l) => ['--card', l.card]),
    ],
    ebpf: false,
    hostPaths: p.logs.map((l) => l.path),
  }),
};
