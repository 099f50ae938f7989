// How create and generate tell the user what they wrote.
import type { WriteResult } from '../io/stack-writer.js';

const VERBS: Record<WriteResult['action'], string> = {
  created: 'created',
  updated: 'updated',
  unchanged: 'unchanged',
  'kept-edited': 'kept (edited by you)',
  removed: 'removed',
  'kept-stale': 'kept (edited by you, no longer generated)',
};

export function printWriteResults(results: readonly WriteResult[], opts: { dryRun?: boolean; verbose?: boolean } = {}): void {
  const prefix = opts.dryRun ? 'would be ' : '';
  for (const r of results) {
    if (r.action === 'unchanged' && !opts.verbose) continue;
    const extra = r.action === 'kept-edited' ? ` -> new version in ${r.newPath}` : '';
    process.stdout.write(`  ${(prefix + VERBS[r.action]).padEnd(opts.dryRun ? 22 : 14)} ${r.path}${extra}\n`);
  }
  const edited = results.filter((r) => r.action === 'kept-edited');
  if (edited.length && !opts.dryRun) {
    process.stdout.write(`\n${edited.length} file(s) you edited were kept; compare each with its .new file, or run again with --force to overwrite.\n`);
  }
}
