// The stack's own health: is every part up, are rules evaluated, do alerts and logs get through.
import type { RuleFileSpec } from '../../profiles/kit/rule-kit.js';
import { LOG_AGENTS, type CoreService } from './table.js';
import { probeRules } from './probe-rules.js';
import { MACHINE } from '../../profiles/kit/machine-labels.js';

/** An alert for core services down; each is scraped under its own name (cli/render/stack-profiles.ts). */
export function serviceDown(alert: string, services: readonly CoreService[], what: string, severity: 'critical' | 'warning', impact: string) {
  return {
    alert,
    expr: `up{job=~"${services.join('|')}"} == 0`,
    for: '5m',
    severity,
    summary: `${what[0].toUpperCase()}${what.slice(1)} {{ $labels.instance }} is down`,
    description: `Prometheus has not scraped ${what} at {{ $labels.instance }} for 5 minutes. ${impact}`,
  };
}

export const stackRules: RuleFileSpec = {
  title: 'fibre-stack itself: Prometheus, Alertmanager, Loki, Grafana, log agent, synthetic checks',
  groups: [
    {
      name: 'stack-recording',
      rules: [
        // Share of each job's targets that answer: the overview's health bars and the summary stat.
        { record: 'job:up:ratio', expr: 'avg by (job) (up)' },
      ],
    },
    {
      name: 'stack-alerts',
      rules: [
        serviceDown('AlertmanagerDown', ['alertmanager'], 'Alertmanager', 'critical', 'Alerts fire but no notification goes out.'),
        serviceDown('LokiDown', ['loki'], 'Loki', 'critical', 'Logs are not stored; log panels stay empty and agents buffer or drop lines.'),
        serviceDown('GrafanaDown', ['grafana'], 'Grafana', 'warning', 'Dashboards are unavailable; alerting is not affected.'),
        serviceDown('LogAgentDown', LOG_AGENTS, 'the log agent', 'warning', 'No new log lines reach Loki.'),
        {
          alert: 'PrometheusRuleEvaluationFailures',
          expr: `sum by (job, ${MACHINE}, instance, rule_group) (increase(prometheus_rule_evaluation_failures_total[5m])) > 0`,
          for: '5m',
          severity: 'critical',
          summary: 'Rules of group {{ $labels.rule_group }} fail to evaluate',
          description: '{{ $value | humanize }} rule evaluations failed in 5 minutes; alerts of this group may never fire.',
        },
        {
          alert: 'PrometheusConfigReloadFailed',
          expr: 'prometheus_config_last_reload_successful == 0',
          for: '10m',
          severity: 'warning',
          summary: 'Prometheus {{ $labels.instance }} could not reload its configuration',
          description: 'The last configuration reload failed; Prometheus still runs the previous configuration.',
        },
        {
          alert: 'PrometheusNotConnectedToAlertmanager',
          // A fleet node's Prometheus runs in agent mode: it has no rules and no Alertmanager, by
          // design; its prometheus_agent_* series (tsdb/agent/db.go, v2.42.0 and v3.14.0) say so.
          expr: `prometheus_notifications_alertmanagers_discovered < 1 unless on (job, ${MACHINE}, instance) prometheus_agent_active_series`,
          for: '10m',
          severity: 'critical',
          summary: 'Prometheus {{ $labels.instance }} has no Alertmanager to send to',
          description: 'Alerts are evaluated but cannot be delivered.',
        },
        {
          alert: 'AlertmanagerNotificationsFailing',
          expr: `sum by (job, ${MACHINE}, instance, integration) (rate(alertmanager_notifications_failed_total[5m])) > 0`,
          for: '15m',
          severity: 'warning',
          summary: 'Alertmanager fails to notify via {{ $labels.integration }}',
          description: 'Notifications through {{ $labels.integration }} have been failing for 15 minutes; check the receiver settings.',
        },
        {
          alert: 'LokiDiscardingLines',
          expr: `sum by (job, ${MACHINE}, instance, reason) (increase(loki_discarded_samples_total[10m])) > 0`,
          for: '10m',
          severity: 'warning',
          summary: 'Loki discards log lines ({{ $labels.reason }})',
          description: '{{ $value | humanize }} lines were discarded in 10 minutes for reason {{ $labels.reason }}.',
        },
      ],
    },
    probeRules,
  ],
};
