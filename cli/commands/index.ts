// Every command of the CLI, in the order --help lists them. Each is loaded only when it runs
// (or when --help lists them all): the Docker client, the prompt library and the PromQL parser
// would otherwise cost every command their start-up time.
import type { CommandModule } from 'yargs';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyCommand = CommandModule<any, any>;

export const commandLoaders: Record<string, () => Promise<AnyCommand>> = {
  create: async () => (await import('./create.js')).createCommand,
  generate: async () => (await import('./generate.js')).generateCommand,
  apply: async () => (await import('./apply.js')).applyCommand,
  up: async () => (await import('./up.js')).upCommand,
  down: async () => (await import('./down.js')).downCommand,
  restart: async () => (await import('./restart.js')).restartCommand,
  upgrade: async () => (await import('./upgrade.js')).upgradeCommand,
  status: async () => (await import('./status.js')).statusCommand,
  logs: async () => (await import('./logs.js')).logsCommand,
  validate: async () => (await import('./validate.js')).validateCommand,
  alerts: async () => (await import('./alerts.js')).alertsCommand,
  demo: async () => (await import('./demo.js')).demoCommand,
  report: async () => (await import('./report.js')).reportCommand,
  dashboards: async () => (await import('./dashboards.js')).dashboardsCommand,
  lint: async () => (await import('./lint.js')).lintCommand,
  exporter: async () => (await import('./exporter.js')).exporterCommand,
  'build-exporter': async () => (await import('./build-exporter.js')).buildExporterCommand,
};

/** The commands to register for this command line: the one it names, or all of them. */
export async function commandsFor(argv: readonly string[]): Promise<AnyCommand[]> {
  const named = argv.find((a) => !a.startsWith('-'));
  const load = named !== undefined ? commandLoaders[named] : undefined;
  return load ? [await load()] : Promise.all(Object.values(commandLoaders).map((l) => l()));
}
