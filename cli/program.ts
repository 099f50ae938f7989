// fibre-stack: the command line. Each command lives in its own module under commands/.
import yargs from 'yargs';
import { commandsFor } from './commands/index.js';
import { packageVersion } from '../core/package-root.js';

export async function run(argv: string[]): Promise<void> {
  let parser = yargs(argv)
    .scriptName('fibre-stack')
    .usage('$0 <command> [options]\n\nA monitoring stack for FIBRE relays, Bitcoin Core nodes, FPGA miners and Antelope nodeos.')
    .strict()
    .demandCommand(1, 'Name a command; `fibre-stack --help` lists them.')
    .recommendCommands()
    .help()
    .alias('h', 'help')
    // Named, not found: yargs looks for the package.json above the running file's node_modules
    // folder, which a bundle (dist/cli/main.js) does not sit in.
    .version(packageVersion())
    // yargs lays out the help text after every command starts, in case it fails; ours fails with a
    // one-line message instead, so text wrapping (string-width over every word, 30 ms of a 430 ms
    // `create --yes`) is only worth it when the help is asked for.
    .wrap(asksForHelp(argv) ? Math.min(110, process.stdout.columns || 100) : null)
    .fail((msg, err) => {
      if (err) throw err;
      // Usage mistakes: say what is wrong and point at --help; exit 2 as CLIs conventionally do.
      process.stderr.write(`fibre-stack: ${msg}\nRun with --help for usage.\n`);
      process.exit(2);
    });
  for (const command of await commandsFor(argv)) parser = parser.command(command);
  await parser.parseAsync();
}

function asksForHelp(argv: string[]): boolean {
  return argv.some((arg) => arg === '--help' || arg === '-h');
}
