// The names every fibre-stack dashboard shares, apart from the dashboard kit: the linter checks any
// dashboard against them, and loading the kit would load Grafana's foundation SDK with it.

/** The tag every fibre-stack dashboard carries; the linter holds tagged dashboards to our own rules. */
export const OUR_TAG = 'fibre-stack';

/** Datasource template variables, one per datasource type a dashboard queries. */
export const PROM_VAR = 'datasource';
export const LOKI_VAR = 'loki';
