// Alerts for the extra targets of the scrape profile: all we know of them is whether they answer.
import type { RuleFileSpec } from '../kit/rule-kit.js';

export const scrapeRules: RuleFileSpec = {
  title: 'Extra scrape targets',
  groups: [
    {
      name: 'scrape-alerts',
      rules: [
        {
          alert: 'ScrapeTargetDown',
          expr: 'up{job="scrape"} == 0',
          for: '5m',
          severity: 'warning',
          summary: 'Scrape target {{ $labels.instance }} is down',
          description: 'Prometheus has not scraped {{ $labels.instance }} (job scrape) for 5 minutes.',
        },
      ],
    },
  ],
};
