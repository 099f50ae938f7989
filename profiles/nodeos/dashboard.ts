// The Antelope nodeos dashboard, from what spring's prometheus_plugin serves (profiles/nodeos/
// metrics.ts): chain progress, block arrival and production timing, transactions, per-peer lag and
// latency, HTTP API. Counters are read through rate()/increase(); what the plugin cannot show is
// listed in the runbook (profiles/nodeos/runbook.md).
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import * as units from '@grafana/grafana-foundation-sdk/units';
import {
  buildDashboard, instantQuery, labelVariable, matchVars, queries, rangeQuery, stacked, statPanel, sumRate, tablePanel, tableQuery, thresholdSteps, timeseriesPanel,
} from '../kit/dashboard-kit.js';
import { MACHINE } from '../kit/machine-labels.js';

const n = matchVars('node');
/** Per-node rate of a counter over the dashboard's rate interval. */
const rate = (metric: string) => `sum by (${MACHINE}, node) (rate(${metric}{${n}}[$__rate_interval]))`;
/** A counter's growth per block of a kind (produced or incoming), from the two rates. */
const perBlock = (metric: string, blocks: string) => `${rate(metric)} / ${rate(blocks)}`;
const producedTimes = [
  ['nodeos_success_trx_time_us_produced_block', 'successful trx'],
  ['nodeos_fail_trx_time_us_produced_block', 'failed trx'],
  ['nodeos_transient_trx_time_us_produced_block', 'transient trx'],
  ['nodeos_other_time_us_produced_block', 'other'],
  ['nodeos_idle_time_us_produced_block', 'idle'],
] as const;

