// FIBRE relay metrics, names, labels and buckets as the original exporter's (ABI.md section 1).
import { metric } from '../../core/catalog.js';
import { BLOCK_DURATION_BUCKETS, blockConnectedMetrics } from '../bitcoind/metrics.js';
import { exporterSelfMetrics } from '../kit/exporter-self-metrics.js';

export const CHUNKS_USED_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000] as const;
// The original exporter's race buckets, so quantiles on existing dashboards mean the same:
// w0xlt/fibre-monitoring@a388ad9:fibre_exporter.py lines 264-276 (the last version before the race
// metrics were removed in 220fa47; the same lists since the first commit ca5bf9c).
export const RACE_LATENCY_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10] as const;
export const RACE_MARGIN_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1] as const;
// udp:block_reconstruction_detail, as the bitcoinfibre exporter that attaches it exports it:
// bitcoinfibre/fibre-monitoring@ddb32c3b (v1.2.0):fibre_exporter.py, class FibreMetrics.
export const MISSING_TX_COUNT_BUCKETS = [0, 1, 2, 5, 10, 20, 50, 100, 250, 500, 1000, 2000, 5000, 10000] as const;
export const MISSING_TX_BYTES_BUCKETS = [100, 500, 1000, 5000, 10_000, 50_000, 100_000, 250_000, 500_000, 1_000_000, 2_000_000, 4_000_000] as const;
export const MEMPOOL_TX_COUNT_BUCKETS = [0, 1, 10, 50, 100, 250, 500, 1000, 2000, 3000, 5000, 10000] as const;

const x = 'fibre-stack-exporter' as const;
export const fibreMetrics = [
  metric({ name: 'fibre_blocks_reconstructed_total', type: 'counter', help: 'Blocks reconstructed from FIBRE/UDP chunks.', labels: ['node'], unit: 'none', servedBy: x }),
  metric({ name: 'fibre_chunks_received_total', type: 'counter', help: 'FEC chunks received for reconstructed blocks.', labels: ['node'], unit: 'none', servedBy: x }),
  metric({ name: 'fibre_chunks_used_total', type: 'counter', help: 'FEC chunks used to reconstruct blocks.', labels: ['node'], unit: 'none', servedBy: x }),
  metric({ name: 'fibre_blocks_sent_total', type: 'counter', help: 'Blocks this node started sending over FIBRE/UDP.', labels: ['node'], unit: 'none', servedBy: x }),
  metric({ name: 'fibre_block_deliveries_total', type: 'counter', help: 'Blocks delivered, by mechanism and supplying peer.', labels: ['node', 'mechanism', 'peer'], unit: 'none', servedBy: x }),
  metric({ name: 'fibre_races_with_both_total', type: 'counter', help: 'Block races in which both FIBRE/UDP and compact blocks delivered.', labels: ['node'], unit: 'none', servedBy: x }),
  metric({ name: 'fibre_block_race_wins_total', type: 'counter', help: 'Block races won, by mechanism.', labels: ['node', 'mechanism'], unit: 'none', servedBy: x }),
  metric({ name: 'fibre_block_reconstruction_duration_seconds', type: 'histogram', help: 'Time from the first header packet to reconstruction.', labels: ['node'], unit: 'seconds', buckets: BLOCK_DURATION_BUCKETS, servedBy: x }),
  metric({ name: 'fibre_block_chunks_used', type: 'histogram', help: 'Chunks used per reconstructed block.', labels: ['node'], unit: 'none', buckets: CHUNKS_USED_BUCKETS, servedBy: x }),
  metric({ name: 'fibre_block_race_latency_seconds', type: 'histogram', help: 'Time each mechanism took to deliver a raced block.', labels: ['node', 'mechanism'], unit: 'seconds', buckets: RACE_LATENCY_BUCKETS, servedBy: x }),
  metric({ name: 'fibre_race_margin_seconds', type: 'histogram', help: 'How far the winner was ahead of the other mechanism.', labels: ['node', 'winner'], unit: 'seconds', buckets: RACE_MARGIN_BUCKETS, servedBy: x }),
  metric({ name: 'fibre_last_block_height', type: 'gauge', help: 'Height of the last block seen.', labels: ['node'], unit: 'block_height', servedBy: x }),
  metric({ name: 'fibre_block_missing_tx_count', type: 'histogram', help: 'Number of transactions not locally available before FIBRE reconstruction.', labels: ['node'], unit: 'none', buckets: MISSING_TX_COUNT_BUCKETS, servedBy: x }),
  metric({ name: 'fibre_block_missing_tx_bytes', type: 'histogram', help: 'Total serialized size of transactions not locally available before FIBRE reconstruction.', labels: ['node'], unit: 'bytes', buckets: MISSING_TX_BYTES_BUCKETS, servedBy: x }),
  metric({ name: 'fibre_block_mempool_tx_count', type: 'histogram', help: 'Number of transactions satisfied from the local mempool during FIBRE reconstruction.', labels: ['node'], unit: 'none', buckets: MEMPOOL_TX_COUNT_BUCKETS, servedBy: x }),
  // Needs the probe's arg6, which bpftrace reads from 0.24 on only (exporter/bpftrace-version.ts).
  metric({ name: 'fibre_block_all_tx_from_mempool_total', type: 'counter', help: 'FIBRE-reconstructed blocks whose non-prefilled transactions were all satisfied from the local mempool (bpftrace 0.24 or later).', labels: ['node'], unit: 'none', servedBy: x }),
  ...blockConnectedMetrics,
  ...exporterSelfMetrics,
];
