// The stack's own health: scrape up-ness and what Prometheus, Alertmanager, Loki and the log agent
// say about themselves. Used by the overview dashboard and the stack alerts.
import type { MetricDef } from '../../core/catalog.js';

const m = (name: string, type: MetricDef['type'], servedBy: MetricDef['servedBy'], help: string, labels: string[] = [], unit: MetricDef['unit'] = 'none'): MetricDef => ({ name, type, help, labels, unit, servedBy });

export const stackMetrics: MetricDef[] = [
  m('up', 'gauge', 'prometheus', '1 when the last scrape of the target succeeded.', ['job', 'instance']),
  m('scrape_duration_seconds', 'gauge', 'prometheus', 'How long the last scrape took.', ['job', 'instance'], 'seconds'),
  m('scrape_samples_scraped', 'gauge', 'prometheus', 'Samples the last scrape returned.', ['job', 'instance']),
  m('prometheus_rule_evaluation_failures_total', 'counter', 'prometheus', 'Rule evaluations that failed.', ['rule_group']),
  m('prometheus_rule_group_last_evaluation_timestamp_seconds', 'gauge', 'prometheus', 'When each rule group was last evaluated.', ['rule_group'], 'timestamp_seconds'),
  m('prometheus_notifications_dropped_total', 'counter', 'prometheus', 'Alert notifications dropped on the way to Alertmanager.'),
  m('prometheus_notifications_alertmanagers_discovered', 'gauge', 'prometheus', 'Alertmanagers Prometheus can send to.'),
  m('prometheus_config_last_reload_successful', 'gauge', 'prometheus', '1 when the last configuration reload succeeded.'),
  m('prometheus_agent_active_series', 'gauge', 'prometheus', 'Series a Prometheus in agent mode (a fleet node) holds; only agents have it.'),
  m('prometheus_tsdb_head_series', 'gauge', 'prometheus', 'Series in the head block.'),
  m('prometheus_tsdb_storage_blocks_bytes', 'gauge', 'prometheus', 'Bytes of persisted blocks.', [], 'bytes'),
  m('prometheus_target_scrapes_exceeded_sample_limit_total', 'counter', 'prometheus', 'Scrapes refused for exceeding the sample limit.'),
  m('alertmanager_notifications_total', 'counter', 'alertmanager', 'Notifications attempted, by integration.', ['integration']),
  m('alertmanager_notifications_failed_total', 'counter', 'alertmanager', 'Notifications that failed, by integration.', ['integration', 'reason']),
  m('alertmanager_alerts', 'gauge', 'alertmanager', 'Alerts held, by state.', ['state']),
  m('alertmanager_config_last_reload_successful', 'gauge', 'alertmanager', '1 when the last configuration reload succeeded.'),
  m('loki_ingester_streams_created_total', 'counter', 'loki', 'Log streams created.', ['tenant']),
  m('loki_distributor_lines_received_total', 'counter', 'loki', 'Log lines received.', ['tenant']),
  m('loki_distributor_bytes_received_total', 'counter', 'loki', 'Log bytes received.', ['tenant'], 'bytes'),
  m('loki_discarded_samples_total', 'counter', 'loki', 'Log lines discarded, by reason.', ['tenant', 'reason']),
  m('loki_request_duration_seconds', 'histogram', 'loki', 'Request latency by route.', ['route', 'status_code', 'method', 'ws'], 'seconds'),
  m('loki_write_dropped_entries_total', 'counter', 'log-agent', 'Log entries the agent dropped.', ['host', 'reason']),
  m('promtail_sent_entries_total', 'counter', 'log-agent', 'Entries Promtail sent to Loki.', ['host']),
  m('promtail_dropped_entries_total', 'counter', 'log-agent', 'Entries Promtail dropped.', ['host', 'reason']),
  // The blackbox exporter's answer to each probe (prometheus/blackbox_exporter@v0.28.0:prober/handler.go, prober/http.go).
  m('probe_success', 'gauge', 'blackbox-exporter', '1 when the probe succeeded.', ['job', 'instance', 'check']),
  m('probe_duration_seconds', 'gauge', 'blackbox-exporter', 'How long the probe took.', ['job', 'instance', 'check'], 'seconds'),
  m('probe_http_status_code', 'gauge', 'blackbox-exporter', 'HTTP status code of an http probe\'s answer; 0 when none came.', ['job', 'instance', 'check']),
  m('grafana_build_info', 'gauge', 'grafana', 'Grafana build information; always 1.', ['version', 'revision', 'branch', 'edition', 'goversion'], 'info'),
];
