// Runs a command line: without yargs when the command declares its options as data and the line
// is plain (plain-argv.ts), else through yargs (program.ts, loaded only then).
import { commandLoaders } from './commands/index.js';
import { parsePlainArgv, type PlainCommand } from './plain-argv.js';

export async function runCommandLine(argv: string[]): Promise<void> {
  const load = argv.length > 0 && Object.hasOwn(commandLoaders, argv[0]) ? commandLoaders[argv[0]] : undefined;
  const plain = load && ((await load()) as { plain?: PlainCommand<unknown> }).plain;
  const args = plain && parsePlainArgv(argv[0], argv.slice(1), plain);
  if (plain && args) await plain.handler(args as Parameters<PlainCommand<unknown>['handler']>[0]);
  else await (await import('./program.js')).run(argv);
}
