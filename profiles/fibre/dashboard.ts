// The FIBRE relay dashboard: everything the original fibre-monitoring dashboard showed, plus the
// race view and bitcoind's race lines from Loki. The uid is the original's, so links keep working.
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import * as units from '@grafana/grafana-foundation-sdk/units';
import {
  barGaugePanel, buildDashboard, instantQuery, labelVariable, logQuery, logsPanel, matchVars, queries, rangeQuery, stacked, statPanel,
  sumRate, tablePanel, tableQuery, timeseriesPanel,
} from '../kit/dashboard-kit.js';
import { blockConnectionRow, exporterRow } from '../kit/shared-panels.js';
import { MACHINE } from '../kit/machine-labels.js';

const n = matchVars('node');
const inc = (metric: string, extra = '') => `increase(${metric}{${n}${extra}}[$__range])`;
/** Per node means per node and machine: a fleet hub has nodes of one name on several machines. */
const grouping = (by: string) => (by.split(', ').includes('node') ? `${MACHINE}, ${by}` : by);
const hq = (q: string, metric: string, by: string, extra = '') => `histogram_quantile(${q}, sum by (le, ${grouping(by)}) (rate(${metric}_bucket{${n}${extra}}[$__rate_interval])))`;
/** Range queries for these quantiles of a histogram, legended p50, p95, ... */
const quantiles = (qs: string[], metric: string, by: string) => qs.map((q) => rangeQuery(hq(q, metric, by), `p${Number(q) * 100} {{${by}}}`));

