// `fibre-stack generate`: re-render a stack from its fibre-stack.yml.
import { resolve } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { renderStack } from '../render/index.js';
import { SPEC_FILE } from '../render/spec-file.js';
import { ENV_FILE } from '../render/env.js';
import { loadPackageSources } from '../io/templates.js';
import { readHostFacts } from '../io/host-facts.js';
import { addFleetTokens, keepOlderSpecFile, loadOrCreateSecrets, readSpecFile } from '../io/spec-io.js';
import { ensureHubTls } from '../io/fleet-tls.js';
import { SPEC_VERSION } from '../spec/versions.js';
import { writeStack, type WriteResult } from '../io/stack-writer.js';
import { printWriteResults } from './stack-report.js';
import { stackDirOption } from './dir-option.js';

interface GenerateArgs {
  dir: string;
  force: boolean;
  json: boolean;
}

export interface Generated {
  dir: string;
  results: WriteResult[];
  /** Set when the spec was in an older version and written anew in the current one. */
  upgraded?: { from: number; to: number; keptAs: string };
}

/** Re-renders the stack in `dir` from its spec; what `generate`, `apply` and `upgrade` start with. */
export function generateStack(dir: string, opts: { force: boolean }): Generated {
  const { spec, fromVersion } = readSpecFile(dir);
  // A hub's new nodes get their tokens in .env (which generate otherwise keeps as it is), and its TLS what tls.names asks.
  addFleetTokens(dir, spec);
  ensureHubTls(dir, spec);
  const files = renderStack(spec, loadOrCreateSecrets(dir, spec), loadPackageSources(), readHostFacts(spec));
  // A spec of an older version is written anew in the current one (the old file kept beside it);
  // otherwise the spec is the user's and .env holds their secrets: generate never rewrites them.
  const keptAs = fromVersion < SPEC_VERSION ? keepOlderSpecFile(dir, fromVersion) : undefined;
  const results = writeStack(dir, files, { force: opts.force, preserve: [SPEC_FILE, ENV_FILE] });
  return { dir, results, ...(keptAs ? { upgraded: { from: fromVersion, to: SPEC_VERSION, keptAs } } : {}) };
}

/** What generate did, for people. */
export function printGenerated(g: Generated): void {
  if (g.upgraded) process.stdout.write(`Upgraded ${SPEC_FILE} from version ${g.upgraded.from} to ${g.upgraded.to}, keeping your values; the old file is ${g.upgraded.keptAs}.\n`);
  const changed = g.results.filter((r) => r.action !== 'unchanged').length;
  process.stdout.write(changed ? `Re-rendered ${g.dir} from ${SPEC_FILE}:\n` : `${g.dir} is up to date with ${SPEC_FILE}.\n`);
  printWriteResults(g.results);
}

/** Paths whose content on disk changed (a file the user edited and kept did not). */
export const changedPaths = (results: readonly WriteResult[]) => results.filter((r) => r.action === 'created' || r.action === 'updated' || r.action === 'removed').map((r) => r.path);

async function handler(args: ArgumentsCamelCase<GenerateArgs>): Promise<void> {
  const g = generateStack(resolve(args.dir), { force: args.force });
  if (args.json) {
    process.stdout.write(JSON.stringify({ dir: g.dir, ...(g.upgraded ? { upgraded: g.upgraded } : {}), files: g.results }, null, 2) + '\n');
    return;
  }
  printGenerated(g);
  if (changedPaths(g.results).length) process.stdout.write('\nA running stack keeps its old files until `fibre-stack apply` (which also does what generate did).\n');
}

export const generateCommand: CommandModule<object, GenerateArgs> = {
  command: 'generate',
  describe: 'Re-render every file of a stack from its fibre-stack.yml, keeping files you edited',
  builder: (y: Argv) =>
    y
      .option('dir', stackDirOption)
      .option('force', { type: 'boolean', default: false, describe: 'Overwrite files you edited instead of writing <file>.new beside them' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the result as JSON' }) as unknown as Argv<GenerateArgs>,
  handler,
};
