import { checkHostPort } from '../../core/spec/checks.js';
import type { ListQuestion, ProfileDef } from '../types.js';
import { scrapeConfig } from './config.js';
import { scrapeRules } from './rules.js';
import { readScrape, scrapeDefaults, type ScrapeProfileSpec } from './spec.js';

const targetsQuestion: ListQuestion<'scrapeTargets'> = {
  key: 'scrapeTargets',
  flag: 'scrape-target',
  kind: 'list',
  describe: 'Extra Prometheus target(s), host:port',
  message: 'Extra scrape targets, host:port (comma-separated)',
  validate: (targets) => targets.map(checkHostPort).find(Boolean) ?? true,
};

const questions = [targetsQuestion] as const;

/** Plain extra targets: anything that already serves Prometheus metrics. */
export const scrapeProfile: ProfileDef<'scrape', ScrapeProfileSpec, typeof questions> = {
  id: 'scrape',
  title: 'Extra Prometheus targets',
  spec: { defaults: scrapeDefaults, read: readScrape },
  questions: {
    asks: questions,
    defaults: (p) => ({ scrapeTargets: p.targets }),
    settings: (a) => ({ targets: a.scrapeTargets }),
  },
  metrics: [],
  scrapeJobs: (p, at) => (p.targets.length ? [{ job_name: scrapeConfig.job, targets: [{ targets: p.targets.map((t) => at.host(t)), labels: {} }] }] : []),
  logSources: () => [],
  rules: scrapeRules,
  runbook: [{ file: 'profiles/scrape/runbook.md' }],
};
