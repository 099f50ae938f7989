// The fibre and bitcoin-core profiles differ in their probes and metrics, not in how they are
// scraped, logged or run, so both are made here.
import type { BitcoindProfileSpec } from '../../cli/spec/types.js';
import type { MetricDef } from '../../core/catalog.js';
import type { ProfileDef } from '../types.js';
import { BITCOIND_DEBUG_LOG_PARSING } from './log.js';

export function bitcoindProfile<Id extends 'fibre' | 'bitcoin-core'>(id: Id, title: string, metrics: readonly MetricDef[]): ProfileDef<Id> {
  const service = `${id}-exporter`;
  return {
    id,
    title,
    metrics,
    scrapeJobs: (p: BitcoindProfileSpec, at) => [
      { job_name: id, targets: [{ targets: [at.exporter(service, p.exporter_port)], labels: {} }] },
    ],
    logSources: (p: BitcoindProfileSpec) => [
      {
        id: `${id.replace('-', '_')}_debug_log`,
        path: `${p.bitcoin_datadir.replace(/\/+$/, '')}/debug.log`,
        labels: { job: 'bitcoind', profile: id, node: p.node_name },
        parsing: BITCOIND_DEBUG_LOG_PARSING,
      },
    ],
    exporter: (p: BitcoindProfileSpec) => {
      const common = ['--node-name', p.node_name, '--port', String(p.exporter_port)];
      if (p.source === 'replay') {
        // The replay exporter serves the same metrics from a recording: no bitcoind, no eBPF.
        // Without a recording of its own, the sample shipped for this profile (by name).
        const file = p.replay_file ? [p.replay_file] : [];
        return { service, port: p.exporter_port, args: ['exporter', 'replay', p.replay_file ?? id, '--loop', ...common], ebpf: false, hostPaths: file };
      }
      return {
        service,
        port: p.exporter_port,
        args: ['exporter', id, '--bitcoind', p.bitcoind, ...common],
        ebpf: true,
        hostPaths: [p.bitcoind],
      };
    },
  };
}
