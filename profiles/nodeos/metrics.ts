// Antelope nodeos prometheus_plugin metrics (ABI.md section 5). nodeos serves these itself;
// they are here so dashboards and rules are checked against real names.
import { metric, type MetricDef } from '../../core/catalog.js';

const n = 'nodeos' as const;
const gauge = (name: string, help: string, labels: string[] = []): MetricDef => ({ name, type: 'gauge', help, labels, unit: 'none', servedBy: n });
const counter = (name: string, help: string, labels: string[] = [], unit: MetricDef['unit'] = 'none'): MetricDef => ({ name, type: 'counter', help, labels, unit, servedBy: n });

export const nodeosMetrics = [
  metric({ ...gauge('nodeos_info', 'nodeos build information; always 1.', ['server_version', 'chain_id', 'server_version_string', 'server_full_version_string', 'earliest_available_block']), unit: 'info' }),
  metric({ ...gauge('nodeos_head_block_num', 'Head block number.'), unit: 'block_height' }),
  metric({ ...gauge('nodeos_last_irreversible', 'Last irreversible block number (LIB).'), unit: 'block_height' }),
  metric({ ...gauge('nodeos_block_num', 'Number of the last block applied.'), unit: 'block_height' }),
  counter('nodeos_blocks_produced', 'Blocks produced by this node.'),
  counter('nodeos_blocks_incoming', 'Blocks received from the network.'),
  counter('nodeos_trxs_produced_total', 'Transactions in produced blocks.'),
  counter('nodeos_trxs_incoming_total', 'Transactions received.'),
  gauge('nodeos_unapplied_transactions_total', 'Transactions waiting to be applied.'),
  gauge('nodeos_scheduled_trxs_total', 'Scheduled (deferred) transactions.'),
  gauge('nodeos_p2p_peers', 'P2P connections to peers.'),
  gauge('nodeos_p2p_clients', 'P2P connections from clients.'),
  gauge('nodeos_p2p_failed_connections', 'P2P connections that failed.'),
  counter('nodeos_http_requests_total', 'HTTP API requests, by handler.', ['handler']),
  counter('nodeos_cpu_usage_us_total', 'CPU usage billed in blocks, by block type.', ['block_type'], 'microseconds'),
  counter('nodeos_net_usage_us_total', 'NET usage billed in blocks, by block type.', ['block_type'], 'microseconds'),
  gauge('nodeos_block_votes', 'Finality votes seen, by producer.', ['producer']),
];
