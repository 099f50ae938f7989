// `create` copies the dashboards the package ships and never loads Grafana's foundation SDK (some
// 240 modules); only `fibre-stack dashboards` builds them with it. Checked on the built CLI (the
// bundle; vitest builds it first, test/support/build.ts): a preloaded module registers a load hook
// that lists every ES module the CLI loads, and a module holds the SDK when its address names the
// SDK (imported from node_modules) or its text carries the SDK's module paths (bundled, as in
// dist/dev/artifacts.js).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runWithLoadedModules } from './support/loaded-modules.js';
import { tempDir } from './support/stack.js';

const SDK = 'grafana-foundation-sdk';
/** Runs the CLI with the load hook; returns its result and the loaded modules that hold the SDK. */
function runProbed(args: string[]): { code: number; output: string; loaded: string[]; sdkModules: string[] } {
  const r = runWithLoadedModules(args);
  const sdkModules = r.loaded.filter((u) => u.includes(SDK) || readFileSync(fileURLToPath(u), 'utf8').includes(SDK));
  return { code: r.code, output: r.stdout + r.stderr, loaded: r.loaded, sdkModules };
}

describe('the foundation SDK stays off create\'s start-up path', () => {
  it('create --yes writes every profile\'s dashboard without loading the SDK', () => {
    const stack = join(tempDir(), 'stack');
    const r = runProbed(['create', stack, '--yes', '--profiles', 'fibre,bitcoin-core,miner,nodeos,scrape']);
    expect(r.code, r.output).toBe(0);
    expect(r.loaded.some((u) => u.endsWith('/dist/cli/main.js')), r.loaded.join('\n')).toBe(true);
    expect(r.sdkModules).toEqual([]);
    for (const file of ['stack-overview.json', 'fibre.json', 'bitcoin-core.json', 'miner.json', 'nodeos.json']) {
      expect(readFileSync(join(stack, 'grafana', 'dashboards', file), 'utf8'), file).toBe(readFileSync(join(import.meta.dirname, '..', 'dashboards', file), 'utf8'));
    }
  });

  it('while `fibre-stack dashboards` loads it (so the probe would see it)', () => {
    const r = runProbed(['dashboards', '--out', tempDir()]);
    expect(r.code, r.output).toBe(0);
    expect(r.sdkModules.length, r.loaded.join('\n')).toBeGreaterThan(0);
  });
});
