// /metrics is rendered series by series (exporter/exposition.ts), reading prom-client's storage
// for counters and gauges. Whatever happens to the metrics, the body must be byte for byte what
// prom-client itself renders: these tests drive random changes and compare after each.
import fc from 'fast-check';
import { Counter } from 'prom-client';
import { describe, expect, it, vi } from 'vitest';
import { Exposition } from '../exporter/exposition.js';
import { MetricSet } from '../exporter/metrics-registry.js';
import { metric } from '../core/catalog.js';

const x = 'fibre-stack-exporter' as const;
const DEFS = [
  metric({ name: 'test_events_total', type: 'counter', help: 'Events, with "quotes" and a back\\slash\nand a newline.', labels: ['node', 'peer'], unit: 'none', servedBy: x }),
  metric({ name: 'test_value', type: 'gauge', help: 'Value.', labels: ['node', 'peer'], unit: 'none', servedBy: x }),
  metric({ name: 'test_up', type: 'gauge', help: 'No labels.', labels: [], unit: 'none', servedBy: x }),
  metric({ name: 'test_seconds', type: 'histogram', help: 'Durations.', labels: ['node'], unit: 'seconds', buckets: [0.01, 0.1, 1], servedBy: x }),
];

const HOSTILE = ['a"b\n  evil: 1', 'back\\slash', '\\n literal', 'ünïcödé ✓ 区块', '', 'with space', '{x="y"}', '\u2028sep'];
const label = fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 8 }), fc.nat(600).map((n) => `peer-${n}`));
const labels = fc.record({ node: fc.constantFrom('n1', 'n2'), peer: label });
const number = fc.oneof(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), fc.constantFrom(NaN, Infinity, -Infinity, 0, -0, 1e21, 5e-324));

type Op =
  | { op: 'inc'; labels: { node: string; peer: string }; by: number }
  | { op: 'set' | 'gaugeInc'; labels: { node: string; peer: string }; value: number }
  | { op: 'up'; value: number }
  | { op: 'observe'; node: string; value: number }
  | { op: 'many'; from: number; count: number }
  | { op: 'reset' | 'resetGauge' }
  | { op: 'remove'; labels: { node: string; peer: string } }
  | { op: 'child'; labels: { node: string; peer: string } }
  | { op: 'timer'; node: string }
  | { op: 'foreign' }
  | { op: 'render' };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('inc' as const), labels, by: fc.oneof(fc.nat(1000), fc.double({ noNaN: true, min: 0, max: 1e9 })) }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constantFrom('set' as const, 'gaugeInc' as const), labels, value: number }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('up' as const), value: number }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('observe' as const), node: label, value: fc.double({ noNaN: true, min: 0, max: 5 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('many' as const), from: fc.nat(600), count: fc.integer({ min: 1, max: 600 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constantFrom('reset' as const, 'resetGauge' as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('remove' as const), labels }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('child' as const), labels }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('timer' as const), node: label }) },
  { weight: 1, arbitrary: fc.constant({ op: 'foreign' as const }) },
  { weight: 5, arbitrary: fc.constant({ op: 'render' as const }) },
);

async function body(exposition: Exposition): Promise<string> {
  return Buffer.concat((await exposition.body()).parts).toString();
}

