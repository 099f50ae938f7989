// FIBRE relay metrics, names, labels and buckets as the original exporter's (ABI.md section 1).
import { metric } from '../../core/catalog.js';
import { BLOCK_DURATION_BUCKETS, blockConnectedMetrics } from '../bitcoind/metrics.js';
import { exporterSelfMetrics } from '../kit/exporter-self-metrics.js';

export const CHUNKS_USED_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000] as const;
// Race latency and margin are not fixed by the original; sub-millisecond to seconds covers relays.
export const RACE_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] as const;

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
  metric({ name: 'fibre_block_race_latency_seconds', type: 'histogram', help: 'Time each mechanism took to deliver a raced block.', labels: ['node', 'mechanism'], unit: 'seconds', buckets: RACE_BUCKETS, servedBy: x }),
  metric({ name: 'fibre_race_margin_seconds', type: 'histogram', help: 'How far the winner was ahead of the other mechanism.', labels: ['node', 'winner'], unit: 'seconds', buckets: RACE_BUCKETS, servedBy: x }),
  metric({ name: 'fibre_last_block_height', type: 'gauge', help: 'Height of the last block seen.', labels: ['node'], unit: 'block_height', servedBy: x }),
  ...blockConnectedMetrics,
  ...exporterSelfMetrics,
];
