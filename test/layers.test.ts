// The layering rule (.dependency-cruiser.cjs) holds for the code, and it does catch a violation.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const DEPCRUISE = join(ROOT, 'node_modules/.bin/depcruise');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

/** The rule names and edges depcruise reports for the layer folders under `cwd`. */
function violations(cwd: string): string[] {
  let out: string;
  try {
    out = execFileSync(DEPCRUISE, ['core', 'exporter', 'profiles', 'cli', '--config', CONFIG, '--output-type', 'json'], { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  } catch (err) {
    // depcruise exits non-zero when it finds errors; the JSON report is still on stdout.
    out = (err as { stdout: string }).stdout;
  }
  const report = JSON.parse(out) as { summary: { violations: Violation[] } };
  return report.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);
}

describe('layers: core <- exporter <- profiles <- cli', () => {
  it('the code has no violation', () => {
    expect(violations(ROOT)).toEqual([]);
  });

  it('reports a lower layer importing a higher one, and a profile reaching past exporter/index.ts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fibre-layers-'));
    try {
      const file = (path: string, text: string) => {
        mkdirSync(join(dir, path, '..'), { recursive: true });
        writeFileSync(join(dir, path), text);
      };
      file('tsconfig.json', JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' } }));
      file('core/a.ts', "import { b } from '../cli/b.js';\nexport const a = b;\n");
      file('cli/b.ts', 'export const b = 1;\n');
      file('exporter/index.ts', "export { c } from './c.js';\n");
      file('exporter/c.ts', 'export const c = 1;\n');
      file('profiles/p.ts', "import { c } from '../exporter/c.js';\nexport const p = c;\n");
      expect(violations(dir).sort()).toEqual([
        'core-is-the-bottom: core/a.ts -> cli/b.ts',
        'profiles-use-the-exporter-entry: profiles/p.ts -> exporter/c.ts',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
