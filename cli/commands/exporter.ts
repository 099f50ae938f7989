// `fibre-stack exporter <kind>`: the exporter the generated stack runs, one subcommand per profile
// with an exporter, plus `replay`. Each subcommand's options are the ones its profile declares
// (profiles/*/exporter.ts), the same declarations the stack's command lines are built from.
// Settings resolve flag > FIBRE_* env > --config file > default (exporter/options.ts); the
// collectors themselves are loaded on demand so `fibre-stack create` never pulls in tracer code.
import type { Argv, CommandModule } from 'yargs';
import { commonDecls, commonExporterOptions, loadConfigFile, resolveOptions, yargsOptions, type OptionDecls, type Resolved } from '../../exporter/options.js';
import { PROFILES, type Registry } from '../../profiles/registry.js';
import type { ExporterDef } from '../../profiles/types.js';
import { collectorDecls, recordingArg, replayOptions, replaySources } from '../exporters.js';

const configOption = (alias?: string) => ({
  config: {
    describe: 'YAML file of settings, keys as the flags in snake_case (e.g. health_port: 9436) [env: FIBRE_CONFIG]',
    type: 'string' as const,
    ...(alias ? { alias } : {}),
  },
});

/** Reads the --config file and resolves every setting of a subcommand. */
function settings<D extends OptionDecls>(decls: D, argv: Record<string, unknown>) {
  const configPath = (argv.config as string | undefined) ?? process.env.FIBRE_CONFIG;
  const file = loadConfigFile(configPath || undefined, decls);
  const { values } = resolveOptions(decls, { flags: argv, env: process.env, file });
  return { values, common: commonExporterOptions(values as Resolved<ReturnType<typeof commonDecls>>, process.env) };
}

const ENV_NOTE = 'Every flag can also come from FIBRE_<FLAG> (e.g. FIBRE_HEALTH_PORT) or the --config file; a flag wins over both.';

function collectorCommand(id: string, exporter: ExporterDef<unknown, OptionDecls>): CommandModule {
  const decls = collectorDecls(exporter);
  return {
    command: id,
    describe: exporter.describe,
    builder: (y: Argv) => y.options({ ...yargsOptions(decls), ...configOption(exporter.configAlias) }).epilog(ENV_NOTE),
    handler: async (argv) => {
      const { values, common } = settings(decls, argv);
      await exporter.run(common, values);
    },
  };
}

function replayCommand(registry: Registry): CommandModule {
  const sources = replaySources(registry);
  const decls = replayOptions(registry);
  const labels = sources.map((s) => s.label);
  return {
    command: 'replay [file]',
    describe: `Replay recorded ${labels.join(' or ')} events through the same metrics, at real or faster pace (nothing live needed).`,
    builder: (y: Argv) =>
      y
        // The recording's name stays the string it was, `1e3` included, after `--` too.
        .parserConfiguration({ 'parse-positional-numbers': false })
        .positional('file', { describe: decls.file.describe, type: 'string' })
        .options({ ...yargsOptions(decls), ...configOption('c') })
        .epilog(ENV_NOTE),
    handler: async (argv) => {
      const { values, common } = settings(decls, { ...argv, file: recordingArg(argv, 2) });
      const { runReplayExporter } = await import('../../exporter/replay.js');
      await runReplayExporter({ ...common, file: values.file, speed: values.speed, loop: values.loop }, sources);
    },
  };
}

/** `exporter` for these profiles. */
export function exporterCommandFor(registry: Registry): CommandModule {
  const kinds = [...registry.profiles.flatMap((def) => (def.exporter ? [def.id] : [])), 'replay'];
  const named = `${kinds.slice(0, -1).join(', ')} or ${kinds[kinds.length - 1]}`;
  return {
    // No <kind> positional: yargs would then answer a missing kind with a generic message.
    command: 'exporter',
    describe: `Run the exporter: ${named}.`,
    builder: (y: Argv) => {
      let parser = y;
      for (const def of registry.profiles) if (def.exporter) parser = parser.command(collectorCommand(def.id, def.exporter));
      return parser.command(replayCommand(registry)).demandCommand(1, `Name the kind of exporter: ${named}.`);
    },
    // Each kind has its own handler, and demandCommand refuses anything else before this one runs.
    handler: () => undefined,
  };
}

export const exporterCommand = exporterCommandFor(PROFILES);
