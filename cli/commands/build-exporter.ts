// `fibre-stack build-exporter`: builds the exporter image the generated stack runs.
import type { Argv, CommandModule } from 'yargs';
import { DEFAULT_IMAGES } from '../services/table.js';
import { buildExporterImage } from '../run/image-build.js';

interface BuildExporterArgs {
  tag: string;
  'base-image'?: string;
  json: boolean;
}

export const buildExporterCommand: CommandModule<object, BuildExporterArgs> = {
  command: 'build-exporter',
  describe: 'Build the exporter container image (node + bpftrace) through the local docker engine.',
  builder: (y: Argv) =>
    y
      .option('tag', { type: 'string', default: DEFAULT_IMAGES.exporter, describe: 'Image name:tag to build (images.exporter in fibre-stack.yml).' })
      .option('base-image', {
        type: 'string',
        describe: 'Base image for both stages: node 20 on Debian bookworm. Defaults to the pinned node:20 bookworm-slim tag in exporter/Dockerfile; give a local one where no registry is reachable.',
      })
      .option('json', { type: 'boolean', default: false, describe: 'Print the result as JSON on stdout (build output goes to stderr).' })
      .example('$0 build-exporter --base-image my-registry/node:20-bookworm-slim', 'build on a base image you have')
      .epilog('Exit codes: 0 built, 1 the build failed, 2 docker is not reachable.') as unknown as Argv<BuildExporterArgs>,
  handler: async (argv) => {
    // With --json, stdout carries only the result, so a script can parse it.
    const out = argv.json ? process.stderr : process.stdout;
    const result = await buildExporterImage({ tag: argv.tag, baseImage: argv['base-image'], progress: (text) => out.write(text) });
    if (argv.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else process.stdout.write(`built ${result.tag} (${result.imageId}) in ${result.seconds}s\n`);
  },
};
