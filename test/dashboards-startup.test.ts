// `create` copies the dashboards the package ships and never loads Grafana's foundation SDK (some
// 240 modules); only `fibre-stack dashboards` builds them with it. Checked on the built CLI (`npx
// tsc -p .` first, as test/support/cli.ts says): a preloaded module lists, at exit, the SDK's
// modules in Node's CommonJS cache, where the SDK (CommonJS) lands however it is imported.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { tempDir } from './support/stack.js';

const PROBE = `import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
const cache = createRequire(import.meta.url).cache;
process.on('exit', () => writeFileSync(process.env.SDK_MODULES_OUT, Object.keys(cache).filter((m) => m.includes('/@grafana/grafana-foundation-sdk/')).join('\\n')));
`;

/** Runs the CLI with the probe; returns its result and the SDK modules it loaded. */
function runProbed(args: string[]): { code: number; output: string; sdkModules: string[] } {
  const dir = tempDir('fibre-stack-startup-');
  const probe = join(dir, 'probe.mjs');
  const out = join(dir, 'sdk-modules.txt');
  writeFileSync(probe, PROBE);
  const r = runCli(args, { env: { NODE_OPTIONS: `--import=${probe}`, SDK_MODULES_OUT: out } });
  expect(existsSync(out), `the probe ran: ${r.stderr}`).toBe(true);
  return { code: r.code, output: r.stdout + r.stderr, sdkModules: readFileSync(out, 'utf8').split('\n').filter(Boolean) };
}

describe('the foundation SDK stays off create\'s start-up path', () => {
  it('create --yes writes every profile\'s dashboard without loading the SDK', () => {
    const stack = join(tempDir(), 'stack');
    const r = runProbed(['create', stack, '--yes', '--profiles', 'fibre,bitcoin-core,miner,nodeos,scrape']);
    expect(r.code, r.output).toBe(0);
    expect(r.sdkModules).toEqual([]);
    for (const file of ['stack-overview.json', 'fibre.json', 'bitcoin-core.json', 'miner.json', 'nodeos.json']) {
      expect(readFileSync(join(stack, 'grafana', 'dashboards', file), 'utf8'), file).toBe(readFileSync(join(import.meta.dirname, '..', 'dashboards', file), 'utf8'));
    }
  });

  it('while `fibre-stack dashboards` loads it (so the probe would see it)', () => {
    const r = runProbed(['dashboards', '--out', tempDir()]);
    expect(r.code, r.output).toBe(0);
    expect(r.sdkModules.some((m) => m.endsWith('/dist/dashboard/dashboardBuilder.gen.js')), r.sdkModules.slice(0, 5).join('\n')).toBe(true);
  });
});
