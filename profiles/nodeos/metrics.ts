// What Antelope nodeos serves on /v1/prometheus/metrics, name for name and type for type:
// AntelopeIO/spring@v1.2.2:plugins/prometheus_plugin/metrics.hpp (catalog_type, update()), the
// same names in spring v1.0.0-v1.2.2 and leap v5.0.3; and what leap 4.0 serves instead on its own
// port, only so the rules can tell a leap 4.0 target apart. nodeos serves these itself; they are
// here so dashboards and rules are checked against real names (test/nodeos-profile.test.ts
// compares them with test/fixtures/nodeos/, made from that source).
import { metric, type MetricDef } from '../../core/catalog.js';

const n = 'nodeos' as const;
type Unit = MetricDef['unit'];
const gauge = (name: string, help: string, labels: string[] = [], unit: Unit = 'none'): MetricDef => metric({ name, type: 'gauge', help, labels, unit, servedBy: n });
const counter = (name: string, help: string, labels: string[] = [], unit: Unit = 'none'): MetricDef => metric({ name, type: 'counter', help, labels, unit, servedBy: n });
/** One series per P2P connection (`connid`), set every connection-cleanup-period (30 s) and never removed (metrics.hpp 211-233). */
const perConnection = (name: string, help: string, unit: Unit = 'none') => gauge(name, `${help} Per connection; a closed connection's series keeps its last value.`, ['connid'], unit);
/** The nine timing counters nodeos keeps for produced and for speculative blocks (metrics.hpp 160-179). */
const blockTimings = (kind: 'produced' | 'speculative') => [
  counter(`nodeos_total_time_us_${kind}_block`, `Total time of ${kind} blocks, µs.`, [], 'microseconds'),
  counter(`nodeos_idle_time_us_${kind}_block`, `Idle time in ${kind} blocks, µs.`, [], 'microseconds'),
  counter(`nodeos_num_success_trx_${kind}_block`, `Successful transactions in ${kind} blocks.`),
  counter(`nodeos_success_trx_time_us_${kind}_block`, `Time spent on successful transactions in ${kind} blocks, µs.`, [], 'microseconds'),
  counter(`nodeos_num_failed_trx_${kind}_block`, `Failed transactions during ${kind} blocks.`),
  counter(`nodeos_fail_trx_time_us_${kind}_block`, `Time spent on failed transactions during ${kind} blocks, µs.`, [], 'microseconds'),
  counter(`nodeos_num_transient_trx_${kind}_block`, `Transient (read-only, dry-run) transactions during ${kind} blocks.`),
  counter(`nodeos_transient_trx_time_us_${kind}_block`, `Time spent on transient transactions during ${kind} blocks, µs.`, [], 'microseconds'),
  counter(`nodeos_other_time_us_${kind}_block`, `All other unaccounted time during ${kind} blocks, µs.`, [], 'microseconds'),
];

