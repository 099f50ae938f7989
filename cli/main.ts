#!/usr/bin/env node
import { commandLoaders } from './commands/index.js';
import { parsePlainArgv, type PlainCommand } from './plain-argv.js';
import { reportFatal } from './errors.js';

// What follows `node main.js` (yargs' hideBin, for a plain Node process).
const argv = process.argv.slice(2);

/** Runs a command that declares its options as data when its command line is plain (plain-argv.ts); else false. */
async function runPlain(): Promise<boolean> {
  const load = argv.length > 0 && Object.hasOwn(commandLoaders, argv[0]) ? commandLoaders[argv[0]] : undefined;
  if (!load) return false;
  const { plain } = (await load()) as { plain?: PlainCommand<unknown> };
  const args = plain && parsePlainArgv(argv[0], argv.slice(1), plain);
  if (!plain || !args) return false;
  await plain.handler(args as Parameters<PlainCommand<unknown>['handler']>[0]);
  return true;
}

runPlain()
  .then(async (ran) => ran || (await import('./program.js')).run(argv))
  .catch(reportFatal);
