// `fibre-stack dashboards`: regenerate the checked-in dashboards/ and rules/ from the code in
// profiles/, or with --check report which of them differ (for CI).
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { packageRoot } from '../../core/package-root.js';
import { UserError } from '../../core/errors.js';
import type { PlainCommand } from '../plain-argv.js';

interface DashboardsArgs {
  out?: string;
  check: boolean;
  json: boolean;
}

type Status = 'unchanged' | 'written' | 'differs' | 'missing' | 'stale';

/** Files in dashboards/*.json and rules/*.yml that the code no longer makes. */
function staleFiles(root: string, expected: Set<string>): string[] {
  const found: string[] = [];
  for (const [folder, ext] of [['dashboards', '.json'], ['rules', '.yml']] as const) {
    const dir = join(root, folder);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) if (name.endsWith(ext) && !expected.has(`${folder}/${name}`)) found.push(`${folder}/${name}`);
  }
  return found.sort();
}

async function handler(args: ArgumentsCamelCase<DashboardsArgs>): Promise<void> {
  const root = resolve(args.out ?? packageRoot());
  if (args.check && !existsSync(root)) throw new UserError(`${root} does not exist; nothing to check`);
  // Imported here: in the bundle it is dist/dev/artifacts.js (scripts/build.mjs), which only a clone has.
  const artifacts = await import('../artifacts/index.js').then((m) => m.checkedInArtifacts()).catch((err: NodeJS.ErrnoException) => {
    // The SDK and the profiles' sources are a clone's, not an installed package's (which ships the built files).
    if (err.code !== 'ERR_MODULE_NOT_FOUND' && err.code !== 'ENOENT') throw err;
    throw new UserError(
      `this command builds dashboards/, rules/ and docs/runbooks.md from fibre-stack's source (${err.message.split('\n')[0]}): ` +
        `run it in a clone of fibre-stack after \`npm install\`. An installed package ships them built, under ${packageRoot()}.`,
    );
  });
  const results: { path: string; status: Status }[] = [];
  for (const { path, content } of artifacts) {
    const file = join(root, path);
    const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    if (current === content) results.push({ path, status: 'unchanged' });
    else if (args.check) results.push({ path, status: current === undefined ? 'missing' : 'differs' });
    else {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
      results.push({ path, status: 'written' });
    }
  }
  for (const path of staleFiles(root, new Set(artifacts.map((a) => a.path)))) results.push({ path, status: 'stale' });

  const bad = results.filter((r) => r.status === 'differs' || r.status === 'missing' || (args.check && r.status === 'stale'));
  if (args.json) process.stdout.write(JSON.stringify({ root, check: args.check, files: results }, null, 2) + '\n');
  else if (args.check) {
    if (bad.length === 0) process.stdout.write(`${results.length} dashboards and rule files in ${root} match the code.\n`);
    else {
      process.stdout.write(`These files in ${root} differ from what profiles/ makes:\n`);
      for (const r of bad) process.stdout.write(`  ${r.path} (${r.status === 'stale' ? 'no longer generated' : r.status})\n`);
      process.stdout.write('Run `fibre-stack dashboards` to regenerate them (and delete the ones no longer generated).\n');
    }
  } else {
    const written = results.filter((r) => r.status === 'written');
    process.stdout.write(written.length ? `Wrote ${written.length} file(s) under ${root}:\n${written.map((r) => `  ${r.path}\n`).join('')}` : `${root}: dashboards and rule files already up to date.\n`);
    for (const r of results.filter((x) => x.status === 'stale')) process.stdout.write(`  note: ${r.path} is no longer generated; delete it if nothing else needs it\n`);
  }
  if (args.check && bad.length > 0) process.exitCode = 1;
}

const OPTIONS = {
  out: { type: 'string', describe: 'Folder that receives dashboards/ and rules/ (default: the fibre-stack package)' },
  check: { type: 'boolean', default: false, describe: 'Write nothing; exit 1 listing the files that differ from what the code makes' },
  json: { type: 'boolean', default: false, describe: 'Print the result as JSON' },
} satisfies PlainCommand<DashboardsArgs>['options'];

// `plain`: this command as CI runs it, without yargs (cli/plain-argv.ts).
export const dashboardsCommand: CommandModule<object, DashboardsArgs> & { plain: PlainCommand<DashboardsArgs> } = {
  command: 'dashboards',
  describe: 'Regenerate the built-in Grafana dashboards (dashboards/) and alert rules (rules/) from profiles/, or check them',
  builder: (y: Argv) =>
    y
      .options(OPTIONS)
      .example('$0 dashboards --check', 'In CI: fail when checked-in dashboards or rules are stale') as unknown as Argv<DashboardsArgs>,
  handler,
  plain: { options: OPTIONS, handler },
};
