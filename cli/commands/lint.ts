// `fibre-stack lint [PATH...]`: lint Grafana dashboards and Prometheus rule files. Exit 0 when no
// finding is an error, 1 when one is, 2 for bad usage (a path that does not exist).
import { setFlagsFromString } from 'node:v8';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { formatFinding, hasErrors } from '../lint/findings.js';
import { packagePath } from '../../core/package-root.js';
import { UserError } from '../../core/errors.js';
import type { PlainCommand } from '../plain-argv.js';

interface LintArgs {
  paths: string[];
  json: boolean;
  promtool: boolean;
  warnings: boolean;
  config?: string;
}

async function handler(args: ArgumentsCamelCase<LintArgs>): Promise<void> {
  const paths = args.paths.length > 0 ? args.paths : [packagePath('dashboards'), packagePath('rules')];
  // The lint is one pass over cold code (the YAML and PromQL parsers, a few hundred calls each) in
  // a process that exits when it is done: V8's optimizing compiler would compile some hundred
  // functions on background threads, work that never pays off here and that takes the CPU the lint
  // needs on a busy machine (50-90 ms less wall time without it on the 2-core development VM:
  // docs/startup.md). Set before the linter's code loads; this process runs nothing else.
  setFlagsFromString('--no-opt');
  // Loaded here, not at the top: the parsers cost every other command's start-up otherwise.
  const { lintPaths, MissingPathError } = await import('../lint/index.js');
  const { LintConfigError } = await import('../lint/config.js');
  let report;
  try {
    report = await lintPaths(paths, { promtool: args.promtool, config: args.config });
  } catch (err) {
    if (err instanceof MissingPathError) throw new UserError(`${err.message}\nGive dashboard JSON files, rule files, or folders holding them.`);
    if (err instanceof LintConfigError) throw new UserError(`${err.message}\nSee docs/lint.md for the .lint format.`);
    throw err;
  }
  const errors = report.findings.filter((f) => f.severity === 'error').length;
  const warnings = report.findings.length - errors;
  if (args.json) {
    process.stdout.write(JSON.stringify({ ...report, errors, warnings }, null, 2) + '\n');
  } else {
    for (const f of report.findings) if (args.warnings || f.severity === 'error') process.stdout.write(formatFinding(f) + '\n');
    const promtool = { ran: ', promtool check rules ran', missing: ', promtool not run (not on PATH)', 'not-run': '' }[report.promtool];
    const hidden = !args.warnings && warnings > 0 ? ' (--no-warnings hid them)' : '';
    const tests = report.files.unitTests > 0 ? ` (and ${report.files.unitTests} promtool test file(s), left to promtool test rules)` : '';
    process.stdout.write(`${report.files.dashboards} dashboard(s), ${report.files.rules} rule file(s)${tests}: ${errors} error(s), ${warnings} warning(s)${hidden}${promtool}.\n`);
  }
  if (hasErrors(report.findings)) process.exitCode = 1;
}

const OPTIONS = {
  json: { type: 'boolean', default: false, describe: 'Print findings as JSON' },
  promtool: { type: 'boolean', default: true, describe: 'Also run `promtool check rules` when promtool is on PATH (--no-promtool to skip)' },
  warnings: { type: 'boolean', default: true, describe: 'Print warnings as well as errors (--no-warnings for errors only)' },
  config: { type: 'string', describe: "Lint configuration for every file (default: a .lint file in each file's folder): exclusions and warnings by rule, per file, dashboard, panel, group or alert" },
} satisfies PlainCommand<LintArgs>['options'];

// `plain`: this command as CI runs it, without yargs (cli/plain-argv.ts).
export const lintCommand: CommandModule<object, LintArgs> & { plain: PlainCommand<LintArgs> } = {
  command: 'lint [paths..]',
  describe: 'Lint Grafana dashboards (.json) and Prometheus rule files (.yml, .yaml, .rules); folders are searched',
  builder: (y: Argv) =>
    y
      .positional('paths', { type: 'string', array: true, default: [], describe: "Files or folders (default: the package's dashboards/ and rules/)" })
      .options(OPTIONS)
      .epilog('Exit status: 0 no errors (warnings allowed), 1 at least one error, 2 bad usage.') as unknown as Argv<LintArgs>,
  handler,
  plain: { options: OPTIONS, positional: { name: 'paths', variadic: true }, handler },
};
