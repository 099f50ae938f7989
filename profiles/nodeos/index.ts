import { isIP } from 'node:net';
import { nodeNameQuestion } from '../kit/questions.js';
import type { Addressing, ProfileDef, TextQuestion } from '../types.js';
import { nodeosConfig } from './config.js';
import { leap4Metrics, nodeosMetrics } from './metrics.js';
import { nodeosRules } from './rules.js';
import { nodeosStatus } from './status.js';
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

/** nodeos's http_plugin address as the spec gives it (host:port, the port made explicit), and the path it is served under. */
function givenAddress(p: NodeosProfileSpec): { hostPort: string; port: string; ip: boolean; https: boolean; basePath: string } {
  const url = new URL(p.url);
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const host = scrapeHost(url.hostname);
  return { hostPort: `${host}:${port}`, port, ip: isIP(host.replace(/^\[|\]$/g, '')) !== 0, https: url.protocol === 'https:', basePath: url.pathname.replace(/\/+$/, '') };
}

/**
 * What nodeos needs for Prometheus's requests to pass its Host check (see scrapeHost): from a
 * container it is reached through the host's alias, so it must listen beyond loopback and know the
 * alias; asked by a name, it must know that name; asked by an IP it accepts it as is.
 */
function setupNotes(p: NodeosProfileSpec, at: Addressing): string[] {
  const given = givenAddress(p);
  const scraped = at.host(given.hostPort);
  if (scraped !== given.hostPort) {
    return [
      `nodeos: Prometheus runs in a container and reaches nodeos at ${scraped}, not on this host's loopback. In nodeos' config.ini set ` +
        `http-server-address = 0.0.0.0:${given.port} (or the docker bridge address, ip -4 addr show docker0; keep the port off other networks with a firewall) ` +
        `and http-alias = ${scraped}, then restart nodeos; otherwise the scrape is refused (connection refused) or answered with HTTP 400 (Host header).`,
    ];
  }
  if (!given.ip) {
    return [
      `nodeos: Prometheus asks for ${scraped} by name, and nodeos answers HTTP 400 to a Host header it does not know (http-validate-host): ` +
        `unless http-server-address is ${scraped}, add http-alias = ${scraped} to nodeos' config.ini and restart nodeos.`,
    ];
  }
  return [];
}

const questions = [nodeNameQuestion, urlQuestion] as const;

export const nodeosProfile: ProfileDef<'nodeos', NodeosProfileSpec, typeof questions> = {
  id: 'nodeos',
  title: 'Antelope nodeos (prometheus_plugin)',
  spec: { defaults: nodeosDefaults, read: readNodeos, name: (p) => p.node_name },
  questions: {
    asks: questions,
    defaults: (p) => ({ nodeName: p.node_name, nodeosUrl: p.url }),
    settings: (a) => ({ node_name: a.nodeName, url: a.nodeosUrl }),
  },
  metrics: [...nodeosMetrics, ...leap4Metrics],
  scrapeJobs: (p, at) => {
    const given = givenAddress(p);
    return [
      {
        job_name: nodeosConfig.job,
        metrics_path: `${given.basePath}${NODEOS_METRICS_PATH}`,
        scheme: given.https ? 'https' : 'http',
        targets: [{ targets: [at.host(given.hostPort)], labels: { node: p.node_name } }],
      },
    ];
  },
  setupNotes,
  logSources: () => [],
  // Where Prometheus scrapes it, so the same Host header passes (setupNotes): does the chain API
  // answer with a head block.
  probes: (p, at) => {
    const given = givenAddress(p);
    const target = `${given.https ? 'https' : 'http'}://${at.host(given.hostPort)}${given.basePath}/v1/chain/get_info`;
    return [{ check: 'nodeos_api', module: 'nodeos_head_block', target, labels: { node: p.node_name } }];
  },
  rules: nodeosRules,
  runbook: [{ file: 'profiles/nodeos/runbook.md' }],
  dashboard: async () => (await import('./dashboard.js')).nodeosDashboard(),
  status: nodeosStatus,
};
