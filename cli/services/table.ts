// The stack's core services (Prometheus, Alertmanager, Grafana, Loki and the log agents): their
// names, pinned images and ports, and which of them a stack runs.
import type { StackSpec } from '../spec/types.js';

export const SERVICE_NAMES = ['prometheus', 'alertmanager', 'grafana', 'loki', 'alloy', 'promtail'] as const;
export type CoreService = (typeof SERVICE_NAMES)[number];

// Pinned image tags: what users run must not move under them. Update these deliberately, together.
export const DEFAULT_IMAGES: Record<CoreService | 'exporter', string> = {
  prometheus: 'prom/prometheus:v3.7.3',
  alertmanager: 'prom/alertmanager:v0.29.0',
  grafana: 'grafana/grafana:12.3.0',
  // 3.7 is the first line whose binary checks itself (`loki -health`): its images are distroless.
  loki: 'grafana/loki:3.7.2',
  alloy: 'grafana/alloy:v1.11.3',
  // Promtail reached end of life on 2026-03-02; 3.6.x is its last line.
  promtail: 'grafana/promtail:3.6.0',
  exporter: 'fibre-stack-exporter:0.1.0',
};

export const DEFAULT_PORTS: Record<CoreService, number> = {
  prometheus: 9090,
  alertmanager: 9093,
  grafana: 3000,
  loki: 3100,
  alloy: 12345,
  promtail: 9080,
};

/** Core services this stack runs: all but those disabled, and only the chosen log agent. */
export function enabledServices(spec: StackSpec): CoreService[] {
  const off = new Set(spec.disabled_services);
  return SERVICE_NAMES.filter((s) => {
    if (off.has(s)) return false;
    if (s === 'alloy' || s === 'promtail') return s === spec.log_agent && !off.has('loki');
    return true;
  });
}
