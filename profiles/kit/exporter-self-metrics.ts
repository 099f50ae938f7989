// Self-monitoring that every mode of our exporter serves (names kept from the original exporter).
import { metric } from '../../core/catalog.js';

export const exporterSelfMetrics = [
  metric({ name: 'fibre_exporter_up', type: 'gauge', help: '1 while the exporter runs.', labels: [], unit: 'none', servedBy: 'fibre-stack-exporter' }),
  metric({ name: 'fibre_exporter_start_time_seconds', type: 'gauge', help: 'Unix time the exporter started.', labels: [], unit: 'timestamp_seconds', servedBy: 'fibre-stack-exporter' }),
  metric({ name: 'fibre_exporter_events_processed_total', type: 'counter', help: 'Events read from probes or logs, by event type.', labels: ['event_type'], unit: 'none', servedBy: 'fibre-stack-exporter' }),
  metric({ name: 'fibre_exporter_errors_total', type: 'counter', help: 'Errors by type (tracer restarts, unparseable lines, ...).', labels: ['error_type'], unit: 'none', servedBy: 'fibre-stack-exporter' }),
  metric({ name: 'fibre_exporter_label_overflow_total', type: 'counter', help: 'Label values served as other because that label of that metric already had the most distinct values allowed, by metric and label.', labels: ['metric', 'label'], unit: 'none', servedBy: 'fibre-stack-exporter' }),
  metric({ name: 'fibre_exporter_probes_attached', type: 'gauge', help: 'Probes currently attached (0 means the exporter sees nothing).', labels: [], unit: 'none', servedBy: 'fibre-stack-exporter' }),
  metric({ name: 'fibre_exporter_info', type: 'gauge', help: 'Exporter build and target information; always 1.', labels: ['version', 'node_name', 'bitcoind_path'], unit: 'info', servedBy: 'fibre-stack-exporter' }),
];
