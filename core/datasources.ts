// The Grafana datasources every stack provisions, by fixed uid: dashboards refer to them by uid
// (never by name), the renderer provisions them and the linter resolves references against them.
// Here, at the bottom layer, because profiles (dashboards) and the CLI (provisioning, lint) both
// need them. Listed in provisioning order: the first is Grafana's default datasource.
export const DATASOURCES = {
  prometheus: { uid: 'prometheus', type: 'prometheus', name: 'Prometheus' },
  loki: { uid: 'loki', type: 'loki', name: 'Loki' },
  alertmanager: { uid: 'alertmanager', type: 'alertmanager', name: 'Alertmanager' },
} as const;

export type DatasourceDef = (typeof DATASOURCES)[keyof typeof DATASOURCES];
