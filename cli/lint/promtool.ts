// `promtool check rules`, when promtool is on PATH: Prometheus' own judgement of rule files, added
// to ours. One run for all files, its stdout and stderr joined so each FAILED block follows the
// "Checking FILE" line it belongs to.
import { execFile } from 'node:child_process';
import { FindingSink, type Finding } from './findings.js';

export function promtoolAvailable(): Promise<boolean> {
  return new Promise((resolve) => execFile('promtool', ['--version'], (err) => resolve(!err)));
}

export async function promtoolCheckRules(files: readonly string[]): Promise<Finding[]> {
  if (files.length === 0) return [];
  const output = await new Promise<string>((resolve, reject) => {
    execFile('sh', ['-c', 'exec promtool check rules "$@" 2>&1', 'sh', ...files], { maxBuffer: 16 << 20 }, (err, stdout) => {
      // Exit 1 just means some file failed; anything else without output is promtool itself failing.
      if (err && stdout === '') reject(new Error(`promtool check rules could not run: ${err.message}`));
      else resolve(stdout);
    });
  });
  return parsePromtoolOutput(output, files);
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
