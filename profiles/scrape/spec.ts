// The `profiles.scrape` section of fibre-stack.yml: extra targets, host:port each.
import { checkHostPort } from '../../core/spec/checks.js';
import { describe, join, type Reader } from '../../core/spec/reader.js';

export interface ScrapeProfileSpec {
  targets: string[];
}

export function scrapeDefaults(): ScrapeProfileSpec {
  return { targets: [] };
}

export function readScrape(r: Reader, value: unknown, key: string): ScrapeProfileSpec {
  const o = r.object(value, key) ?? {};
  r.noUnknownKeys(o, key, Object.keys(scrapeDefaults()));
  const raw = r.list(o, key, 'targets') ?? [];
  const targets: string[] = [];
  raw.forEach((t, i) => {
    const k = join(join(key, 'targets'), i);
    if (typeof t !== 'string') r.problem(k, `expected host:port, got ${describe(t)}`);
    else {
      const wrong = checkHostPort(t);
      if (wrong) r.problem(k, wrong);
      targets.push(t);
    }
  });
  return { targets };
}
