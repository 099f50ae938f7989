// A command line such as `fibre-stack lint`, `fibre-stack dashboards --check` (as CI runs them) or
// `create-fibre-stack my-stack --yes --profiles fibre` starts without yargs: loading yargs and
// laying out its help cost 20-40 ms of a 100-200 ms command (docs/startup.md). A command that
// declares its options as data (`plain` on its module) runs straight away when its command line
// is plain: the command first, then its positionals and its own long options (and their declared
// one-letter aliases). Anything else (--help, --version, unknown options, `--x=y`, `--`, a missing
// value, a value outside an option's choices, a list option followed by a bare word) goes to
// yargs, so help and usage errors stay yargs' own.
import { parseArgs } from 'node:util';
import type { ArgumentsCamelCase } from 'yargs';

/** An option as yargs' `.options()` takes it; the subset a plain command line may use. */
export interface PlainOption {
  /** Absent for an option given by its choices alone (yargs reads it as a string). */
  type?: 'boolean' | 'string' | 'array';
  /** With `type: 'array'`: its values stay strings. */
  string?: true;
  choices?: readonly string[];
  /** A one-letter alias, such as `y` for `--yes`. */
  alias?: string;
  default?: boolean | string;
  describe: string;
}

export interface PlainCommand<A> {
  /** Options as yargs' builder declares them (the builder passes the same record to `.options()`). */
  options: Record<string, PlainOption>;
  /** The command's positional: variadic (`lint [paths..]`) or one, optional, with its default (`create [dir]`). */
  positional?: { name: string; variadic: true } | { name: string; variadic: false; default: string };
  handler: (args: ArgumentsCamelCase<A>) => Promise<void>;
}

/** yargs' camel-case expansion: `dry-run` is also `dryRun`. */
const camel = (name: string) => name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * The arguments yargs would give the handler for this command line, or undefined when it is not
 * plain. `args` is what follows the command's name. Node's own parser (util.parseArgs, strict)
 * reads it; what it refuses (unknown options, a string option without its value or with one that
 * looks like an option) and what yargs reads its own way are left to yargs.
 */
export function parsePlainArgv(command: string, args: readonly string[], plain: Pick<PlainCommand<unknown>, 'options' | 'positional'>): Record<string, unknown> | undefined {
  const declared = plain.options;
  const isArray = (name: string) => declared[name]?.type === 'array';
  let read: ReturnType<typeof parseArgs<{ options: Record<string, { type: 'boolean' | 'string'; multiple: boolean; short?: string }>; tokens: true; allowPositionals: boolean; allowNegative: true; strict: true }>>;
  try {
    read = parseArgs({
      args: [...args],
      options: Object.fromEntries(Object.entries(declared).map(([name, o]) => [
        name,
        { type: o.type === 'boolean' ? 'boolean' : 'string', multiple: o.type === 'array', ...(o.alias ? { short: o.alias } : {}) },
      ])),
      allowPositionals: plain.positional !== undefined,
      allowNegative: true,
      strict: true,
      tokens: true,
    });
  } catch {
    return undefined;
  }
  const options = read.tokens.flatMap((t) => (t.kind === 'option' ? [t] : []));
  const once = options.filter((t) => !isArray(t.name));
  const yargsOwn =
    read.tokens.some((t) => t.kind === 'option-terminator') ||
    // `-`, which util.parseArgs takes as a path.
    read.positionals.some((p) => p.startsWith('-')) ||
    // `create a b`: yargs refuses the second.
    (plain.positional?.variadic === false && read.positionals.length > 1) ||
    // `--x=y`; `--no-x` of an option that is not a boolean.
    options.some((t) => t.inlineValue || (t.rawName.startsWith('--no-') && declared[t.name].type !== 'boolean')) ||
    // A value outside the option's choices: yargs says which are allowed.
    options.some((t) => declared[t.name].choices !== undefined && !declared[t.name].choices!.includes(t.value ?? '')) ||
    // An option given twice that is not a list (yargs makes an array of it), or as `-y` and `--yes`.
    new Set(once.map((t) => t.name)).size !== once.length ||
    read.tokens.some((t, i) => {
      const before = read.tokens[i - 1];
      if (t.kind !== 'positional' || before?.kind !== 'option') return false;
      // yargs reads `--json false` as the option's value, and a list option takes the words after it.
      return ((t.value === 'true' || t.value === 'false') && declared[before.name].type === 'boolean') || isArray(before.name);
    });
  if (yargsOwn) return undefined;
  const parsed: Record<string, unknown> = { _: [command], $0: 'fibre-stack' };
  const set = (name: string, value: unknown) => {
    parsed[name] = value;
    parsed[camel(name)] = value;
    const alias = declared[name].alias;
    if (alias) parsed[alias] = value;
  };
  for (const [name, option] of Object.entries(declared)) if (option.default !== undefined) set(name, option.default);
  for (const [name, value] of Object.entries(read.values)) set(name, value);
  const positional = plain.positional;
  if (positional?.variadic) parsed[positional.name] = read.positionals;
  else if (positional) parsed[positional.name] = read.positionals[0] ?? positional.default;
  return parsed;
}
