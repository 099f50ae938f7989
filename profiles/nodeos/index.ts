import type { ProfileDef } from '../types.js';
import { nodeosMetrics } from './metrics.js';

// nodeos serves its own metrics (prometheus_plugin) on the http_plugin address.
export const NODEOS_METRICS_PATH = '/v1/prometheus/metrics';

export const nodeosProfile: ProfileDef<'nodeos'> = {
  id: 'nodeos',
  title: 'Antelope nodeos (prometheus_plugin)',
  metrics: nodeosMetrics,
  scrapeJobs: (p, at) => {
    const url = new URL(p.url);
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    const basePath = url.pathname.replace(/\/+$/, '');
    return [
      {
        job_name: 'nodeos',
        metrics_path: `${basePath}${NODEOS_METRICS_PATH}`,
        scheme: url.protocol === 'https:' ? 'https' : 'http',
        targets: [{ targets: [at.host(`${url.hostname}:${port}`)], labels: { node: p.node_name } }],
      },
    ];
  },
  logSources: () => [],
};
