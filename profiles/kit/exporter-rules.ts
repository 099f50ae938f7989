// Alerts on our exporter's own health, the same for every profile it runs in (fibre,
// bitcoin-core, miner): the job is the profile's scrape job, the prefix names the alerts.
import type { AlertSpec } from './rule-kit.js';
import { MACHINE } from './machine-labels.js';

/** The runbook of these alerts, shared by the profiles that use them (see RunbookPart). */
export const EXPORTER_RUNBOOK = 'profiles/kit/exporter-runbook.md';

export function exporterAlerts(job: string, prefix: string, opts: { probes: boolean }): AlertSpec[] {
  const sel = `job="${job}"`;
  const alerts: AlertSpec[] = [
    {
      alert: `${prefix}ExporterDown`,
      expr: `up{${sel}} == 0`,
      for: '5m',
      severity: 'critical',
      summary: `${prefix} exporter of {{ $labels.node }} ({{ $labels.instance }}) is down`,
      description: `Prometheus has not scraped the ${job} exporter at {{ $labels.instance }} for 5 minutes; its panels and alerts are blind.`,
    },
    {
      alert: `${prefix}ExporterErrors`,
      expr: `sum by (job, ${MACHINE}, instance, node, error_type) (increase(fibre_exporter_errors_total{${sel}}[15m])) > 10`,
      severity: 'warning',
      summary: `${prefix} exporter of {{ $labels.node }} ({{ $labels.instance }}) reports {{ $labels.error_type }} errors`,
      description: `{{ $value | humanize }} errors of type {{ $labels.error_type }} in the last 15 minutes.`,
    },
  ];
  if (opts.probes) {
    alerts.splice(1, 0, {
      alert: `${prefix}ExporterWithoutProbes`,
      expr: `fibre_exporter_probes_attached{${sel}} == 0`,
      for: '5m',
      severity: 'critical',
      summary: `${prefix} exporter of {{ $labels.node }} ({{ $labels.instance }}) has no probes attached`,
      description: 'The exporter runs but no eBPF probe is attached, so it sees no events. bitcoind may have restarted or the tracer lost its privileges.',
    });
  }
  return alerts;
}
