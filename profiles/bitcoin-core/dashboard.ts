// The Bitcoin Core dashboard: chain progress, P2P traffic and connections, mempool, UTXO cache.
import { matchVars, type DashboardSpec } from '../kit/dashboard-kit.js';
import { blockConnectionRow, exporterRow } from '../kit/shared-panels.js';

const n = matchVars('node');
const rate = (metric: string, by: string, extra = '') => `sum by (${by}) (rate(${metric}{${n}${extra}}[$__rate_interval]))`;

export const bitcoinCoreDashboard: DashboardSpec = {
  uid: 'fibre-stack-bitcoin-core',
  title: 'Bitcoin Core',
  description: 'Bitcoin Core traced through its USDT tracepoints: blocks, P2P, mempool and UTXO cache.',
  tags: ['bitcoin'],
  variables: [{ name: 'node', label: 'Node', metric: 'bitcoin_block_height', labelName: 'node' }],
  rows: [
    {
      title: 'Chain',
      panels: [
        { kind: 'stat', title: 'Block height', unit: 'none', w: 8, h: 5, description: 'Height of the last block connected, per node.', queries: [{ expr: `max by (node) (bitcoin_block_height{${n}})`, legend: '{{node}}', instant: true }] },
        { kind: 'stat', title: 'Blocks connected', unit: 'short', w: 8, h: 5, description: 'Blocks connected in the selected time range.', queries: [{ expr: `round(sum(increase(bitcoin_blocks_connected_total{${n}}[$__range])))`, instant: true }] },
        { kind: 'stat', title: 'Mempool additions', unit: 'short', w: 8, h: 5, description: 'Transactions added to the mempool in the selected time range.', queries: [{ expr: `round(sum(increase(bitcoin_mempool_added_total{${n}}[$__range])))`, instant: true }] },
      ],
    },
    blockConnectionRow(n),
    {
      title: 'P2P',
      panels: [
        { kind: 'timeseries', title: 'Messages by type', unit: 'ops', w: 12, description: 'P2P messages per second by direction and message type.', queries: [{ expr: rate('bitcoin_net_messages_total', 'direction, msg_type'), legend: '{{direction}} {{msg_type}}' }] },
        { kind: 'timeseries', title: 'Traffic by direction', unit: 'Bps', w: 12, description: 'P2P message bytes per second, inbound and outbound.', queries: [{ expr: rate('bitcoin_net_message_bytes_total', 'direction'), legend: '{{direction}}' }] },
        { kind: 'timeseries', title: 'Connections opened', unit: 'short', description: 'Connections opened per interval, by direction and network.', queries: [{ expr: `sum by (direction, network) (increase(bitcoin_net_connections_opened_total{${n}}[$__rate_interval]))`, legend: '{{direction}} {{network}}' }] },
        {
          kind: 'timeseries', title: 'Connections closed and evicted', unit: 'short', description: 'Connections closed, and inbound connections evicted, per interval.',
          queries: [
            { expr: `sum by (conn_type) (increase(bitcoin_net_connections_closed_total{${n}}[$__rate_interval]))`, legend: 'closed {{conn_type}}' },
            { expr: `sum by (conn_type) (increase(bitcoin_net_connections_evicted_total{${n}}[$__rate_interval]))`, legend: 'evicted {{conn_type}}' },
          ],
        },
        { kind: 'timeseries', title: 'Misbehaving peers', unit: 'short', description: 'Peers reported as misbehaving per interval.', queries: [{ expr: `sum by (node) (increase(bitcoin_net_misbehaving_total{${n}}[$__rate_interval]))`, legend: '{{node}}' }] },
      ],
    },
    {
      title: 'Mempool',
      panels: [
        { kind: 'timeseries', title: 'Mempool additions', unit: 'ops', description: 'Transactions added to the mempool per second.', queries: [{ expr: rate('bitcoin_mempool_added_total', 'node'), legend: '{{node}}' }] },
        { kind: 'timeseries', title: 'Mempool additions (vbytes)', unit: 'Bps', description: 'Virtual bytes of transactions added to the mempool per second.', queries: [{ expr: rate('bitcoin_mempool_added_vbytes_total', 'node'), legend: '{{node}}' }] },
        {
          kind: 'timeseries', title: 'Removals, rejections and replacements', unit: 'ops', description: 'Transactions removed (by reason), rejected (by reason) and replaced, per second.',
          queries: [
            { expr: rate('bitcoin_mempool_removed_total', 'reason'), legend: 'removed {{reason}}' },
            { expr: rate('bitcoin_mempool_rejected_total', 'reason'), legend: 'rejected {{reason}}' },
            { expr: rate('bitcoin_mempool_replaced_total', 'node'), legend: 'replaced {{node}}' },
          ],
        },
      ],
    },
    {
      title: 'UTXO cache',
      panels: [
        { kind: 'timeseries', title: 'UTXO cache flushes', unit: 'short', description: 'UTXO cache flushes per interval, by flush mode.', queries: [{ expr: `sum by (mode) (increase(bitcoin_utxocache_flushes_total{${n}}[$__rate_interval]))`, legend: '{{mode}}' }] },
        { kind: 'timeseries', title: 'UTXO flush duration', unit: 's', description: '95th percentile of UTXO cache flush time.', queries: [{ expr: `histogram_quantile(0.95, sum by (le, node) (rate(bitcoin_utxocache_flush_duration_seconds_bucket{${n}}[$__rate_interval])))`, legend: 'p95 {{node}}' }] },
        { kind: 'timeseries', title: 'UTXO cache memory', unit: 'bytes', description: 'UTXO cache memory at the last flush.', queries: [{ expr: `max by (node) (bitcoin_utxocache_memory_bytes{${n}})`, legend: '{{node}}' }] },
      ],
    },
    exporterRow('bitcoin-core'),
    {
      title: 'Log',
      panels: [
        { kind: 'logs', title: 'debug.log', w: 24, h: 10, description: "bitcoind's debug.log as shipped to Loki by the log agent.", expr: '{job="bitcoind", profile="bitcoin-core", node=~"$node"}' },
      ],
    },
  ],
};
