import type { ProfileDef } from '../types.js';

/** Plain extra targets: anything that already serves Prometheus metrics. */
export const scrapeProfile: ProfileDef<'scrape'> = {
  id: 'scrape',
  title: 'Extra Prometheus targets',
  metrics: [],
  scrapeJobs: (p, at) => (p.targets.length ? [{ job_name: 'scrape', targets: [{ targets: p.targets.map((t) => at.host(t)), labels: {} }] }] : []),
  logSources: () => [],
};
