// A command line such as `fibre-stack lint` or `fibre-stack dashboards --check`, as CI runs it,
// starts without yargs: loading yargs and laying out its help cost 25-40 ms of a ~100 ms command
// (docs/startup.md). A command that declares its options as data (`plain` on its module) runs
// straight away when its command line is plain: the command first, then only its own long
// options. Anything else (--help, --version, short or unknown options, `--x=y`, `--`, a missing
// value) goes to yargs, so help and usage errors stay yargs' own.
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
 * plain. `args` is what follows the command's name.
 */
export function parsePlainArgv(command: string, args: readonly string[], plain: Pick<PlainCommand<unknown>, 'options' | 'positional'>): Record<string, unknown> | undefined {
  const parsed: Record<string, unknown> = { _: [command], $0: 'fibre-stack' };
  for (const [name, option] of Object.entries(plain.options)) if (option.default !== undefined) parsed[name] = option.default;
  const positionals: string[] = [];
  const given = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('-')) {
      if (plain.positional === undefined) return undefined;
      positionals.push(arg);
      continue;
    }
    if (!arg.startsWith('--') || arg.includes('=')) return undefined;
    const negated = arg.startsWith('--no-');
    const name = negated ? arg.slice('--no-'.length) : arg.slice(2);
    const option = Object.hasOwn(plain.options, name) ? plain.options[name] : undefined;
    // Unknown, repeated (yargs makes an array of it) or negated non-boolean: yargs decides.
    if (!option || given.has(name) || (negated && option.type !== 'boolean')) return undefined;
    given.add(name);
    const next = args[i + 1];
    if (option.type === 'boolean') {
      // yargs reads `--json false` as a value; so does it here, by leaving it to yargs.
      if (next === 'true' || next === 'false') return undefined;
      parsed[name] = !negated;
    } else {
      if (next === undefined || next.startsWith('-')) return undefined;
      parsed[name] = next;
      i++;
    }
  }
  if (plain.positional !== undefined) parsed[plain.positional] = positionals;
  return parsed;
}
