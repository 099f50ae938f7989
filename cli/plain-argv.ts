// A command line such as `fibre-stack lint` or `fibre-stack dashboards --check`, as CI runs it,
// starts without yargs: loading yargs and laying out its help cost 25-40 ms of a ~100 ms command
// (docs/startup.md). A command that declares its options as data (`plain` on its module) runs
// straight away when its command line is plain: the command first, then only its own long
// options. Anything else (--help, --version, short or unknown options, `--x=y`, `--`, a missing
// value) goes to yargs, so help and usage errors stay yargs' own.
import { parseArgs } from 'node:util';
import type { ArgumentsCamelCase } from 'yargs';

export interface PlainOption {
  type: 'boolean' | 'string';
  default?: boolean;
}

export interface PlainCommand<A> {
  /** Options as yargs' builder declares them (the builder passes the same record to `.options()`). */
  options: Record<string, PlainOption & { describe: string }>;
  /** The name of the command's variadic positional (`lint [paths..]`), if it takes one. */
  positional?: string;
  handler: (args: ArgumentsCamelCase<A>) => Promise<void>;
}

/**
 * The arguments yargs would give the handler for this command line, or undefined when it is not
 * plain. `args` is what follows the command's name. Node's own parser (util.parseArgs, strict)
 * reads it; what it refuses (unknown or short options, a string option without its value or with
 * one that looks like an option) and what yargs reads its own way are left to yargs.
 */
export function parsePlainArgv(command: string, args: readonly string[], plain: Pick<PlainCommand<unknown>, 'options' | 'positional'>): Record<string, unknown> | undefined {
  let read: ReturnType<typeof parseArgs<{ options: Record<string, { type: 'boolean' | 'string' }>; tokens: true; allowPositionals: boolean; allowNegative: true; strict: true }>>;
  try {
    read = parseArgs({
      args: [...args],
      options: Object.fromEntries(Object.entries(plain.options).map(([name, o]) => [name, { type: o.type }])),
      allowPositionals: plain.positional !== undefined,
      allowNegative: true,
      strict: true,
      tokens: true,
    });
  } catch {
    return undefined;
  }
  const options = read.tokens.flatMap((t) => (t.kind === 'option' ? [t] : []));
  const yargsOwn =
    read.tokens.some((t) => t.kind === 'option-terminator') ||
    // `-`, which util.parseArgs takes as a path.
    read.positionals.some((p) => p.startsWith('-')) ||
    // `--x=y`; a repeated option (yargs makes an array of it); `--no-x` of a string option.
    options.some((t) => t.inlineValue || (t.rawName.startsWith('--no-') && plain.options[t.name].type !== 'boolean')) ||
    new Set(options.map((t) => t.name)).size !== options.length ||
    // yargs reads `--json false` as the option's value.
    read.tokens.some((t, i) => t.kind === 'positional' && (t.value === 'true' || t.value === 'false') && read.tokens[i - 1]?.kind === 'option');
  if (yargsOwn) return undefined;
  const parsed: Record<string, unknown> = { _: [command], $0: 'fibre-stack' };
  for (const [name, option] of Object.entries(plain.options)) if (option.default !== undefined) parsed[name] = option.default;
  Object.assign(parsed, read.values);
  if (plain.positional !== undefined) parsed[plain.positional] = read.positionals;
  return parsed;
}
