// Dashboard rows more than one profile shows: our exporter's own health (fibre, bitcoin-core,
// miner) and block connection (fibre, bitcoin-core).
import type { RowSpec } from './dashboard-kit.js';

export function exporterRow(job: string): RowSpec {
  const sel = `job="${job}"`;
  return {
    title: 'Exporter',
    panels: [
      { kind: 'stat', title: 'Exporter up', unit: 'bool_yes_no', w: 6, h: 5, description: 'Whether Prometheus reaches the exporter (the up series of its scrape job).', queries: [{ expr: `min(up{${sel}})`, instant: true }], thresholds: [], min: 0, max: 1 },
      { kind: 'stat', title: 'Probes attached', unit: 'none', w: 6, h: 5, description: 'eBPF probes the exporter has attached. 0 means it sees no events (log-based miners attach none).', queries: [{ expr: `sum(fibre_exporter_probes_attached{${sel}})`, instant: true }] },
      { kind: 'timeseries', title: 'Events processed', unit: 'ops', w: 6, h: 5, description: 'Events read from probes or logs per second, by event type.', queries: [{ expr: `sum by (event_type) (rate(fibre_exporter_events_processed_total{${sel}}[$__rate_interval]))`, legend: '{{event_type}}' }] },
      { kind: 'timeseries', title: 'Exporter errors', unit: 'ops', w: 6, h: 5, description: 'Errors per second, by type (tracer restarts, unparseable lines, ...).', queries: [{ expr: `sum by (error_type) (rate(fibre_exporter_errors_total{${sel}}[$__rate_interval]))`, legend: '{{error_type}}' }] },
    ],
  };
}

export function blockConnectionRow(nodeSel: string): RowSpec {
  const hq = (q: string, metric: string) => `histogram_quantile(${q}, sum by (le, node) (rate(${metric}_bucket{${nodeSel}}[$__rate_interval])))`;
  return {
    title: 'Block connection',
    panels: [
      { kind: 'timeseries', title: 'Blocks connected', unit: 'short', description: 'Blocks connected to the active chain per interval (validation:block_connected).', queries: [{ expr: `sum by (node) (increase(bitcoin_blocks_connected_total{${nodeSel}}[$__rate_interval]))`, legend: '{{node}}' }] },
      {
        kind: 'timeseries', title: 'Block connection time', unit: 's', description: 'Time to connect a block to the chain: median and 95th percentile.',
        queries: [
          { expr: hq('0.5', 'bitcoin_block_connection_duration_seconds'), legend: 'p50 {{node}}' },
          { expr: hq('0.95', 'bitcoin_block_connection_duration_seconds'), legend: 'p95 {{node}}' },
        ],
      },
      { kind: 'timeseries', title: 'Transactions per block', unit: 'short', description: 'Median transactions per connected block.', queries: [{ expr: hq('0.5', 'bitcoin_block_tx_count'), legend: 'p50 {{node}}' }] },
    ],
  };
}
