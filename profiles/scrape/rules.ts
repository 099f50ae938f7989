// Alerts for the extra targets of the scrape profile: all we know of them is whether they answer.
import type { RuleFileSpec } from '../kit/rule-kit.js';
import { scrapeConfig } from './config.js';

const { sel, job } = scrapeConfig;

export const scrapeRules: RuleFileSpec = {
  title: 'Extra scrape targets',
  groups: [
    {
      name: 'scrape-alerts',
      rules: [
        {
          alert: 'ScrapeTargetDown',
          expr: `up{${sel}} == 0`,
          for: '5m',
          severity: 'warning',
          summary: 'Scrape target {{ $labels.instance }} is down',
          description: `Prometheus has not scraped {{ $labels.instance }} (job ${job}) for 5 minutes.`,
        },
      ],
    },
  ],
};
