// What every exporter mode does around its collector: make the metrics from the catalog, set the
// self-metrics, serve HTTP, print where, and run until SIGINT/SIGTERM (docker stop sends SIGTERM).
import type { MetricDef } from '../core/catalog.js';
import { serveMetrics, type HealthState } from './http.js';
import { MetricSet } from './metrics-registry.js';
import type { CommonExporterOptions } from './options.js';
import { initSelfMetrics, type SelfMetrics } from './self-metrics.js';

export interface ExporterRuntime {
  metrics: MetricSet;
  self: SelfMetrics;
  urls: string[];
  close(): Promise<void>;
}

export async function startRuntime(
  opts: CommonExporterOptions,
  defs: readonly MetricDef[],
  info: { bitcoind_path: string },
  health: () => HealthState,
): Promise<ExporterRuntime> {
  const metrics = new MetricSet(defs);
  const self = initSelfMetrics(metrics, { node_name: opts.nodeName, bitcoind_path: info.bitcoind_path });
  const server = await serveMetrics({ ...opts, metrics, health });
  for (const url of server.urls) process.stdout.write(`serving ${url}\n`);
  return { metrics, self, urls: server.urls, close: server.close };
}

/** Resolves on the first SIGINT or SIGTERM, so the caller can stop its work and close cleanly. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
