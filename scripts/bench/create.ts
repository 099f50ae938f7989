// Wall time of `fibre-stack create --yes` with every profile, as a user runs it (a new node
// process each time), and of the render alone. Goal: median under 0.5 s.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { renderStack } from '../../cli/render/index.js';
import { loadPackageSources } from '../../cli/io/templates.js';
import { defaultAnswers, specFromAnswers } from '../../cli/spec/from-answers.js';
import { PROFILE_IDS } from '../../cli/spec/types.js';
import { median } from '../lib/stats.js';

const RUNS = 15;
const CLI = join(fileURLToPath(import.meta.url), '..', '..', '..', 'cli', 'main.js');


function timeCreate(): number {
  const dir = join(mkdtempSync(join(tmpdir(), 'bench-create-')), 'stack');
  const start = performance.now();
  const r = spawnSync(process.execPath, [CLI, 'create', dir, '--yes', '--profiles', PROFILE_IDS.join(','), '--scrape-target', '10.0.0.1:9100'], { encoding: 'utf8' });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`create failed: ${r.stderr}`);
  rmSync(join(dir, '..'), { recursive: true, force: true });
  return ms;
}

function timeNodeStartup(): number {
  const start = performance.now();
  spawnSync(process.execPath, ['-e', '0']);
  return performance.now() - start;
}

const create = Array.from({ length: RUNS }, timeCreate);
const node = Array.from({ length: RUNS }, timeNodeStartup);
const spec = specFromAnswers({ ...defaultAnswers('/tmp/bench'), profiles: [...PROFILE_IDS], scrapeTargets: ['10.0.0.1:9100'] });
const sources = loadPackageSources();
const render = Array.from({ length: 50 }, () => {
  const start = performance.now();
  renderStack(spec, { grafanaAdminPassword: 'x' }, sources);
  return performance.now() - start;
});

console.log(`create --yes, every profile (${RUNS} runs): median ${median(create).toFixed(0)} ms (goal < 500 ms); reference: bare \`node -e 0\` median ${median(node).toFixed(0)} ms`);
console.log(`  render alone (in process, 50 runs): median ${median(render).toFixed(1)} ms`);
