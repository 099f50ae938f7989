// Untrusted documents are bounded: an alias bomb, a dashboard nested 100,000 deep and one with
// hundreds of thousands of panels are reported as findings (or refused with the reason), never a
// crash or gigabytes of memory.
import { describe, expect, it } from 'vitest';
import { documentTooLarge, textTooLarge } from '../core/document-limits.js';
import { parseYaml } from '../core/encode/yaml.js';
import { lintDashboardText } from '../cli/lint/dashboard.js';
import { lintRuleText } from '../cli/lint/rules.js';

/** 445 bytes that stand for 9^9 (387 million) strings once the aliases are expanded. */
function aliasBomb(): string {
  const letters = 'abcdefghi';
  const lines = [`a: &a [${Array(9).fill('"lol"').join(',')}]`];
  for (let i = 1; i < letters.length; i++) lines.push(`${letters[i]}: &${letters[i]} [${Array(9).fill(`*${letters[i - 1]}`).join(',')}]`);
  lines.push('groups: [{ name: g, rules: [{ alert: A, expr: up, labels: *i }] }]');
  return lines.join('\n') + '\n';
}

const deepJson = (depth: number) => `{"panels": ${'['.repeat(depth)}${']'.repeat(depth)}}`;

describe('document limits', () => {
  it('counts values as a walk would reach them, aliases included, and stops at the limit', () => {
    const shared = [1, 2, 3];
    expect(documentTooLarge({ a: shared, b: shared }, { maxBytes: 100, maxValues: 9, maxDepth: 5 })).toBeUndefined();
    expect(documentTooLarge({ a: shared, b: shared }, { maxBytes: 100, maxValues: 8, maxDepth: 5 })).toBe('it holds more than 8 values once aliases are expanded');
    expect(documentTooLarge([[[[1]]]], { maxBytes: 100, maxValues: 100, maxDepth: 5 })).toBeUndefined();
    expect(documentTooLarge([[[[[1]]]]], { maxBytes: 100, maxValues: 100, maxDepth: 5 })).toBe('it is nested more than 5 levels deep');
    expect(textTooLarge('é'.repeat(3), { maxBytes: 6, maxValues: 1, maxDepth: 1 })).toBeUndefined();
    expect(textTooLarge('é'.repeat(4), { maxBytes: 6, maxValues: 1, maxDepth: 1 })).toBe('8 bytes, more than the 6 this reads');
  });

  it('parseYaml refuses an alias bomb and reads an ordinary document', () => {
    expect(() => parseYaml(aliasBomb())).toThrow('too large to read: it holds more than 1000000 values once aliases are expanded');
    expect(parseYaml('a: &x [1, 2]\nb: *x\n')).toEqual({ a: [1, 2], b: [1, 2] });
  });

  it('lint reports an alias bomb in a rule file as invalid YAML', () => {
    const { findings, kind } = lintRuleText('bomb.yml', aliasBomb());
    expect(kind).toBe('other');
    expect(findings.map((f) => [f.severity, f.rule, f.message])).toEqual([
      ['error', 'invalid-yaml', 'not valid YAML: too large to read: it holds more than 1000000 values once aliases are expanded'],
    ]);
  });

  it('lint reports a dashboard nested 100,000 deep instead of overflowing its stack', () => {
    const { findings } = lintDashboardText('deep.json', deepJson(100_000));
    expect(findings.map((f) => [f.severity, f.rule, f.message])).toEqual([['error', 'dashboard-too-large', 'not linted: it is nested more than 100 levels deep']]);
  });

  it('lint reports a dashboard with 400,000 panels', () => {
    const panels = Array.from({ length: 400_000 }, (_, i) => ({ id: i, type: 'text' }));
    const { findings } = lintDashboardText('wide.json', JSON.stringify({ uid: 'w', title: 'W', panels }));
    expect(findings.map((f) => [f.rule, f.message])).toEqual([['dashboard-too-large', 'not linted: it holds more than 1000000 values once aliases are expanded']]);
  });
});