export function nodeosDashboard(): Dashboard {
  return buildDashboard({
    uid: 'fibre-stack-nodeos',
    title: 'Antelope nodeos',
    description: 'Antelope nodeos (spring 1.x, leap 5) through its prometheus_plugin: chain progress, block arrival and production, peers, API.',
    tags: ['antelope', 'nodeos'],
    variables: [labelVariable('node', 'Node', 'nodeos_head_block_num', 'node')],
    rows: [
      {
        title: 'Chain',
        panels: [
          statPanel('Head block', units.NoUnit, 'Head block number per node (while syncing nodeos updates it every 1000 blocks, and not at all while replaying).')
            .span(6).height(5)
            .targets(queries(instantQuery(`max by (${MACHINE}, node) (nodeos_head_block_num{${n}})`, '{{node}}'))),
          statPanel('Last irreversible block', units.NoUnit, 'Last irreversible block (LIB) per node.')
            .span(6).height(5)
            .targets(queries(instantQuery(`max by (${MACHINE}, node) (nodeos_last_irreversible{${n}})`, '{{node}}'))),
          statPanel('LIB lag', units.Short, 'Blocks between head and LIB: how far finality trails.')
            .span(6).height(5).thresholds(thresholdSteps([1000, 'orange']))
            .targets(queries(instantQuery(`max by (${MACHINE}, node) (nodeos_head_block_num{${n}} - nodeos_last_irreversible{${n}})`, '{{node}}'))),
          statPanel('P2P connections', units.Short, 'Outgoing (configured, connected or reconnecting) plus incoming P2P connections. Set every 30 s.')
            .span(6).height(5)
            .targets(queries(instantQuery(`sum by (${MACHINE}, node) (nodeos_p2p_peers{${n}} + nodeos_p2p_clients{${n}})`, '{{node}}'))),
          timeseriesPanel('Head and LIB advance', units.Short, 'Blocks head and LIB advanced per second (Antelope makes 2); both flat means the node or chain is stuck.')
            .span(24)
            .targets(queries(
              rangeQuery(`max by (${MACHINE}, node) (deriv(nodeos_head_block_num{${n}}[$__rate_interval]))`, 'head {{node}}'),
              rangeQuery(`max by (${MACHINE}, node) (deriv(nodeos_last_irreversible{${n}}[$__rate_interval]))`, 'LIB {{node}}'),
            )),
        ],
      },
      {
        title: 'Blocks and transactions',
        panels: [
          timeseriesPanel('Blocks produced and incoming', units.OpsPerSecond, 'Blocks this node produced and blocks it received and applied, per second.')
            .span(12)
            .targets(queries(
              rangeQuery(sumRate('nodeos_blocks_produced', `${MACHINE}, node`, n), 'produced {{node}}'),
              rangeQuery(sumRate('nodeos_blocks_incoming', `${MACHINE}, node`, n), 'incoming {{node}}'),
            )),
          timeseriesPanel('Transactions', units.OpsPerSecond, 'Transactions in produced blocks and in incoming blocks, per second.')
            .span(12)
            .targets(queries(
              rangeQuery(sumRate('nodeos_trxs_produced_total', `${MACHINE}, node`, n), 'produced {{node}}'),
              rangeQuery(sumRate('nodeos_trxs_incoming_total', `${MACHINE}, node`, n), 'incoming {{node}}'),
            )),
          timeseriesPanel('Block arrival latency', units.Microseconds, 'Mean time from an incoming block\'s timestamp to its arrival here, and mean time to apply it.')
            .span(12)
            .targets(queries(
              rangeQuery(perBlock('nodeos_incoming_us_block_latency', 'nodeos_blocks_incoming'), 'latency {{node}}'),
              rangeQuery(perBlock('nodeos_incoming_us_total', 'nodeos_blocks_incoming'), 'apply {{node}}'),
            )),
          timeseriesPanel('Dropped transactions', units.OpsPerSecond, 'Transactions the net plugin dropped, per second.')
            .span(12)
            .targets(queries(rangeQuery(sumRate('nodeos_p2p_dropped_trxs_total', `${MACHINE}, node`, n), '{{node}}'))),
          timeseriesPanel('CPU billed', units.Microseconds, 'CPU usage billed in blocks, microseconds per second, by block type.')
            .span(12)
            .targets(queries(rangeQuery(sumRate('nodeos_cpu_usage_us_total', `${MACHINE}, node, block_type`, n), '{{node}} {{block_type}}'))),
          timeseriesPanel('NET billed', units.BytesPerSecondSI, 'NET usage billed in blocks, bytes per second, by block type (nodeos_net_usage_us_total counts bytes despite its name).')
            .span(12)
            .targets(queries(rangeQuery(sumRate('nodeos_net_usage_us_total', `${MACHINE}, node, block_type`, n), '{{node}} {{block_type}}'))),
        ],
      },
      {
        title: 'Block production (producers)',
        panels: [
          stacked(timeseriesPanel('Produced block time', units.Microseconds, 'Where the time of a produced block went, mean per produced block: transactions that succeeded, failed or were transient, other work, idle.'))
            .span(12)
            .targets(queries(...producedTimes.map(([metric, legend]) => rangeQuery(perBlock(metric, 'nodeos_blocks_produced'), `${legend} {{node}}`)))),
          timeseriesPanel('Transactions per produced block', units.Short, 'Mean successful and failed transactions per produced block.')
            .span(12)
            .targets(queries(
              rangeQuery(perBlock('nodeos_num_success_trx_produced_block', 'nodeos_blocks_produced'), 'successful {{node}}'),
              rangeQuery(perBlock('nodeos_num_failed_trx_produced_block', 'nodeos_blocks_produced'), 'failed {{node}}'),
            )),
        ],
      },
      {
        title: 'Peers and API',
        panels: [
          tablePanel('Peers', units.Short, 'Per P2P connection: blocks behind this node\'s head, latency (ms) and seconds since anything was received. Closed connections keep their last values.')
            .span(24).height(9)
            .targets(queries(
              tableQuery(`max by (${MACHINE}, node) (nodeos_head_block_num{${n}}) - on (${MACHINE}, node) group_right () max by (${MACHINE}, node, connid) (nodeos_p2p_last_received_block{${n}})`),
              tableQuery(`max by (${MACHINE}, node, connid) (nodeos_p2p_latency{${n}}) / 1e6`),
              tableQuery(`time() - max by (${MACHINE}, node, connid) (nodeos_p2p_last_bytes_received{${n}}) / 1e9`),
            )),
          timeseriesPanel('Peer lag', units.Short, 'Blocks between this node\'s head and the last block received on each connection.')
            .targets(queries(rangeQuery(`max by (${MACHINE}, node) (nodeos_head_block_num{${n}}) - on (${MACHINE}, node) group_right () max by (${MACHINE}, node, connid) (nodeos_p2p_last_received_block{${n}})`, '{{node}} {{connid}}'))),
          timeseriesPanel('Peer latency', units.Seconds, 'Last measured latency to each peer.')
            .targets(queries(rangeQuery(`max by (${MACHINE}, node, connid) (nodeos_p2p_latency{${n}}) / 1e9`, '{{node}} {{connid}}'))),
          timeseriesPanel('P2P connections and failures', units.Short, 'Outgoing and incoming connections, and failed outgoing connection attempts per interval.')
            .targets(queries(
              rangeQuery(`sum by (${MACHINE}, node) (nodeos_p2p_peers{${n}})`, 'outgoing {{node}}'),
              rangeQuery(`sum by (${MACHINE}, node) (nodeos_p2p_clients{${n}})`, 'incoming {{node}}'),
              rangeQuery(`sum by (${MACHINE}, node) (increase(nodeos_p2p_failed_connections{${n}}[$__rate_interval]))`, 'failed {{node}}'),
            )),
          timeseriesPanel('HTTP requests', units.RequestsPerSecond, 'HTTP API requests per second, by handler.')
            .targets(queries(rangeQuery(sumRate('nodeos_http_requests_total', `${MACHINE}, node, handler`, n), '{{node}} {{handler}}'))),
          statPanel('Build', units.NoUnit, 'nodeos version and chain, from nodeos_info.')
            .targets(queries(instantQuery(`max by (${MACHINE}, node, server_version_string, chain_id) (nodeos_info{${n}})`, '{{node}} {{server_version_string}}'))),
        ],
      },
    ],
  });
}
