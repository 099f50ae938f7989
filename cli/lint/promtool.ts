// `promtool check rules`, when promtool is on PATH: Prometheus' own judgement of rule files, added
// to ours. One run for all files, its stdout and stderr joined so each FAILED block follows the
// "Checking FILE" line it belongs to.
import { execFile } from 'node:child_process';
import { FindingSink, type Finding } from './findings.js';

/** Exit status of the shell when promtool is not on PATH. */
const NOT_FOUND = 127;

/**
 * promtool check rules' report on these files (its stdout and stderr joined), or undefined when
 * promtool is not on PATH. Started before our own linting, so it runs meanwhile; its report is
 * read with parsePromtoolOutput, for the files that turned out to be Prometheus rule files.
 */
export async function runPromtoolCheckRules(files: readonly string[]): Promise<string | undefined> {
  const script = `command -v promtool >/dev/null 2>&1 || exit ${NOT_FOUND}; exec promtool check rules "$@" 2>&1`;
  return new Promise<string | undefined>((resolve, reject) => {
    execFile('sh', ['-c', script, 'sh', ...files], { maxBuffer: 16 << 20 }, (err, stdout) => {
      if (err && (err as { code?: unknown }).code === NOT_FOUND) resolve(undefined);
      // Exit 1 just means some file failed; anything else without output is promtool itself failing.
      else if (err && stdout === '') reject(new Error(`promtool check rules could not run: ${err.message}`));
      else resolve(stdout);
    });
  });
}

/** Splits promtool's report into per-file blocks and turns each FAILED block into a finding. */
export function parsePromtoolOutput(output: string, files: readonly string[]): Finding[] {
  const findings: Finding[] = [];
  const blocks = output.split(/^Checking /m).slice(1);
  for (const block of blocks) {
    const newline = block.indexOf('\n');
    const file = block.slice(0, newline).trim();
    if (!files.includes(file)) continue;
    const failed = block.indexOf('FAILED:');
    if (failed < 0) continue;
    const detail = block.slice(failed + 'FAILED:'.length).trim().split('\n').map((l) => l.trim()).filter(Boolean).join(' ');
    const sink = new FindingSink(file);
    // promtool's lint findings (duplicate rules) do not fail the check unless --lint-fatal is given.
    const lint = detail.startsWith('lint error');
    sink.add(lint ? 'warning' : 'error', lint ? 'promtool-lint' : 'promtool', '', `promtool check rules: ${detail.replace(`${file}: `, '')}`);
    findings.push(...sink.findings);
  }
  return findings;
}
