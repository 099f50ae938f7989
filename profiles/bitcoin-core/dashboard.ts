// The Bitcoin Core dashboard: chain progress, P2P traffic and connections, mempool, UTXO cache.
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import * as units from '@grafana/grafana-foundation-sdk/units';
import { buildDashboard, instantQuery, labelVariable, logQuery, logsPanel, matchVars, queries, rangeQuery, statPanel, sumRate, timeseriesPanel } from '../kit/dashboard-kit.js';
import { blockConnectionRow, exporterRow } from '../kit/shared-panels.js';
import { MACHINE } from '../kit/machine-labels.js';

const n = matchVars('node');

export function bitcoinCoreDashboard(): Dashboard {
  return buildDashboard({
    uid: 'fibre-stack-bitcoin-core',
    title: 'Bitcoin Core',
    description: 'Bitcoin Core traced through its USDT tracepoints: blocks, P2P, mempool and UTXO cache.',
    tags: ['bitcoin'],
    variables: [labelVariable('node', 'Node', 'bitcoin_block_height', 'node')],
    rows: [
      {
        title: 'Chain',
        panels: [
          statPanel('Block height', units.NoUnit, 'Height of the last block connected, per node.')
            .height(5)
            .targets(queries(instantQuery(`max by (${MACHINE}, node) (bitcoin_block_height{${n}})`, '{{node}}'))),
          statPanel('Blocks connected', units.Short, 'Blocks connected in the selected time range.')
            .height(5)
            .targets(queries(instantQuery(`round(sum(increase(bitcoin_blocks_connected_total{${n}}[$__range])))`))),
          statPanel('Mempool additions', units.Short, 'Transactions added to the mempool in the selected time range.')
            .height(5)
            .targets(queries(instantQuery(`round(sum(increase(bitcoin_mempool_added_total{${n}}[$__range])))`))),
        ],
      },
      blockConnectionRow(n),
      {
        title: 'P2P',
        panels: [
          timeseriesPanel('Messages by type', units.OpsPerSecond, 'P2P messages per second by direction and message type.')
            .span(12)
            .targets(queries(rangeQuery(sumRate('bitcoin_net_messages_total', `${MACHINE}, node, direction, msg_type`, n), '{{node}} {{direction}} {{msg_type}}'))),
          timeseriesPanel('Traffic by direction', units.BytesPerSecondSI, 'P2P message bytes per second, inbound and outbound.')
            .span(12)
            .targets(queries(rangeQuery(sumRate('bitcoin_net_message_bytes_total', `${MACHINE}, node, direction`, n), '{{node}} {{direction}}'))),
          timeseriesPanel('Connections opened', units.Short, 'Connections opened per interval, by direction and network.')
            .targets(queries(rangeQuery(`sum by (${MACHINE}, node, direction, network) (increase(bitcoin_net_connections_opened_total{${n}}[$__rate_interval]))`, '{{node}} {{direction}} {{network}}'))),
          timeseriesPanel('Connections closed and evicted', units.Short, 'Connections closed, and inbound connections evicted, per interval.')
            .targets(queries(
              rangeQuery(`sum by (${MACHINE}, node, conn_type) (increase(bitcoin_net_connections_closed_total{${n}}[$__rate_interval]))`, '{{node}} closed {{conn_type}}'),
              rangeQuery(`sum by (${MACHINE}, node, conn_type) (increase(bitcoin_net_connections_evicted_total{${n}}[$__rate_interval]))`, '{{node}} evicted {{conn_type}}'),
            )),
          timeseriesPanel('Misbehaving peers', units.Short, 'Peers reported as misbehaving per interval.')
            .targets(queries(rangeQuery(`sum by (${MACHINE}, node) (increase(bitcoin_net_misbehaving_total{${n}}[$__rate_interval]))`, '{{node}}'))),
        ],
      },
      {
        title: 'Mempool',
        panels: [
          timeseriesPanel('Mempool additions', units.OpsPerSecond, 'Transactions added to the mempool per second.')
            .targets(queries(rangeQuery(sumRate('bitcoin_mempool_added_total', `${MACHINE}, node`, n), '{{node}}'))),
          timeseriesPanel('Mempool additions (vbytes)', units.BytesPerSecondSI, 'Virtual bytes of transactions added to the mempool per second.')
            .targets(queries(rangeQuery(sumRate('bitcoin_mempool_added_vbytes_total', `${MACHINE}, node`, n), '{{node}}'))),
          timeseriesPanel('Removals, rejections and replacements', units.OpsPerSecond, 'Transactions removed (by reason), rejected (by reason) and replaced, per second.')
            .targets(queries(
              rangeQuery(sumRate('bitcoin_mempool_removed_total', `${MACHINE}, node, reason`, n), '{{node}} removed {{reason}}'),
              rangeQuery(sumRate('bitcoin_mempool_rejected_total', `${MACHINE}, node, reason`, n), '{{node}} rejected {{reason}}'),
              rangeQuery(sumRate('bitcoin_mempool_replaced_total', `${MACHINE}, node`, n), 'replaced {{node}}'),
            )),
        ],
      },
      {
        title: 'UTXO cache',
        panels: [
          timeseriesPanel('UTXO cache flushes', units.Short, 'UTXO cache flushes per interval, by flush mode.')
            .targets(queries(rangeQuery(`sum by (${MACHINE}, node, mode) (increase(bitcoin_utxocache_flushes_total{${n}}[$__rate_interval]))`, '{{node}} {{mode}}'))),
          timeseriesPanel('UTXO flush duration', units.Seconds, '95th percentile of UTXO cache flush time.')
            .targets(queries(rangeQuery(`histogram_quantile(0.95, sum by (le, ${MACHINE}, node) (rate(bitcoin_utxocache_flush_duration_seconds_bucket{${n}}[$__rate_interval])))`, 'p95 {{node}}'))),
          timeseriesPanel('UTXO cache memory', units.BytesIEC, 'UTXO cache memory at the last flush.')
            .targets(queries(rangeQuery(`max by (${MACHINE}, node) (bitcoin_utxocache_memory_bytes{${n}})`, '{{node}}'))),
        ],
      },
      exporterRow('bitcoin-core'),
      {
        title: 'Log',
        panels: [
          logsPanel('debug.log', "bitcoind's debug.log as shipped to Loki by the log agent.")
            .targets(queries(logQuery(`{job="bitcoind", ${n}}`))),
        ],
      },
    ],
  });
}
