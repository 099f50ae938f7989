// The stack overview: is every target up, do the synthetic checks pass, and how Prometheus,
// Alertmanager, Loki and the log agent are doing. Included in every generated stack.
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import * as units from '@grafana/grafana-foundation-sdk/units';
import {
  barGaugePanel, buildDashboard, instantQuery, queries, rangeQuery, statPanel, tablePanel, tableQuery, thresholdSteps, timeseriesPanel,
} from '../../profiles/kit/dashboard-kit.js';
import { MACHINE } from '../../profiles/kit/machine-labels.js';

export function stackDashboard(): Dashboard {
  return buildDashboard({
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
          statPanel('Targets down', units.NoUnit, 'Scrape targets Prometheus cannot reach right now.')
            .span(6).height(6).thresholds(thresholdSteps([1, 'red']))
            .targets(queries(instantQuery('count(up == 0) or vector(0)'))),
          statPanel('Firing alerts', units.NoUnit, 'Alerts Alertmanager holds as active.')
            .span(6).height(6).thresholds(thresholdSteps([1, 'orange']))
            .targets(queries(instantQuery('sum(alertmanager_alerts{state="active"})'))),
          barGaugePanel('Targets up per job', units.PercentUnit, 'Share of each scrape job\'s targets that answer (recording rule job:up:ratio).')
            .span(12).height(6).min(0).max(1)
            .targets(queries(instantQuery('job:up:ratio', '{{job}}'))),
          tablePanel('Targets', units.NoUnit, 'Every scrape target, whether it is up (1) and its last scrape duration.')
            .span(24).height(8)
            .targets(queries(tableQuery('up'), tableQuery('scrape_duration_seconds'))),
        ],
      },
      {
        // Empty unless the stack runs the blackbox exporter (synthetic_checks: true).
        title: 'Synthetic checks',
        panels: [
          statPanel('Checks failing', units.NoUnit, 'Probes of the blackbox exporter that fail now: nodeos get_info, bitcoind ports, the stack\'s pages.')
            .span(6).height(6).thresholds(thresholdSteps([1, 'red']))
            .targets(queries(instantQuery('count(probe_success{job="probe"} == 0) or vector(0)'))),
          timeseriesPanel('Probe duration', units.Seconds, 'How long each probe took, by check and target.')
            .span(18).height(6)
            .targets(queries(rangeQuery(`max by (${MACHINE}, check, instance) (probe_duration_seconds{job="probe"})`, '{{check}} {{instance}}'))),
          tablePanel('Checks', units.NoUnit, 'Every probe: whether it succeeds (1) and the HTTP status of an http probe.')
            .span(24).height(8)
            .targets(queries(tableQuery('probe_success{job="probe"}'), tableQuery('probe_http_status_code{job="probe"}'))),
        ],
      },
      {
        title: 'Prometheus',
        panels: [
          timeseriesPanel('Rule evaluation failures', units.OpsPerSecond, 'Failed rule evaluations per second, by rule group.')
            .targets(queries(rangeQuery('sum by (rule_group) (rate(prometheus_rule_evaluation_failures_total[$__rate_interval]))', '{{rule_group}}'))),
          timeseriesPanel('Head series', units.Short, 'Series in the TSDB head block.')
            .targets(queries(rangeQuery('sum(prometheus_tsdb_head_series)', 'series'))),
          timeseriesPanel('Storage used', units.BytesIEC, 'Bytes of persisted TSDB blocks.')
            .targets(queries(rangeQuery('sum(prometheus_tsdb_storage_blocks_bytes)', 'blocks'))),
        ],
      },
      {
        title: 'Alerting and logs',
        panels: [
          timeseriesPanel('Notifications', units.OpsPerSecond, 'Alertmanager notifications sent and failed per second, by integration.')
            .targets(queries(
              rangeQuery('sum by (integration) (rate(alertmanager_notifications_total[$__rate_interval]))', 'sent {{integration}}'),
              rangeQuery('sum by (integration) (rate(alertmanager_notifications_failed_total[$__rate_interval]))', 'failed {{integration}}'),
            )),
          timeseriesPanel('Log lines received', units.OpsPerSecond, 'Log lines Loki receives per second.')
            .targets(queries(rangeQuery('sum(rate(loki_distributor_lines_received_total[$__rate_interval]))', 'lines'))),
          // A stack runs one log agent: Alloy counts its drops in loki_write_dropped_entries_total
          // (grafana/alloy@v1.18.1:internal/component/common/loki/client/metrics.go), Promtail in
          // promtail_dropped_entries_total (grafana/loki@v3.6.11:clients/pkg/promtail/client/client.go).
          timeseriesPanel('Log lines discarded or dropped', units.OpsPerSecond, 'Lines Loki discarded (by reason) and entries the log agent (Alloy or Promtail) dropped, per second.')
            .targets(queries(
              rangeQuery('sum by (reason) (rate(loki_discarded_samples_total[$__rate_interval]))', 'discarded {{reason}}'),
              rangeQuery('sum by (reason) (rate(loki_write_dropped_entries_total[$__rate_interval]))', 'dropped by alloy {{reason}}'),
              rangeQuery('sum by (reason) (rate(promtail_dropped_entries_total[$__rate_interval]))', 'dropped by promtail {{reason}}'),
            )),
        ],
      },
    ],
  });
}
