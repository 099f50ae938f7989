// Mainline Bitcoin Core tracepoints (ABI.md section 2). High-rate probes (messages, mempool) are
// counted in kernel maps and read on an interval, so these are counters with bounded labels.
import { metric } from '../../core/catalog.js';
import { blockConnectedMetrics } from '../bitcoind/metrics.js';
import { exporterSelfMetrics } from '../kit/exporter-self-metrics.js';

export const UTXO_FLUSH_BUCKETS = [0.001, 0.01, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120] as const;

const x = 'fibre-stack-exporter' as const;
export const bitcoinCoreMetrics = [
  metric({ name: 'bitcoin_net_messages_total', type: 'counter', help: 'P2P messages, by direction (inbound/outbound) and message type.', labels: ['node', 'direction', 'msg_type'], unit: 'none', servedBy: x }),
  metric({ name: 'bitcoin_net_message_bytes_total', type: 'counter', help: 'P2P message bytes, by direction and message type.', labels: ['node', 'direction', 'msg_type'], unit: 'bytes', servedBy: x }),
  metric({ name: 'bitcoin_net_connections_opened_total', type: 'counter', help: 'Connections opened, by direction, connection type and network.', labels: ['node', 'direction', 'conn_type', 'network'], unit: 'none', servedBy: x }),
  metric({ name: 'bitcoin_net_connections_closed_total', type: 'counter', help: 'Connections closed, by connection type and network.', labels: ['node', 'conn_type', 'network'], unit: 'none', servedBy: x }),
  metric({ name: 'bitcoin_net_connections_evicted_total', type: 'counter', help: 'Inbound connections evicted, by connection type and network.', labels: ['node', 'conn_type', 'network'], unit: 'none', servedBy: x }),
  metric({ name: 'bitcoin_net_misbehaving_total', type: 'counter', help: 'Peers reported as misbehaving.', labels: ['node'], unit: 'none', servedBy: x }),
  metric({ name: 'bitcoin_block_height', type: 'gauge', help: 'Height of the last block connected.', labels: ['node'], unit: 'block_height', servedBy: x }),
  metric({ name: 'bitcoin_mempool_added_total', type: 'counter', help: 'Transactions added to the mempool.', labels: ['node'], unit: 'none', servedBy: x }),
  metric({ name: 'bitcoin_mempool_added_vbytes_total', type: 'counter', help: 'Virtual bytes of transactions added to the mempool.', labels: ['node'], unit: 'bytes', servedBy: x }),
  metric({ name: 'bitcoin_mempool_removed_total', type: 'counter', help: 'Transactions removed from the mempool, by reason.', labels: ['node', 'reason'], unit: 'none', servedBy: x }),
  metric({ name: 'bitcoin_mempool_rejected_total', type: 'counter', help: 'Transactions rejected from the mempool, by reason.', labels: ['node', 'reason'], unit: 'none', servedBy: x }),
  metric({ name: 'bitcoin_mempool_replaced_total', type: 'counter', help: 'Transactions replaced (RBF).', labels: ['node'], unit: 'none', servedBy: x }),
  metric({ name: 'bitcoin_utxocache_flushes_total', type: 'counter', help: 'UTXO cache flushes, by flush mode.', labels: ['node', 'mode'], unit: 'none', servedBy: x }),
  metric({ name: 'bitcoin_utxocache_flush_duration_seconds', type: 'histogram', help: 'Time a UTXO cache flush took.', labels: ['node'], unit: 'seconds', buckets: UTXO_FLUSH_BUCKETS, servedBy: x }),
  metric({ name: 'bitcoin_utxocache_flushed_coins_total', type: 'counter', help: 'Coins written by UTXO cache flushes.', labels: ['node'], unit: 'none', servedBy: x }),
  metric({ name: 'bitcoin_utxocache_memory_bytes', type: 'gauge', help: 'UTXO cache memory at the last flush.', labels: ['node'], unit: 'bytes', servedBy: x }),
  ...blockConnectedMetrics,
  ...exporterSelfMetrics,
];
