import { nodeNameQuestion } from '../kit/questions.js';
import type { ProfileDef, TextQuestion } from '../types.js';
import { nodeosConfig } from './config.js';
import { leap4Metrics, nodeosMetrics } from './metrics.js';
import { nodeosRules } from './rules.js';
import { nodeosDefaults, readNodeos, type NodeosProfileSpec } from './spec.js';

// nodeos serves its own metrics (prometheus_plugin) on the http_plugin address.
export const NODEOS_METRICS_PATH = '/v1/prometheus/metrics';

const urlQuestion: TextQuestion<'nodeosUrl'> = {
  key: 'nodeosUrl',
  flag: 'nodeos-url',
  kind: 'text',
  describe:
    'nodeos http_plugin URL, as its http-server-address (default http://127.0.0.1:8888). In docker mode Prometheus scrapes it as host.docker.internal: ' +
    'set http-server-address = 0.0.0.0:8888 and http-alias = host.docker.internal:8888 in nodeos\' config.ini',
  message: 'nodeos http_plugin URL',
};

/**
 * nodeos refuses a request whose Host header is not its configured address, the IP the request
 * came in on, or an http-alias name (http-validate-host, on by default: AntelopeIO/spring@v1.2.2
 * plugins/http_plugin/include/eosio/http_plugin/beast_http_session.hpp 517-521, common.hpp
 * 189-205), and `localhost` is none of these by default (tests/http_plugin_test.py 36-56). A
 * default nodeos listens on 127.0.0.1, so `localhost` is scraped as 127.0.0.1, which it accepts.
 */
function scrapeHost(hostname: string): string {
  return hostname === 'localhost' ? '127.0.0.1' : hostname;
}

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
  metrics: [...nodeosMetrics, ...leap4Metrics],
  scrapeJobs: (p, at) => {
    const url = new URL(p.url);
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    const basePath = url.pathname.replace(/\/+$/, '');
    return [
      {
        job_name: nodeosConfig.job,
        metrics_path: `${basePath}${NODEOS_METRICS_PATH}`,
        scheme: url.protocol === 'https:' ? 'https' : 'http',
        targets: [{ targets: [at.host(`${scrapeHost(url.hostname)}:${port}`)], labels: { node: p.node_name } }],
      },
    ];
  },
  logSources: () => [],
  rules: nodeosRules,
  runbook: [{ file: 'profiles/nodeos/runbook.md' }],
  dashboard: async () => (await import('./dashboard.js')).nodeosDashboard(),
};
