// The Antelope nodeos dashboard: head and LIB, blocks, transactions, peers, HTTP, CPU/NET usage.
import { matchVars, type DashboardSpec } from '../kit/dashboard-kit.js';

const n = matchVars('node');
const rate = (metric: string, by: string) => `sum by (${by}) (rate(${metric}{${n}}[$__rate_interval]))`;

export const nodeosDashboard: DashboardSpec = {
  uid: 'fibre-stack-nodeos',
  title: 'Antelope nodeos',
  description: 'Antelope nodeos through its prometheus_plugin: chain progress, blocks, transactions, peers, API.',
  tags: ['antelope', 'nodeos'],
  variables: [{ name: 'node', label: 'Node', metric: 'nodeos_head_block_num', labelName: 'node' }],
  rows: [
    {
      title: 'Chain',
      panels: [
        { kind: 'stat', title: 'Head block', unit: 'none', w: 6, h: 5, description: 'Head block number per node.', queries: [{ expr: `max by (node) (nodeos_head_block_num{${n}})`, legend: '{{node}}', instant: true }] },
        { kind: 'stat', title: 'Last irreversible block', unit: 'none', w: 6, h: 5, description: 'Last irreversible block (LIB) per node.', queries: [{ expr: `max by (node) (nodeos_last_irreversible{${n}})`, legend: '{{node}}', instant: true }] },
        { kind: 'stat', title: 'LIB lag', unit: 'short', w: 6, h: 5, description: 'Blocks between head and LIB: how far finality trails.', queries: [{ expr: `max by (node) (nodeos_head_block_num{${n}} - nodeos_last_irreversible{${n}})`, legend: '{{node}}', instant: true }], thresholds: [[1000, 'orange']] },
        { kind: 'stat', title: 'P2P peers', unit: 'short', w: 6, h: 5, description: 'P2P connections to peers, per node.', queries: [{ expr: `sum by (node) (nodeos_p2p_peers{${n}})`, legend: '{{node}}', instant: true }] },
        {
          kind: 'timeseries', title: 'Head and LIB advance', unit: 'short', w: 24, description: 'Blocks head and LIB advanced per second; both flat means the node or chain is stuck.',
          queries: [
            { expr: `max by (node) (deriv(nodeos_head_block_num{${n}}[$__rate_interval]))`, legend: 'head {{node}}' },
            { expr: `max by (node) (deriv(nodeos_last_irreversible{${n}}[$__rate_interval]))`, legend: 'LIB {{node}}' },
          ],
        },
      ],
    },
    {
      title: 'Blocks and transactions',
      panels: [
        {
          kind: 'timeseries', title: 'Blocks produced and incoming', unit: 'ops', w: 12, description: 'Blocks this node produced and blocks it received, per second.',
          queries: [
            { expr: rate('nodeos_blocks_produced', 'node'), legend: 'produced {{node}}' },
            { expr: rate('nodeos_blocks_incoming', 'node'), legend: 'incoming {{node}}' },
          ],
        },
        {
          kind: 'timeseries', title: 'Transactions', unit: 'ops', w: 12, description: 'Transactions in produced blocks and transactions received, per second.',
          queries: [
            { expr: rate('nodeos_trxs_produced_total', 'node'), legend: 'produced {{node}}' },
            { expr: rate('nodeos_trxs_incoming_total', 'node'), legend: 'incoming {{node}}' },
          ],
        },
        {
          kind: 'timeseries', title: 'Pending transactions', unit: 'short', w: 12, description: 'Unapplied and scheduled (deferred) transactions waiting.',
          queries: [
            { expr: `sum by (node) (nodeos_unapplied_transactions_total{${n}})`, legend: 'unapplied {{node}}' },
            { expr: `sum by (node) (nodeos_scheduled_trxs_total{${n}})`, legend: 'scheduled {{node}}' },
          ],
        },
        {
          kind: 'timeseries', title: 'CPU and NET usage billed', unit: 'µs', w: 12, description: 'CPU and NET usage billed in blocks, microseconds per second, by block type.',
          queries: [
            { expr: rate('nodeos_cpu_usage_us_total', 'block_type'), legend: 'CPU {{block_type}}' },
            { expr: rate('nodeos_net_usage_us_total', 'block_type'), legend: 'NET {{block_type}}' },
          ],
        },
      ],
    },
    {
      title: 'Network and API',
      panels: [
        {
          kind: 'timeseries', title: 'P2P connections', unit: 'short', description: 'P2P peers, clients and failed connections.',
          queries: [
            { expr: `sum by (node) (nodeos_p2p_peers{${n}})`, legend: 'peers {{node}}' },
            { expr: `sum by (node) (nodeos_p2p_clients{${n}})`, legend: 'clients {{node}}' },
            { expr: `sum by (node) (nodeos_p2p_failed_connections{${n}})`, legend: 'failed {{node}}' },
          ],
        },
        { kind: 'timeseries', title: 'HTTP requests', unit: 'reqps', description: 'HTTP API requests per second, by handler.', queries: [{ expr: rate('nodeos_http_requests_total', 'handler'), legend: '{{handler}}' }] },
        { kind: 'bargauge', title: 'Finality votes by producer', unit: 'short', description: 'Finality votes seen per producer (Savanna).', queries: [{ expr: `sum by (producer) (nodeos_block_votes{${n}})`, legend: '{{producer}}', instant: true }] },
      ],
    },
  ],
};