export function fibreDashboard(): Dashboard {
  return buildDashboard({
    uid: 'fibre-relay',
    title: 'FIBRE Block Relay',
    description: 'FIBRE/UDP block relay: reconstruction, chunks, deliveries and the race against compact blocks.',
    tags: ['fibre', 'bitcoin'],
    variables: [labelVariable('node', 'Node', 'fibre_last_block_height', 'node')],
    rows: [
      {
        title: 'Overview',
        panels: [
          statPanel('Blocks reconstructed', units.Short, 'Blocks reconstructed from FIBRE/UDP chunks in the selected time range.')
            .span(5).height(5)
            .targets(queries(instantQuery(`round(sum(${inc('fibre_blocks_reconstructed_total')}))`))),
          statPanel('Blocks sent', units.Short, 'Blocks this relay started sending over FIBRE/UDP in the selected time range.')
            .span(5).height(5)
            .targets(queries(instantQuery(`round(sum(${inc('fibre_blocks_sent_total')}))`))),
          statPanel('Block height', units.NoUnit, 'Height of the last block seen, per node.')
            .span(4).height(5)
            .targets(queries(instantQuery(`max by (${MACHINE}, node) (fibre_last_block_height{${n}})`, '{{node}}'))),
          statPanel('FIBRE win rate', units.PercentUnit, 'Share of block races FIBRE/UDP won in the selected time range (races are blocks that came over both FIBRE/UDP and compact blocks).')
            .span(5).height(5).min(0).max(1)
            .targets(queries(instantQuery(`sum(${inc('fibre_block_race_wins_total', ', mechanism="fibre_udp"')}) / sum(${inc('fibre_block_race_wins_total')})`))),
          statPanel('Races with both', units.Short, 'Races in which both FIBRE/UDP and compact blocks delivered the block, in the selected time range.')
            .span(5).height(5)
            .targets(queries(instantQuery(`round(sum(${inc('fibre_races_with_both_total')}))`))),
        ],
      },
      {
        title: 'Reconstruction',
        panels: [
          timeseriesPanel('Block reconstruction time', units.Seconds, 'Time from the first header packet to a reconstructed block: p50, p95, p99.')
            .targets(queries(...quantiles(['0.5', '0.95', '0.99'], 'fibre_block_reconstruction_duration_seconds', 'node'))),
          timeseriesPanel('Chunk throughput', units.CountsPerSecond, 'FEC chunks received and used for reconstruction, per second.')
            .targets(queries(
              rangeQuery(sumRate('fibre_chunks_received_total', `${MACHINE}, node`, n), 'received {{node}}'),
              rangeQuery(sumRate('fibre_chunks_used_total', `${MACHINE}, node`, n), 'used {{node}}'),
            )),
          timeseriesPanel('Chunk efficiency (used/received)', units.PercentUnit, 'Chunks used over chunks received: low values mean chunks arrive that reconstruction did not need.')
            .min(0).max(1)
            .targets(queries(rangeQuery(`${sumRate('fibre_chunks_used_total', `${MACHINE}, node`, n)} / ${sumRate('fibre_chunks_received_total', `${MACHINE}, node`, n)}`, '{{node}}'))),
          timeseriesPanel('Chunks used per block', units.Short, 'Median and 95th percentile of chunks needed to reconstruct a block.')
            .span(12)
            .targets(queries(...quantiles(['0.5', '0.95'], 'fibre_block_chunks_used', 'node'))),
          timeseriesPanel('Blocks reconstructed and sent', units.Short, 'Blocks reconstructed from and sent over FIBRE/UDP per interval.')
            .span(12)
            .targets(queries(
              rangeQuery(`sum by (${MACHINE}, node) (increase(fibre_blocks_reconstructed_total{${n}}[$__rate_interval]))`, 'reconstructed {{node}}'),
              rangeQuery(`sum by (${MACHINE}, node) (increase(fibre_blocks_sent_total{${n}}[$__rate_interval]))`, 'sent {{node}}'),
            )),
        ],
      },
      {
        title: 'Block race: FIBRE/UDP vs compact blocks',
        panels: [
          stacked(timeseriesPanel('Race wins by mechanism', units.Short, 'Block races won per interval, by the mechanism that delivered first.'))
            .targets(queries(rangeQuery(`sum by (${MACHINE}, node, mechanism) (increase(fibre_block_race_wins_total{${n}}[$__rate_interval]))`, '{{node}} {{mechanism}}'))),
          barGaugePanel('Wins by mechanism (last hour)', units.Short, 'Races won per mechanism over the last hour (recording rule node_mechanism:fibre_block_race_wins:increase1h).')
            .targets(queries(instantQuery(`sum by (mechanism) (node_mechanism:fibre_block_race_wins:increase1h{${n}})`, '{{mechanism}}'))),
          timeseriesPanel('Race latency by mechanism', units.Seconds, 'Time each mechanism took to deliver a raced block: median and 95th percentile.')
            .targets(queries(...quantiles(['0.5', '0.95'], 'fibre_block_race_latency_seconds', 'mechanism'))),
          timeseriesPanel('Winning margin', units.Seconds, 'Median of how far the winner was ahead of the other mechanism, by winner.')
            .span(12)
            .targets(queries(rangeQuery(hq('0.5', 'fibre_race_margin_seconds', 'node, winner'), '{{node}} {{winner}}'))),
          stacked(timeseriesPanel('Deliveries by mechanism', units.Short, 'Blocks delivered per interval, by mechanism.'))
            .span(12)
            .targets(queries(rangeQuery(`sum by (${MACHINE}, node, mechanism) (increase(fibre_block_deliveries_total{${n}}[$__rate_interval]))`, '{{node}} {{mechanism}}'))),
          tablePanel('Block deliveries by peer', units.Short, 'Blocks each peer delivered in the selected time range, by mechanism.')
            .span(24).height(9)
            .targets(queries(tableQuery(`sort_desc(sum by (${MACHINE}, node, peer, mechanism) (${inc('fibre_block_deliveries_total')}) > 0)`))),
        ],
      },
      blockConnectionRow(n),
      exporterRow('fibre'),
      {
        title: 'Race log',
        panels: [
          logsPanel('Race results from debug.log', "bitcoind's UDP race lines (needs -debug=bench): winner, winner peer and both mechanisms' times.")
            .targets(queries(logQuery(`{job="bitcoind", ${n}, winner=~".+"}`))),
        ],
      },
    ],
  });
}
