// Which ES modules a run of the built CLI loads: a module preloaded with --import registers a load
// hook that appends every module address it sees to a file. Tests use it to prove what a command
// never loads (Grafana's SDK for create, yargs for a plain lint).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { runCli, type CliResult } from './cli.js';
import { tempDir } from './stack.js';

const HOOKS = `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  appendFileSync(process.env.LOADED_OUT, url + '\\n');
  return next(url, context);
}
`;
const PROBE = `import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(HOOKS)}));
`;

/** Runs the built CLI with the load hook; returns its result and the file: modules it loaded. */
export function runWithLoadedModules(args: string[]): CliResult & { loaded: string[] } {
  const dir = tempDir('fibre-stack-loaded-');
  const probe = join(dir, 'probe.mjs');
  const out = join(dir, 'loaded.txt');
  writeFileSync(probe, PROBE);
  const r = runCli(args, { env: { NODE_OPTIONS: `--import=${probe}`, LOADED_OUT: out } });
  expect(existsSync(out), `the probe ran: ${r.stderr}`).toBe(true);
  return { ...r, loaded: readFileSync(out, 'utf8').split('\n').filter((u) => u.startsWith('file:')) };
}
