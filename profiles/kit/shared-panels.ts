// Dashboard rows more than one profile shows: our exporter's own health (fibre, bitcoin-core,
// miner) and block connection (fibre, bitcoin-core).
import * as units from '@grafana/grafana-foundation-sdk/units';
import { instantQuery, queries, rangeQuery, statPanel, sumRate, timeseriesPanel, type Row } from './dashboard-kit.js';
import { MACHINE } from './machine-labels.js';

/** The exporters of the dashboard's selected nodes (its `node` variable), one series per node. */
export function exporterRow(job: string): Row {
  const sel = `job="${job}", node=~"$node"`;
  return {
    title: 'Exporter',
    panels: [
      statPanel('Exporters up', units.BoolYesNo, 'Whether Prometheus reaches the exporter of every selected node (the up series of its scrape job).')
        .span(6).height(5).min(0).max(1)
        .targets(queries(instantQuery(`min(up{${sel}})`))),
      statPanel('Probes attached', units.NoUnit, 'eBPF probes the exporter has attached. 0 means it sees no events (log-based miners attach none).')
        .span(6).height(5)
        .targets(queries(instantQuery(`sum(fibre_exporter_probes_attached{${sel}})`))),
      timeseriesPanel('Events processed', units.OpsPerSecond, 'Events read from probes or logs per second, by event type.')
        .span(6).height(5)
        .targets(queries(rangeQuery(sumRate('fibre_exporter_events_processed_total', `${MACHINE}, node, event_type`, sel), '{{node}} {{event_type}}'))),
      timeseriesPanel('Exporter errors', units.OpsPerSecond, 'Errors per second, by type (tracer restarts, unparseable lines, ...).')
        .span(6).height(5)
        .targets(queries(rangeQuery(sumRate('fibre_exporter_errors_total', `${MACHINE}, node, error_type`, sel), '{{node}} {{error_type}}'))),
    ],
  };
}

export function blockConnectionRow(nodeSel: string): Row {
  const hq = (q: string, metric: string) => `histogram_quantile(${q}, sum by (le, ${MACHINE}, node) (rate(${metric}_bucket{${nodeSel}}[$__rate_interval])))`;
  return {
    title: 'Block connection',
    panels: [
      timeseriesPanel('Blocks connected', units.Short, 'Blocks connected to the active chain per interval (validation:block_connected).')
        .targets(queries(rangeQuery(`sum by (${MACHINE}, node) (increase(bitcoin_blocks_connected_total{${nodeSel}}[$__rate_interval]))`, '{{node}}'))),
      timeseriesPanel('Block connection time', units.Seconds, 'Time to connect a block to the chain: median and 95th percentile.')
        .targets(queries(
          rangeQuery(hq('0.5', 'bitcoin_block_connection_duration_seconds'), 'p50 {{node}}'),
          rangeQuery(hq('0.95', 'bitcoin_block_connection_duration_seconds'), 'p95 {{node}}'),
        )),
      timeseriesPanel('Transactions per block', units.Short, 'Median transactions per connected block.')
        .targets(queries(rangeQuery(hq('0.5', 'bitcoin_block_tx_count'), 'p50 {{node}}'))),
    ],
  };
}
