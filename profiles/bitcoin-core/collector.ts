// `fibre-stack exporter bitcoin-core`: mainline Bitcoin Core tracepoints (bpf/bitcoin-core.bt)
// into the metrics of profiles/bitcoin-core/metrics.ts.
import { MapDeltas, mapKeyRestorer, runEbpfExporter, type EbpfExporterOptions } from '../../exporter/index.js';
import { applyBitcoinCoreEvent, applyBitcoinCoreMap, parseBitcoinCoreLine, REASONS_WITH_SPACES } from './events.js';
import { bitcoinCoreMetrics } from './metrics.js';

/** How often bpftrace prints its kernel-map totals: well under Prometheus' usual 15 s scrape. */
const MAP_PRINT_SECONDS = 5;

export async function runBitcoinCoreExporter(opts: EbpfExporterOptions): Promise<void> {
  await runEbpfExporter(opts, {
    program: 'bitcoin-core.bt',
    metrics: bitcoinCoreMetrics,
    printMapsEverySeconds: MAP_PRINT_SECONDS,
    handler: (metrics, self, node, bpftrace) => {
      const deltas = new MapDeltas();
      const restore = mapKeyRestorer(bpftrace, REASONS_WITH_SPACES);
      return {
        printf(line) {
          const event = parseBitcoinCoreLine(line);
          applyBitcoinCoreEvent(metrics, node, event);
          self.event(event.type);
        },
        map: (name, value) => applyBitcoinCoreMap(metrics, node, deltas, name, value, restore),
        newRun: () => deltas.newRun(),
      };
    },
  });
}
