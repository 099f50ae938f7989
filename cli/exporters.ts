// Our exporters' command lines, from the profiles' declarations: the options each
// `fibre-stack exporter <kind>` subcommand parses (commands/exporter.ts), and the arguments a
// stack runs it with (render/stack-profiles.ts). One set of declarations for both, so the command
// line a stack writes is always one the exporter takes.
import { commonDecls, insertOptions, optionArgs, replayDecls, type OptionDecls } from '../exporter/options.js';
import type { ReplaySource } from '../exporter/replay.js';
import { UserError } from '../core/errors.js';
import type { Registry } from '../profiles/registry.js';
import type { ExporterDef, ExporterInvocation, ProfileDef, ProfileReplay } from '../profiles/types.js';

/** A profile's exporter options: its own beside the common ones. */
export function collectorDecls(exporter: ExporterDef<unknown, OptionDecls>): OptionDecls {
  return { ...commonDecls({ port: exporter.port, healthPort: exporter.healthPort }), ...exporter.options };
}

type Replayable = ProfileDef & { exporter: ExporterDef<unknown, OptionDecls>; replay: ProfileReplay };

/** The profiles with recordings, as replay takes them (named by profile id); the first is the default sample. */
export function replaySources(registry: Registry): (ReplaySource & { label: string })[] {
  return replayable(registry).map((def) => ({ name: def.id, label: def.replay.label, load: def.replay.load }));
}

function replayable(registry: Registry): Replayable[] {
  return registry.profiles.filter((def): def is Replayable => def.exporter !== undefined && def.replay !== undefined);
}

/** `exporter replay`'s options; its default port is the default sample's profile's. */
export function replayOptions(registry: Registry) {
  const defs = replayable(registry);
  return replayDecls({ port: defs[0].exporter.port, samples: defs.map((d) => d.id) });
}

/** The arguments after `fibre-stack` that run a profile's exporter as its invocation says. */
export function exporterArgs(registry: Registry, def: ProfileDef & { exporter: ExporterDef<unknown, OptionDecls> }, run: ExporterInvocation<OptionDecls>): string[] {
  switch (run.command) {
    case 'collector':
      return ['exporter', def.id, ...optionArgs(collectorDecls(def.exporter), run.values)];
    case 'replay':
      return ['exporter', 'replay', ...optionArgs(replayOptions(registry), run.values)];
  }
}

/**
 * The recording `exporter replay` was given: its positional, or the word after `--`, which is how
 * a stack passes it (optionArgs) and which yargs leaves among the command words in `argv._`.
 * `commandWords` is how many of those lead `argv._` (`exporter replay`: 2).
 */
export function recordingArg(argv: { file?: unknown; _: (string | number)[] }, commandWords: number): string | undefined {
  const after = argv._.slice(commandWords).map(String);
  if (argv.file !== undefined && argv.file !== null) after.unshift(String(argv.file));
  if (after.length > 1) throw new UserError(`give one recording to replay, not ${after.length}: ${after.map((a) => JSON.stringify(a)).join(' ')}.`);
  return after[0];
}

/**
 * A stack's exporter command line (ExporterRun.args) listening on `host`: `--host=<host>` goes
 * before the `--` that ends the options, as anything after it is read as the recording to play.
 */
export function withHost(args: readonly string[], host: string): string[] {
  return insertOptions(args, optionArgs(commonDecls({ port: 0 }), { host }));
}
