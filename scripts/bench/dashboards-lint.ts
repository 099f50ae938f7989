// Regenerate every built-in dashboard and rule file and lint them all (PromQL/LogQL parsing,
// catalog checks, datasource resolution, promtool check rules), as `fibre-stack dashboards` then
// `fibre-stack lint` do. Goal from issue 4: under 1 s wall. Reference: `promtool check rules` alone
// on the same rule files, the part of the work that is Prometheus' own program.
// Then the pair as CI runs it, two processes of the built CLI in this clone: `fibre-stack
// dashboards --check` and `fibre-stack lint` (its default paths, promtool included), against a
// bare `node -e 0` start, run alternately. Goal from issue 17: under 4x.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { checkedInArtifacts } from '../../cli/artifacts/index.js';
import { lintPaths } from '../../cli/lint/index.js';
import { hasErrors } from '../../cli/lint/findings.js';
import { median, spread } from '../lib/stats.js';

const RUNS = 15;
const CLI_RUNS = 11;
const CLI = join(fileURLToPath(import.meta.url), '..', '..', '..', 'cli', 'main.js');


function line(label: string, xs: number[]): string {
  return `${label}: ${spread(xs)}`;
}

async function regenerateAndLint(dir: string, promtool: boolean): Promise<number> {
  const start = performance.now();
  for (const { path, content } of await checkedInArtifacts()) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  const report = await lintPaths([join(dir, 'dashboards'), join(dir, 'rules')], { promtool });
  const ms = performance.now() - start;
  if (hasErrors(report.findings) || (promtool && report.promtool !== 'ran')) throw new Error(`lint did not pass cleanly: ${JSON.stringify(report.findings.slice(0, 3))}`);
  return ms;
}

function timeSpawn(cmd: string, args: string[]): number {
  const start = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stdout}${r.stderr}`);
  return ms;
}

async function main(): Promise<void> {
  if (spawnSync('promtool', ['--version']).status !== 0) {
    console.error('dashboards-lint: promtool is not on PATH');
    process.exit(2);
  }
  const dir = mkdtempSync(join(tmpdir(), 'bench-dashboards-lint-'));
  try {
    await regenerateAndLint(dir, true); // warm-up: module loading and JIT
    const full: number[] = [];
    const withoutPromtool: number[] = [];
    const promtoolOnly: number[] = [];
    const ruleFiles = (await checkedInArtifacts()).filter((a) => a.path.startsWith('rules/')).map((a) => join(dir, a.path));
    for (let i = 0; i < RUNS; i++) {
      full.push(await regenerateAndLint(dir, true));
      withoutPromtool.push(await regenerateAndLint(dir, false));
      promtoolOnly.push(timeSpawn('promtool', ['check', 'rules', ...ruleFiles]));
    }
    const cli: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < CLI_RUNS; i++) {
      cli.push(timeSpawn(process.execPath, [CLI, 'dashboards', '--check']) + timeSpawn(process.execPath, [CLI, 'lint']));
      bare.push(timeSpawn(process.execPath, ['-e', '0']));
    }
    console.log(line('regenerate + lint all built-in dashboards and rules (with promtool)', full));
    console.log(line('regenerate + lint without promtool', withoutPromtool));
    console.log(line('reference: promtool check rules alone', promtoolOnly));
    console.log(`ratio full / reference: ${(median(full) / median(promtoolOnly)).toFixed(2)}; goal: under 1000 ms`);
    console.log(`as CI runs them, \`fibre-stack dashboards --check\` + \`fibre-stack lint\` (two processes): ${spread(cli)}; bare \`node -e 0\` ${spread(bare)}; ratio ${(median(cli) / median(bare)).toFixed(2)} (goal: under 4x)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
