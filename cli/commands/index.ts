// Every command of the CLI, in the order --help lists them.
import type { CommandModule } from 'yargs';
import { createCommand } from './create.js';
import { generateCommand } from './generate.js';
import { exporterCommand } from './exporter.js';
import { buildExporterCommand } from './build-exporter.js';
import { dashboardsCommand } from './dashboards.js';
import { lintCommand } from './lint.js';
import { upCommand } from './up.js';
import { downCommand } from './down.js';
import { statusCommand } from './status.js';
import { logsCommand } from './logs.js';
import { validateCommand } from './validate.js';
import { demoCommand } from './demo.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [
  createCommand,
  generateCommand,
  exporterCommand,
  buildExporterCommand,
  dashboardsCommand,
  lintCommand,
  upCommand,
  downCommand,
  statusCommand,
  logsCommand,
  validateCommand,
  demoCommand,
];
