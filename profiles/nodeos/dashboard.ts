// The Antelope nodeos dashboard: head and LIB, blocks, transactions, peers, HTTP, CPU/NET usage.
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import * as units from '@grafana/grafana-foundation-sdk/units';
import {
  barGaugePanel, buildDashboard, instantQuery, labelVariable, matchVars, queries, rangeQuery, statPanel, sumRate, thresholdSteps, timeseriesPanel,
} from '../kit/dashboard-kit.js';

const n = matchVars('node');

export function nodeosDashboard(): Dashboard {
  return buildDashboard({
    uid: 'fibre-stack-nodeos',
    title: 'Antelope nodeos',
    description: 'Antelope nodeos through its prometheus_plugin: chain progress, blocks, transactions, peers, API.',
    tags: ['antelope', 'nodeos'],
    variables: [labelVariable('node', 'Node', 'nodeos_head_block_num', 'node')],
    rows: [
      {
        title: 'Chain',
        panels: [
          statPanel('Head block', units.NoUnit, 'Head block number per node.')
            .span(6).height(5)
            .targets(queries(instantQuery(`max by (node) (nodeos_head_block_num{${n}})`, '{{node}}'))),
          statPanel('Last irreversible block', units.NoUnit, 'Last irreversible block (LIB) per node.')
            .span(6).height(5)
            .targets(queries(instantQuery(`max by (node) (nodeos_last_irreversible{${n}})`, '{{node}}'))),
          statPanel('LIB lag', units.Short, 'Blocks between head and LIB: how far finality trails.')
            .span(6).height(5).thresholds(thresholdSteps([1000, 'orange']))
            .targets(queries(instantQuery(`max by (node) (nodeos_head_block_num{${n}} - nodeos_last_irreversible{${n}})`, '{{node}}'))),
          statPanel('P2P peers', units.Short, 'P2P connections to peers, per node.')
            .span(6).height(5)
            .targets(queries(instantQuery(`sum by (node) (nodeos_p2p_peers{${n}})`, '{{node}}'))),
          timeseriesPanel('Head and LIB advance', units.Short, 'Blocks head and LIB advanced per second; both flat means the node or chain is stuck.')
            .span(24)
            .targets(queries(
              rangeQuery(`max by (node) (deriv(nodeos_head_block_num{${n}}[$__rate_interval]))`, 'head {{node}}'),
              rangeQuery(`max by (node) (deriv(nodeos_last_irreversible{${n}}[$__rate_interval]))`, 'LIB {{node}}'),
            )),
        ],
      },
      {
        title: 'Blocks and transactions',
        panels: [
          timeseriesPanel('Blocks produced and incoming', units.OpsPerSecond, 'Blocks this node produced and blocks it received, per second.')
            .span(12)
            .targets(queries(
              rangeQuery(sumRate('nodeos_blocks_produced', 'node', n), 'produced {{node}}'),
              rangeQuery(sumRate('nodeos_blocks_incoming', 'node', n), 'incoming {{node}}'),
            )),
          timeseriesPanel('Transactions', units.OpsPerSecond, 'Transactions in produced blocks and transactions received, per second.')
            .span(12)
            .targets(queries(
              rangeQuery(sumRate('nodeos_trxs_produced_total', 'node', n), 'produced {{node}}'),
              rangeQuery(sumRate('nodeos_trxs_incoming_total', 'node', n), 'incoming {{node}}'),
            )),
          timeseriesPanel('Pending transactions', units.Short, 'Unapplied and scheduled (deferred) transactions waiting.')
            .span(12)
            .targets(queries(
              rangeQuery(`sum by (node) (nodeos_unapplied_transactions_total{${n}})`, 'unapplied {{node}}'),
              rangeQuery(`sum by (node) (nodeos_scheduled_trxs_total{${n}})`, 'scheduled {{node}}'),
            )),
          timeseriesPanel('CPU and NET usage billed', units.Microseconds, 'CPU and NET usage billed in blocks, microseconds per second, by block type.')
            .span(12)
            .targets(queries(
              rangeQuery(sumRate('nodeos_cpu_usage_us_total', 'block_type', n), 'CPU {{block_type}}'),
              rangeQuery(sumRate('nodeos_net_usage_us_total', 'block_type', n), 'NET {{block_type}}'),
            )),
        ],
      },
      {
        title: 'Network and API',
        panels: [
          timeseriesPanel('P2P connections', units.Short, 'P2P peers, clients and failed connections.')
            .targets(queries(
              rangeQuery(`sum by (node) (nodeos_p2p_peers{${n}})`, 'peers {{node}}'),
              rangeQuery(`sum by (node) (nodeos_p2p_clients{${n}})`, 'clients {{node}}'),
              rangeQuery(`sum by (node) (nodeos_p2p_failed_connections{${n}})`, 'failed {{node}}'),
            )),
          timeseriesPanel('HTTP requests', units.RequestsPerSecond, 'HTTP API requests per second, by handler.')
            .targets(queries(rangeQuery(sumRate('nodeos_http_requests_total', 'handler', n), '{{handler}}'))),
          barGaugePanel('Finality votes by producer', units.Short, 'Finality votes seen per producer (Savanna).')
            .targets(queries(instantQuery(`sum by (producer) (nodeos_block_votes{${n}})`, '{{producer}}'))),
        ],
      },
    ],
  });
}
