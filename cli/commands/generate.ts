// `fibre-stack generate`: re-render a stack from its fibre-stack.yml.
import { resolve } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { renderStack } from '../render/index.js';
import { SPEC_FILE } from '../render/spec-file.js';
import { ENV_FILE } from '../render/env.js';
import { loadPackageSources } from '../io/templates.js';
import { keepOlderSpecFile, loadOrCreateSecrets, readSpecFile } from '../io/spec-io.js';
import { SPEC_VERSION } from '../spec/versions.js';
import { writeStack } from '../io/stack-writer.js';
import { printWriteResults } from './stack-report.js';
import { stackDirOption } from './dir-option.js';

interface GenerateArgs {
  dir: string;
  force: boolean;
  json: boolean;
}

async function handler(args: ArgumentsCamelCase<GenerateArgs>): Promise<void> {
  const dir = resolve(args.dir);
  const { spec, fromVersion } = readSpecFile(dir);
  const files = renderStack(spec, loadOrCreateSecrets(dir), loadPackageSources());
  // A spec of an older version is written anew in the current one (the old file kept beside it);
  // otherwise the spec is the user's and .env holds their secrets: generate never rewrites them.
  const keptAs = fromVersion < SPEC_VERSION ? keepOlderSpecFile(dir, fromVersion) : undefined;
  const results = writeStack(dir, files, { force: args.force, preserve: [SPEC_FILE, ENV_FILE] });
  const upgraded = keptAs && { from: fromVersion, to: SPEC_VERSION, keptAs };
  if (args.json) {
    process.stdout.write(JSON.stringify({ dir, ...(upgraded ? { upgraded } : {}), files: results }, null, 2) + '\n');
    return;
  }
  if (upgraded) process.stdout.write(`Upgraded ${SPEC_FILE} from version ${upgraded.from} to ${upgraded.to}, keeping your values; the old file is ${keptAs}.\n`);
  const changed = results.filter((r) => r.action !== 'unchanged').length;
  process.stdout.write(changed ? `Re-rendered ${dir} from ${SPEC_FILE}:\n` : `${dir} is up to date with ${SPEC_FILE}.\n`);
  printWriteResults(results);
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
