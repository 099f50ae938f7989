// `fibre-stack exporter fibre`: FIBRE bitcoind's udp:* tracepoints (bpf/fibre.bt) into the metrics
// of ABI.md section 1.
import { runEbpfExporter, type EbpfExporterOptions } from '../../exporter/index.js';
import { applyFibreEvent, parseFibreLine } from './events.js';
import { fibreMetrics } from './metrics.js';

export async function runFibreExporter(opts: EbpfExporterOptions): Promise<void> {
  await runEbpfExporter(opts, {
    program: 'fibre.bt',
    metrics: fibreMetrics,
    whyMissing: {
      'udp:block_race_time': 'older FIBRE builds lack it; the race latency and margin view stays empty',
      'udp:block_reconstruction_detail': 'older FIBRE builds lack it; the missing and mempool-provided transaction histograms stay empty',
    },
    withoutArg6: { 'udp:block_reconstruction_detail': 'its all-from-mempool flag is not read, so fibre_block_all_tx_from_mempool_total stays empty' },
    handler: (metrics, self, node) => ({
      printf(line) {
        const event = parseFibreLine(line);
        applyFibreEvent(metrics, node, event);
        self.event(event.type);
      },
    }),
  });
}
