// The stack overview: is every target up, and how Prometheus, Alertmanager, Loki and the log
// agent are doing. Included in every generated stack.
import type { DashboardSpec } from '../../profiles/kit/dashboard-kit.js';

export const stackDashboard: DashboardSpec = {
  uid: 'fibre-stack-overview',
  title: 'fibre-stack Overview',
  description: 'Health of every scrape target and of the monitoring stack itself.',
  tags: ['overview'],
  variables: [],
  from: 'now-3h',
  rows: [
    {
      title: 'Targets',
      panels: [
        { kind: 'stat', title: 'Targets down', unit: 'none', w: 6, h: 6, description: 'Scrape targets Prometheus cannot reach right now.', queries: [{ expr: 'count(up == 0) or vector(0)', instant: true }], thresholds: [[1, 'red']] },
        { kind: 'stat', title: 'Firing alerts', unit: 'none', w: 6, h: 6, description: 'Alerts Alertmanager holds as active.', queries: [{ expr: 'sum(alertmanager_alerts{state="active"})', instant: true }], thresholds: [[1, 'orange']] },
        { kind: 'bargauge', title: 'Targets up per job', unit: 'percentunit', w: 12, h: 6, min: 0, max: 1, description: 'Share of each scrape job\'s targets that answer (recording rule job:up:ratio).', queries: [{ expr: 'job:up:ratio', legend: '{{job}}', instant: true }], thresholds: [] },
        { kind: 'table', title: 'Targets', unit: 'none', w: 24, h: 8, description: 'Every scrape target, whether it is up (1) and its last scrape duration.', queries: [{ expr: 'up', instant: true }, { expr: 'scrape_duration_seconds', instant: true }] },
      ],
    },
    {
      title: 'Prometheus',
      panels: [
        { kind: 'timeseries', title: 'Rule evaluation failures', unit: 'ops', description: 'Failed rule evaluations per second, by rule group.', queries: [{ expr: 'sum by (rule_group) (rate(prometheus_rule_evaluation_failures_total[$__rate_interval]))', legend: '{{rule_group}}' }] },
        { kind: 'timeseries', title: 'Head series', unit: 'short', description: 'Series in the TSDB head block.', queries: [{ expr: 'sum(prometheus_tsdb_head_series)', legend: 'series' }] },
        { kind: 'timeseries', title: 'Storage used', unit: 'bytes', description: 'Bytes of persisted TSDB blocks.', queries: [{ expr: 'sum(prometheus_tsdb_storage_blocks_bytes)', legend: 'blocks' }] },
      ],
    },
    {
      title: 'Alerting and logs',
      panels: [
        {
          kind: 'timeseries', title: 'Notifications', unit: 'ops', description: 'Alertmanager notifications sent and failed per second, by integration.',
          queries: [
            { expr: 'sum by (integration) (rate(alertmanager_notifications_total[$__rate_interval]))', legend: 'sent {{integration}}' },
            { expr: 'sum by (integration) (rate(alertmanager_notifications_failed_total[$__rate_interval]))', legend: 'failed {{integration}}' },
          ],
        },
        { kind: 'timeseries', title: 'Log lines received', unit: 'ops', description: 'Log lines Loki receives per second.', queries: [{ expr: 'sum(rate(loki_distributor_lines_received_total[$__rate_interval]))', legend: 'lines' }] },
        {
          kind: 'timeseries', title: 'Log lines discarded or dropped', unit: 'ops', description: 'Lines Loki discarded (by reason) and entries the log agent dropped, per second.',
          queries: [
            { expr: 'sum by (reason) (rate(loki_discarded_samples_total[$__rate_interval]))', legend: 'discarded {{reason}}' },
            { expr: 'sum by (reason) (rate(loki_write_dropped_entries_total[$__rate_interval]))', legend: 'dropped {{reason}}' },
          ],
        },
      ],
    },
  ],
};
