// The FIBRE relay dashboard: everything the original fibre-monitoring dashboard showed, plus the
// race view and bitcoind's race lines from Loki. The uid is the original's, so links keep working.
import { matchVars, type DashboardSpec } from '../kit/dashboard-kit.js';
import { blockConnectionRow, exporterRow } from '../kit/shared-panels.js';

const n = matchVars('node');
const inc = (metric: string, extra = '') => `increase(${metric}{${n}${extra}}[$__range])`;
const hq = (q: string, metric: string, by: string, extra = '') => `histogram_quantile(${q}, sum by (le, ${by}) (rate(${metric}_bucket{${n}${extra}}[$__rate_interval])))`;

export const fibreDashboard: DashboardSpec = {
  uid: 'fibre-relay',
  title: 'FIBRE Block Relay',
  description: 'FIBRE/UDP block relay: reconstruction, chunks, deliveries and the race against compact blocks.',
  tags: ['fibre', 'bitcoin'],
  variables: [{ name: 'node', label: 'Node', metric: 'fibre_last_block_height', labelName: 'node' }],
  rows: [
    {
      title: 'Overview',
      panels: [
        { kind: 'stat', title: 'Blocks reconstructed', unit: 'short', w: 5, h: 5, description: 'Blocks reconstructed from FIBRE/UDP chunks in the selected time range.', queries: [{ expr: `round(sum(${inc('fibre_blocks_reconstructed_total')}))`, instant: true }] },
        { kind: 'stat', title: 'Blocks sent', unit: 'short', w: 5, h: 5, description: 'Blocks this relay started sending over FIBRE/UDP in the selected time range.', queries: [{ expr: `round(sum(${inc('fibre_blocks_sent_total')}))`, instant: true }] },
        { kind: 'stat', title: 'Block height', unit: 'none', w: 4, h: 5, description: 'Height of the last block seen, per node.', queries: [{ expr: `max by (node) (fibre_last_block_height{${n}})`, legend: '{{node}}', instant: true }] },
        {
          kind: 'stat', title: 'FIBRE win rate', unit: 'percentunit', w: 5, h: 5, min: 0, max: 1, thresholds: [],
          description: 'Share of block races FIBRE/UDP won in the selected time range (races are blocks that came over both FIBRE/UDP and compact blocks).',
          queries: [{ expr: `sum(${inc('fibre_block_race_wins_total', ', mechanism="fibre_udp"')}) / sum(${inc('fibre_block_race_wins_total')})`, instant: true }],
        },
        { kind: 'stat', title: 'Races with both', unit: 'short', w: 5, h: 5, description: 'Races in which both FIBRE/UDP and compact blocks delivered the block, in the selected time range.', queries: [{ expr: `round(sum(${inc('fibre_races_with_both_total')}))`, instant: true }] },
      ],
    },
    {
      title: 'Reconstruction',
      panels: [
        {
          kind: 'timeseries', title: 'Block reconstruction time', unit: 's', description: 'Time from the first header packet to a reconstructed block: p50, p95, p99.',
          queries: ['0.5', '0.95', '0.99'].map((q) => ({ expr: hq(q, 'fibre_block_reconstruction_duration_seconds', 'node'), legend: `p${Number(q) * 100} {{node}}` })),
        },
        {
          kind: 'timeseries', title: 'Chunk throughput', unit: 'cps', description: 'FEC chunks received and used for reconstruction, per second.',
          queries: [
            { expr: `sum by (node) (rate(fibre_chunks_received_total{${n}}[$__rate_interval]))`, legend: 'received {{node}}' },
            { expr: `sum by (node) (rate(fibre_chunks_used_total{${n}}[$__rate_interval]))`, legend: 'used {{node}}' },
          ],
        },
        {
          kind: 'timeseries', title: 'Chunk efficiency (used/received)', unit: 'percentunit', min: 0, max: 1,
          description: 'Chunks used over chunks received: low values mean chunks arrive that reconstruction did not need.',
          queries: [{ expr: `sum by (node) (rate(fibre_chunks_used_total{${n}}[$__rate_interval])) / sum by (node) (rate(fibre_chunks_received_total{${n}}[$__rate_interval]))`, legend: '{{node}}' }],
        },
        { kind: 'timeseries', title: 'Chunks used per block', unit: 'short', w: 12, description: 'Median and 95th percentile of chunks needed to reconstruct a block.', queries: ['0.5', '0.95'].map((q) => ({ expr: hq(q, 'fibre_block_chunks_used', 'node'), legend: `p${Number(q) * 100} {{node}}` })) },
        { kind: 'timeseries', title: 'Blocks reconstructed and sent', unit: 'short', w: 12, description: 'Blocks reconstructed from and sent over FIBRE/UDP per interval.', queries: [
          { expr: `sum by (node) (increase(fibre_blocks_reconstructed_total{${n}}[$__rate_interval]))`, legend: 'reconstructed {{node}}' },
          { expr: `sum by (node) (increase(fibre_blocks_sent_total{${n}}[$__rate_interval]))`, legend: 'sent {{node}}' },
        ] },
      ],
    },
    {
      title: 'Block race: FIBRE/UDP vs compact blocks',
      panels: [
        { kind: 'timeseries', title: 'Race wins by mechanism', unit: 'short', stacked: true, description: 'Block races won per interval, by the mechanism that delivered first.', queries: [{ expr: `sum by (mechanism) (increase(fibre_block_race_wins_total{${n}}[$__rate_interval]))`, legend: '{{mechanism}}' }] },
        { kind: 'bargauge', title: 'Wins by mechanism (last hour)', unit: 'short', description: 'Races won per mechanism over the last hour (recording rule node_mechanism:fibre_block_race_wins:increase1h).', queries: [{ expr: `sum by (mechanism) (node_mechanism:fibre_block_race_wins:increase1h{${n}})`, legend: '{{mechanism}}', instant: true }] },
        {
          kind: 'timeseries', title: 'Race latency by mechanism', unit: 's', description: 'Time each mechanism took to deliver a raced block: median and 95th percentile.',
          queries: ['0.5', '0.95'].map((q) => ({ expr: hq(q, 'fibre_block_race_latency_seconds', 'mechanism'), legend: `p${Number(q) * 100} {{mechanism}}` })),
        },
        { kind: 'timeseries', title: 'Winning margin', unit: 's', w: 12, description: 'Median of how far the winner was ahead of the other mechanism, by winner.', queries: [{ expr: hq('0.5', 'fibre_race_margin_seconds', 'winner'), legend: '{{winner}}' }] },
        { kind: 'timeseries', title: 'Deliveries by mechanism', unit: 'short', w: 12, stacked: true, description: 'Blocks delivered per interval, by mechanism.', queries: [{ expr: `sum by (mechanism) (increase(fibre_block_deliveries_total{${n}}[$__rate_interval]))`, legend: '{{mechanism}}' }] },
        { kind: 'table', title: 'Block deliveries by peer', unit: 'short', w: 24, h: 9, description: 'Blocks each peer delivered in the selected time range, by mechanism.', queries: [{ expr: `sort_desc(sum by (peer, mechanism) (${inc('fibre_block_deliveries_total')}) > 0)`, instant: true }] },
      ],
    },
    blockConnectionRow(n),
    exporterRow('fibre'),
    {
      title: 'Race log',
      panels: [
        { kind: 'logs', title: 'Race results from debug.log', w: 24, h: 10, description: "bitcoind's UDP race lines (needs -debug=bench): winner, winner peer and both mechanisms' times.", expr: '{job="bitcoind", profile="fibre", node=~"$node", winner=~".+"}' },
      ],
    },
  ],
};
