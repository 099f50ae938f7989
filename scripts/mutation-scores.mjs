// After `stryker run` (npm run mutation): the mutation score of each module, from Stryker's JSON
// report, and exit 1 when any module is under the break threshold. Stryker's own `break` judges
// all modules together, where a well-tested module would hide one that is barely tested.
// Scores as Stryker counts them: killed and timed-out mutants over all but those that did not
// compile or were ignored.
import { readFileSync } from 'node:fs';

const REPORT = 'reports/mutation/mutation.json';
const { default: config } = await import(new URL('../stryker.config.mjs', import.meta.url));
const minimum = config.thresholds.break;

const report = JSON.parse(readFileSync(REPORT, 'utf8'));
const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

const rows = Object.entries(report.files)
  .map(([file, { mutants }]) => {
    const detected = mutants.filter((m) => DETECTED.has(m.status)).length;
    const valid = detected + mutants.filter((m) => UNDETECTED.has(m.status)).length;
    return { file, detected, valid, score: valid === 0 ? 100 : (100 * detected) / valid };
  })
  .sort((a, b) => a.file.localeCompare(b.file));

const width = Math.max(...rows.map((r) => r.file.length));
console.log(`mutation score per module (break below ${minimum}%):`);
for (const r of rows) {
  console.log(`  ${r.file.padEnd(width)}  ${r.score.toFixed(1).padStart(5)}%  (${r.detected}/${r.valid})${r.score < minimum ? '  UNDER' : ''}`);
}
const under = rows.filter((r) => r.score < minimum);
if (under.length > 0) {
  console.error(`mutation-scores: ${under.length} module(s) under ${minimum}%: ${under.map((r) => r.file).join(', ')}`);
  process.exit(1);
}
