import { nodeNameQuestion } from '../kit/questions.js';
import type { ProfileDef, TextQuestion } from '../types.js';
import { nodeosConfig } from './config.js';
import { nodeosMetrics } from './metrics.js';
import { nodeosRules } from './rules.js';
import { nodeosDefaults, readNodeos, type NodeosProfileSpec } from './spec.js';

// nodeos serves its own metrics (prometheus_plugin) on the http_plugin address.
export const NODEOS_METRICS_PATH = '/v1/prometheus/metrics';

const urlQuestion: TextQuestion<'nodeosUrl'> = {
  key: 'nodeosUrl',
  flag: 'nodeos-url',
  kind: 'text',
  describe: 'nodeos http_plugin URL (default http://127.0.0.1:8888)',
  message: 'nodeos http_plugin URL',
};

const questions = [nodeNameQuestion, urlQuestion] as const;

export const nodeosProfile: ProfileDef<'nodeos', NodeosProfileSpec, typeof questions> = {
  id: 'nodeos',
  title: 'Antelope nodeos (prometheus_plugin)',
  spec: { defaults: nodeosDefaults, read: readNodeos },
  questions: {
    asks: questions,
    defaults: (p) => ({ nodeName: p.node_name, nodeosUrl: p.url }),
    settings: (a) => ({ node_name: a.nodeName, url: a.nodeosUrl }),
  },
  metrics: nodeosMetrics,
  scrapeJobs: (p, at) => {
    const url = new URL(p.url);
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    const basePath = url.pathname.replace(/\/+$/, '');
    return [
      {
        job_name: nodeosConfig.job,
        metrics_path: `${basePath}${NODEOS_METRICS_PATH}`,
        scheme: url.protocol === 'https:' ? 'https' : 'http',
        targets: [{ targets: [at.host(`${url.hostname}:${port}`)], labels: { node: p.node_name } }],
      },
    ];
  },
  logSources: () => [],
  rules: nodeosRules,
  runbook: [{ file: 'profiles/nodeos/runbook.md' }],
  dashboard: async () => (await import('./dashboard.js')).nodeosDashboard(),
};
