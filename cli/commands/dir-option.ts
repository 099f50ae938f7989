// Options shared by the commands that work on an existing stack folder: --dir, and --build and
// --base-image for those that may build the exporter image (up, apply).
import type { Options } from 'yargs';

export const stackDirOption = { type: 'string', default: '.', describe: 'The stack folder' } as const satisfies Options;

export const buildOption = { type: 'boolean', default: false, describe: 'Rebuild the exporter image first (docker mode)' } as const satisfies Options;

export const baseImageOption = {
  type: 'string',
  describe: 'Base image for the exporter build (a local node:20 bookworm image where no registry is reachable)',
} as const satisfies Options;