describe('Exposition', () => {
  it('renders what prom-client renders, after any sequence of changes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 60 }), async (ops) => {
        const set = new MetricSet(DEFS);
        // A metric registered by other code: its changes are not reported, so it is read every time.
        const foreign = new Counter({ name: 'foreign_total', help: 'Not ours.', registers: [set.registry] });
        const exposition = new Exposition(set);
        const counter = set.counter('test_events_total');
        const gauge = set.gauge('test_value');
        for (const o of ops) {
          switch (o.op) {
            case 'inc':
              counter.inc({ ...o.labels }, o.by);
              break;
            case 'set':
              gauge.set({ ...o.labels }, o.value);
              break;
            case 'gaugeInc':
              if (Number.isFinite(o.value)) gauge.inc({ ...o.labels }, o.value);
              break;
            case 'up':
              set.gauge('test_up').set(o.value);
              break;
            case 'observe':
              set.histogram('test_seconds').observe({ node: o.node }, o.value);
              break;
            case 'many':
              for (let i = o.from; i < o.from + o.count; i++) counter.inc({ node: 'n1', peer: `peer-${i}` });
              break;
            case 'reset':
              counter.reset();
              break;
            case 'resetGauge':
              gauge.reset();
              break;
            case 'remove':
              counter.remove({ ...o.labels });
              break;
            case 'child':
              counter.labels({ ...o.labels }).inc(3);
              break;
            case 'timer':
              set.histogram('test_seconds').startTimer({ node: o.node })();
              break;
            case 'foreign':
              foreign.inc();
              break;
            case 'render':
              expect(await body(exposition)).toBe(await set.registry.metrics());
          }
        }
        expect(await body(exposition)).toBe(await set.registry.metrics());
      }),
      { numRuns: 300 },
    );
  });

  it('reads only the series a change names, not the whole metric', async () => {
    const set = new MetricSet(DEFS);
    const counter = set.counter('test_events_total');
    for (let i = 0; i < 1000; i++) counter.inc({ node: 'n1', peer: `peer-${i}` }, i);
    const exposition = new Exposition(set);
    expect(await body(exposition)).toBe(await set.registry.metrics());
    const bare = set.registry.getSingleMetric('test_events_total')!;
    const wholeReads = vi.spyOn(bare, 'get');
    counter.inc({ node: 'n1', peer: 'peer-500' }, 7);
    counter.inc({ node: 'n2', peer: 'new' });
    const text = await body(exposition);
    expect(wholeReads).not.toHaveBeenCalled();
    expect(text).toContain('test_events_total{node="n1",peer="peer-500"} 507\n');
    expect(text).toBe(await set.registry.metrics());
    // A histogram is read whole when it changed.
    const histogram = vi.spyOn(set.registry.getSingleMetric('test_seconds')!, 'get');
    set.histogram('test_seconds').observe({ node: 'n1' }, 0.05);
    expect(await body(exposition)).toBe(await set.registry.metrics());
    expect(histogram).toHaveBeenCalledTimes(1);
  });

  it('renders once while nothing changes, and shares one rendering between concurrent scrapes', async () => {
    const set = new MetricSet(DEFS);
    const exposition = new Exposition(set);
    // The same object back means no new rendering was made.
    const [a, b] = await Promise.all([exposition.body(), exposition.body()]);
    expect(a).toBe(b);
    expect(await exposition.body()).toBe(a);
    expect(exposition.current).toBe(true);
    set.gauge('test_up').set(1);
    expect(exposition.current).toBe(false);
    const c = await exposition.body();
    expect(c).not.toBe(a);
    expect(Buffer.concat(c.parts).toString()).toContain('\ntest_up 1\n');
    expect(await exposition.body()).toBe(c);
  });

  it('sends the body as pieces of 256 series, and a change makes only its own piece again', async () => {
    const set = new MetricSet(DEFS);
    const counter = set.counter('test_events_total');
    for (let i = 0; i < 600; i++) counter.inc({ node: 'n1', peer: `peer-${i}` });
    const exposition = new Exposition(set);
    const first = await exposition.body();
    // The header, blocks of 256, 256 and 88 series, then the metrics without a series and the last newline.
    const counterParts = first.parts.slice(0, 4);
    expect(counterParts.map((p) => p.toString().split('\n').filter((l) => l.startsWith('test_events_total{')).length)).toEqual([0, 256, 256, 88]);
    counter.inc({ node: 'n1', peer: 'peer-300' });
    const second = await exposition.body();
    expect(second.parts[1]).toBe(first.parts[1]);
    expect(second.parts[2]).not.toBe(first.parts[2]);
    expect(second.parts[3]).toBe(first.parts[3]);
    expect(second.parts[2].toString()).toContain('\ntest_events_total{node="n1",peer="peer-300"} 2');
    expect(Buffer.concat(second.parts).toString()).toBe(await set.registry.metrics());
    expect(second.length).toBe(Buffer.concat(second.parts).length);
  });

  it('starts a new piece for a new series when the last one is full', async () => {
    const set = new MetricSet(DEFS);
    const counter = set.counter('test_events_total');
    for (let i = 0; i < 256; i++) counter.inc({ node: 'n1', peer: `peer-${i}` });
    const exposition = new Exposition(set);
    const first = await exposition.body();
    counter.inc({ node: 'n2', peer: 'new' });
    const second = await exposition.body();
    expect(second.parts[1]).toBe(first.parts[1]);
    expect(second.parts[2].toString()).toBe('\ntest_events_total{node="n2",peer="new"} 1');
    expect(Buffer.concat(second.parts).toString()).toBe(await set.registry.metrics());
  });

  it('renders a metric whole again once more than 256 changes were made to it between two scrapes', async () => {
    const set = new MetricSet(DEFS);
    const counter = set.counter('test_events_total');
    for (let i = 0; i < 300; i++) counter.inc({ node: 'n1', peer: `peer-${i}` });
    const exposition = new Exposition(set);
    const bodies = [await exposition.body()];
    // Changes to one series of the first piece: up to 256, only that piece is made again.
    for (const changes of [256, 257]) {
      for (let i = 0; i < changes; i++) counter.inc({ node: 'n1', peer: 'peer-0' });
      bodies.push(await exposition.body());
      expect(Buffer.concat(bodies.at(-1)!.parts).toString()).toBe(await set.registry.metrics());
    }
    const [, keyed, whole] = bodies;
    expect(keyed.parts[2]).toBe(bodies[0].parts[2]);
    expect(whole.parts[2]).not.toBe(keyed.parts[2]);
    expect(whole.parts[2].equals(keyed.parts[2])).toBe(true);
  });

  it('renders afresh a metric registered again under the same name', async () => {
    const set = new MetricSet(DEFS);
    const exposition = new Exposition(set);
    await exposition.body();
    set.registry.removeSingleMetric('foreign_total');
    new Counter({ name: 'foreign_total', help: 'First.', registers: [set.registry] }).inc(2);
    expect(Buffer.concat((await exposition.body()).parts).toString()).toContain('# HELP foreign_total First.\n# TYPE foreign_total counter\nforeign_total 2\n');
    set.registry.removeSingleMetric('foreign_total');
    new Counter({ name: 'foreign_total', help: 'Second.', registers: [set.registry] }).inc(5);
    const text = Buffer.concat((await exposition.body()).parts).toString();
    expect(text).toBe(await set.registry.metrics());
    expect(text).toContain('# HELP foreign_total Second.\n# TYPE foreign_total counter\nforeign_total 5\n');
  });
});