export const nodeosMetrics: readonly MetricDef[] = [
  // prometheus-cpp serves the Info family "nodeos" as nodeos_info, value 1, under "# TYPE nodeos gauge".
  gauge('nodeos_info', 'Static information about the server; always 1.', ['server_version', 'chain_id', 'server_version_string', 'server_full_version_string', 'earliest_available_block_num'], 'info'),
  counter('nodeos_http_requests_total', 'HTTP requests, by handler (the URL path of a registered API handler); a scrape is one.', ['handler']),
  counter('nodeos_p2p_failed_connections', 'Failed outgoing P2P connection attempts.'),
  counter('nodeos_p2p_dropped_trxs_total', 'Transactions the net plugin dropped.'),
  // Both count connection objects, open or not: nodeos_p2p_peers is about the configured outgoing
  // peers (p2p-peer-address) even while they reconnect (spring net_plugin.cpp 5021-5031, 4992-4996).
  gauge('nodeos_p2p_peers', 'Outgoing P2P connections (and BP peers), connected or reconnecting; set every 30 s, 0 for the first 45 s.'),
  gauge('nodeos_p2p_clients', 'Incoming P2P connections; set every 30 s.'),
  gauge('nodeos_p2p_addr', 'A P2P connection\'s address (the value is not set: read the labels).', ['connid', 'ipv6', 'address']),
  perConnection('nodeos_p2p_port', 'Port of the connection.'),
  perConnection('nodeos_p2p_connection_number', 'Monotonically increasing connection number.'),
  perConnection('nodeos_p2p_accepting_blocks', 'Whether the connection accepts blocks (1/0).'),
  perConnection('nodeos_p2p_last_received_block', 'Number of the last block received on the connection.', 'block_height'),
  perConnection('nodeos_p2p_first_available_block', 'First block the peer has.', 'block_height'),
  perConnection('nodeos_p2p_last_available_block', 'Last block the peer has.', 'block_height'),
  perConnection('nodeos_p2p_unique_first_block_count', 'Blocks this connection delivered first.'),
  perConnection('nodeos_p2p_latency', 'Last measured latency (ping time) to the peer, ns.'),
  perConnection('nodeos_p2p_bytes_received', 'Bytes received on the connection.', 'bytes'),
  perConnection('nodeos_p2p_last_bytes_received', 'When anything was last received from the peer, ns since the Unix epoch.'),
  perConnection('nodeos_p2p_bytes_sent', 'Bytes sent to the peer.', 'bytes'),
  perConnection('nodeos_p2p_last_bytes_sent', 'When anything was last sent to the peer, ns since the Unix epoch.'),
  perConnection('nodeos_p2p_block_sync_bytes_received', 'Bytes of blocks received while syncing.', 'bytes'),
  perConnection('nodeos_p2p_block_sync_bytes_sent', 'Bytes of blocks sent while syncing.', 'bytes'),
  perConnection('nodeos_p2p_block_sync_throttling', 'Whether block sync throttling is active (1/0).'),
  perConnection('nodeos_p2p_connection_start_time', 'When the connection last started, ns since the Unix epoch.'),
  counter('nodeos_cpu_usage_us_total', 'CPU usage billed in blocks, µs, by block type (produced, incoming).', ['block_type'], 'microseconds'),
  // Named _us_ upstream, but it adds NET usage in bytes (spring controller.cpp 3608, 3628).
  counter('nodeos_net_usage_us_total', 'NET usage billed in blocks, in bytes despite the name, by block type (produced, incoming).', ['block_type'], 'bytes'),
  gauge('nodeos_last_irreversible', 'Last irreversible block (LIB); while syncing updated every 1000 blocks, not while replaying.', [], 'block_height'),
  gauge('nodeos_head_block_num', 'Head block; while syncing updated every 1000 blocks, not while replaying.', [], 'block_height'),
  // Adds 0 in spring 1.1+ (the controller never sets it); it is not a queue length.
  counter('nodeos_unapplied_transactions_total', 'Unapplied transactions summed over produced blocks (always +0 from spring 1.1).'),
  counter('nodeos_subjective_bill_account_size_total', 'Subjective-bill account count summed over produced blocks.'),
  counter('nodeos_scheduled_trxs_total', 'Scheduled (deferred) transactions summed over produced blocks.'),
  counter('nodeos_trxs_produced_total', 'Transactions in blocks this node produced.'),
  counter('nodeos_produced_elapsed_us_total', 'Elapsed time of produced blocks, µs.', [], 'microseconds'),
  counter('nodeos_produced_us_total', 'Total time of produced blocks, µs.', [], 'microseconds'),
  counter('nodeos_blocks_produced', 'Blocks this node produced.'),
  // Registered for produced and for speculative blocks; prometheus-cpp merges them into one gauge.
  gauge('nodeos_block_num', 'Number of the block this node last produced or built speculatively (not the last applied).', [], 'block_height'),
  ...blockTimings('produced'),
  counter('nodeos_blocks_speculative_num', 'Speculative blocks built (in spring 1.1+ produced blocks too).'),
  ...blockTimings('speculative'),
  counter('nodeos_trxs_incoming_total', 'Transactions in blocks received from the network.'),
  counter('nodeos_incoming_elapsed_us_total', 'Elapsed time applying incoming blocks, µs.', [], 'microseconds'),
  counter('nodeos_incoming_us_total', 'Total time applying incoming blocks, µs.', [], 'microseconds'),
  counter('nodeos_incoming_us_block_latency', 'Sum over incoming blocks of (arrival time - block timestamp), µs.', [], 'microseconds'),
  counter('nodeos_blocks_incoming', 'Blocks received from the network and applied.'),
  counter('exposer_transferred_bytes_total', 'Bytes of responses to Prometheus scrapes.', [], 'bytes'),
  counter('exposer_scrapes_total', 'Prometheus scrapes received.'),
];

/**
 * leap 4.0 (AntelopeIO/leap@v4.0.6): another listener (prometheus-exporter-address, default
 * 127.0.0.1:9101) and other names, without the nodeos_ prefix. The profile does not chart them;
 * NodeosLeap4Metrics says so when a target serves them. exposer_* are the same as above.
 */
export const leap4Metrics: readonly MetricDef[] = [
  gauge('num_peers', 'leap 4.0: outgoing P2P connections.'),
  gauge('num_clients', 'leap 4.0: incoming P2P connections.'),
  counter('dropped_trxs', 'leap 4.0: transactions the net plugin dropped.'),
  gauge('unapplied_transactions', 'leap 4.0: unapplied transactions.'),
  gauge('blacklisted_transactions', 'leap 4.0: blacklisted transactions.'),
  counter('blocks_produced', 'leap 4.0: blocks produced.'),
  counter('trxs_produced', 'leap 4.0: transactions produced.'),
  gauge('last_irreversible', 'leap 4.0: last irreversible block.', [], 'block_height'),
  gauge('head_block_num', 'leap 4.0: head block.', [], 'block_height'),
  gauge('subjective_bill_account_size', 'leap 4.0: subjective-bill accounts.'),
  gauge('scheduled_trxs', 'leap 4.0: scheduled transactions.'),
  gauge('num_calls', 'leap 4.0: HTTP calls of the last handler in URL order (one unlabelled gauge).'),
];
