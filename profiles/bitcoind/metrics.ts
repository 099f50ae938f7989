// Metrics of validation:block_connected, which FIBRE bitcoind and Bitcoin Core both fire, so the
// fibre and bitcoin-core profiles serve the same series (ABI.md section 1).
import { metric } from '../../core/catalog.js';

export const BLOCK_DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;
export const TX_COUNT_BUCKETS = [1, 10, 50, 100, 250, 500, 1000, 2000, 3000, 5000, 10000] as const;

export const blockConnectedMetrics = [
  metric({ name: 'bitcoin_blocks_connected_total', type: 'counter', help: 'Blocks connected to the active chain (validation:block_connected).', labels: ['node'], unit: 'none', servedBy: 'fibre-stack-exporter' }),
  metric({ name: 'bitcoin_block_connection_duration_seconds', type: 'histogram', help: 'Time to connect a block to the chain.', labels: ['node'], unit: 'seconds', buckets: BLOCK_DURATION_BUCKETS, servedBy: 'fibre-stack-exporter' }),
  metric({ name: 'bitcoin_block_tx_count', type: 'histogram', help: 'Transactions per connected block.', labels: ['node'], unit: 'none', buckets: TX_COUNT_BUCKETS, servedBy: 'fibre-stack-exporter' }),
];
