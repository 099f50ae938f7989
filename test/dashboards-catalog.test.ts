// The whole metric catalog the dashboards, rules and linter check against.
import { describe, expect, it } from 'vitest';
import { ALL_METRICS } from '../cli/all-metrics.js';
import { PROFILES } from '../profiles/registry.js';
import { stackMetrics } from '../cli/services/metrics.js';

describe('ALL_METRICS', () => {
  it('holds each name once', () => {
    const names = ALL_METRICS.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('holds every profile metric and the stack metrics', () => {
    const names = new Set(ALL_METRICS.map((m) => m.name));
    for (const m of [...PROFILES.profiles.flatMap((p) => p.metrics), ...stackMetrics]) expect(names.has(m.name), m.name).toBe(true);
  });

  it('points each deprecated metric at a live replacement in the catalog', () => {
    const live = new Set(ALL_METRICS.filter((m) => !m.deprecated).map((m) => m.name));
    const deprecated = ALL_METRICS.filter((m) => m.deprecated);
    expect(deprecated.length).toBeGreaterThan(0);
    for (const m of deprecated) expect(live.has(m.deprecated!.replacedBy!), `${m.name} → ${m.deprecated!.replacedBy}`).toBe(true);
  });

  it('keeps deprecated metrics out of what the exporter serves', () => {
    for (const p of PROFILES.profiles) expect(p.metrics.filter((m) => m.deprecated)).toEqual([]);
  });
});
