// The --dir option of every command that works on an existing stack folder.
import type { Options } from 'yargs';

export const stackDirOption = { type: 'string', default: '.', describe: 'The stack folder' } as const satisfies Options;
