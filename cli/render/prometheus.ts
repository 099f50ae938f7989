// prometheus.yml, its file_sd target files and the stack's rule files.
import type { StackSpec } from '../spec/types.js';

import { dumpYaml } from '../../core/encode/yaml.js';
import { generatedFromSpec } from '../../core/generated.js';
import { ruleFilesFor } from '../artifacts/rules.js';
import type { RenderedFile } from './types.js';
import { serviceAddress } from './addressing.js';
import { enabledProfiles, scrapeJobs } from './stack-profiles.js';
import { enabledServices } from '../services/table.js';
import type { Registry } from '../../profiles/registry.js';
import type { ScrapeJob } from '../../profiles/types.js';
import { agentFlags, fleetNode, nodeExternalLabels, remoteWrite } from './fleet-node.js';

/** Scrape configs with their targets in file_sd files, so targets can change without a restart. */
export function fileSdScrapeConfigs(jobs: readonly ScrapeJob[], dir = 'targets') {
  return jobs.map((job) => ({
    job_name: job.job_name,
    ...(job.metrics_path ? { metrics_path: job.metrics_path } : {}),
    ...(job.scheme ? { scheme: job.scheme } : {}),
    ...(job.honor_labels ? { honor_labels: true } : {}),
    file_sd_configs: [{ files: [`${dir}/${job.job_name}.json`], refresh_interval: '30s' }],
    ...(job.via ? { relabel_configs: throughExporter(job.via) } : {}),
  }));
}

export function renderPrometheus(spec: StackSpec, profiles: Registry): RenderedFile[] {
  const jobs = scrapeJobs(spec, profiles);
  const node = fleetNode(spec);
  // A fleet node runs Prometheus in agent mode, which refuses rule_files, alerting and remote_read
  // (prometheus/prometheus@v2.42.0 and @v3.14.0:config/config.go, "not allowed in agent mode"):
  // its rules are evaluated at the hub.
  const config: Record<string, unknown> = node
    ? {
        global: { scrape_interval: '15s', external_labels: { stack: spec.project, ...nodeExternalLabels(node) } },
        scrape_configs: fileSdScrapeConfigs(jobs),
        remote_write: remoteWrite(spec, node),
      }
    : {
        global: {
          scrape_interval: '15s',
          evaluation_interval: '15s',
          external_labels: { stack: spec.project },
        },
        // Relative to this file: prometheus/rules/ beside it.
        rule_files: ['rules/*.yml'],
        scrape_configs: fileSdScrapeConfigs(jobs),
      };
  if (!node && enabledServices(spec).includes('alertmanager')) {
    config.alerting = { alertmanagers: [{ static_configs: [{ targets: [serviceAddress(spec, 'alertmanager')] }] }] };
  }
  return [
    { path: 'prometheus/prometheus.yml', content: dumpYaml(config, generatedFromSpec('#')) },
    ...jobs.map((job) => ({
      path: `prometheus/targets/${job.job_name}.json`,
      content: JSON.stringify(job.targets, null, 2) + '\n',
    })),
    ...(node ? [] : ruleFilesFor(enabledProfiles(spec, profiles).map(({ def }) => def.id), profiles).map((r) => ({ path: `prometheus/rules/${r.file}`, content: r.content }))),
  ];
}

/**
 * The multi-target exporter pattern: the target becomes the exporter's `target` parameter and the
 * series' instance, and the exporter is what is scraped (relabel_config's source_labels,
 * target_label, replacement: prometheus/prometheus@v3.14.0:model/relabel/relabel.go).
 */
function throughExporter(via: string): unknown[] {
  return [
    { source_labels: ['__address__'], target_label: '__param_target' },
    { source_labels: ['__param_target'], target_label: 'instance' },
    { target_label: '__address__', replacement: via },
  ];
}

/**
 * Prometheus command-line flags. Retention is a flag: the config file's storage.tsdb.retention
 * exists only from v3.8.0, where the flag is deprecated yet still applied when the file sets none
 * (prometheus/prometheus@v3.14.0:cmd/prometheus/main.go), and a flag works with older images too.
 */
export function prometheusFlags(spec: StackSpec, paths: { config: string; data: string; listen: string }): string[] {
  if (fleetNode(spec)) return agentFlags(paths);
  return [
    `--config.file=${paths.config}`,
    `--storage.tsdb.path=${paths.data}`,
    `--storage.tsdb.retention.time=${spec.retention.metrics}`,
    `--web.listen-address=${paths.listen}`,
    // Lets `generate` reload a running Prometheus without a restart.
    '--web.enable-lifecycle',
  ];
}
