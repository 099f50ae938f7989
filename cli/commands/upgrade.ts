// fibre-stack upgrade: move a stack to the releases this fibre-stack pins (cli/services/table.ts),
// show what changes, rewrite fibre-stack.yml, and apply it, keeping the data (volumes, data/).
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { UserError } from '../../core/errors.js';
import { readSpec } from '../io/spec-io.js';
import { SPEC_FILE } from '../render/spec-file.js';
import { DEFAULT_IMAGES } from '../services/table.js';
import type { StackSpec } from '../spec/types.js';
import { applyStack } from './apply.js';
import { stackDirOption } from './dir-option.js';

interface UpgradeArgs {
  dir: string;
  keep: string[];
  'dry-run': boolean;
  timeout: number;
}

type ImageKey = keyof StackSpec['images'];

/** An image reference without its tag or digest: the repository. */
export const repositoryOf = (image: string) => image.replace(/@.*$/, '').replace(/:[^:/]*$/, '');

export interface ImagePlan {
  moves: { service: ImageKey; from: string; to: string }[];
  kept: { service: ImageKey; image: string; why: string }[];
}

/**
 * Which images move to the current pins. An image from the same repository as our pin is ours
 * (a pin an older fibre-stack wrote), and moves; one from another repository (a mirror, a build of
 * your own) is yours, and stays; so does every service named in `keep`.
 */
export function planImages(images: StackSpec['images'], keep: readonly string[]): ImagePlan {
  const plan: ImagePlan = { moves: [], kept: [] };
  for (const service of Object.keys(DEFAULT_IMAGES) as ImageKey[]) {
    const image = images[service];
    const pin = DEFAULT_IMAGES[service];
    if (image === pin) continue;
    if (keep.includes(service)) plan.kept.push({ service, image, why: '--keep' });
    else if (repositoryOf(image) !== repositoryOf(pin)) plan.kept.push({ service, image, why: `another repository than ours (${repositoryOf(pin)}): pinned by you` });
    else plan.moves.push({ service, from: image, to: pin });
  }
  return plan;
}

/** fibre-stack.yml with the moved images, every other byte (comments, order) as the user left it. */
export function rewriteImages(text: string, moves: ImagePlan['moves']): string {
  let out = text;
  for (const m of moves) {
    const at = out.split(m.from).length - 1;
    if (at !== 1) throw new UserError(`${SPEC_FILE}: ${m.from} appears ${at} times, so it cannot be replaced safely; set images.${m.service}: ${m.to} by hand, then run \`fibre-stack apply\``);
    out = out.replace(m.from, m.to);
  }
  return out;
}

export const upgradeCommand: CommandModule<object, UpgradeArgs> = {
  command: 'upgrade',
  describe: "Move the stack to this fibre-stack's pinned releases, show what changes, and apply it keeping the data",
  builder: (y) =>
    y
      .option('dir', stackDirOption)
      .option('keep', { type: 'array', string: true, default: [], describe: 'Services whose image to leave as it is (comma-separated)' })
      .option('dry-run', { type: 'boolean', default: false, describe: 'Show what would change; change nothing' })
      .option('timeout', { type: 'number', default: 180, describe: 'Seconds to wait for upgraded services to become healthy' })
      .epilog(
        'An image from the same repository as the pin (prom/prometheus:v3.7.3 when the pin is prom/prometheus:v3.14.0) is taken as a pin an older fibre-stack wrote, and moves; ' +
          'an image from another repository is yours and stays, as does each service in --keep. Data volumes (docker) and data/ (native) are kept.',
      ) as unknown as Argv<UpgradeArgs>,
  handler: async (args) => {
    const dir = resolve(args.dir);
    const keep = args.keep.flatMap((k) => k.split(',')).map((k) => k.trim()).filter(Boolean);
    const unknown = keep.filter((k) => !(k in DEFAULT_IMAGES));
    if (unknown.length) throw new UserError(`--keep: ${unknown.join(', ')} is not a service with an image; those are ${Object.keys(DEFAULT_IMAGES).join(', ')}`);
    const plan = planImages(readSpec(dir).images, keep);
    for (const k of plan.kept) process.stdout.write(`  images.${k.service}: ${k.image} kept (${k.why})\n`);
    if (plan.moves.length === 0) {
      process.stdout.write('Every image is already at the current pins.\n');
      return;
    }
    process.stdout.write(`${args['dry-run'] ? 'Would change' : 'Changing'} in ${SPEC_FILE}:\n`);
    for (const m of plan.moves) process.stdout.write(`  images.${m.service}: ${m.from} -> ${m.to}\n`);
    if (args['dry-run']) return;
    const path = join(dir, SPEC_FILE);
    const before = readFileSync(path, 'utf8');
    writeFileSync(path, rewriteImages(before, plan.moves));
    try {
      readSpec(dir);
    } catch (err) {
      writeFileSync(path, before);
      throw err;
    }
    process.exitCode = await applyStack(dir, { force: false, build: plan.moves.some((m) => m.service === 'exporter'), timeoutMs: args.timeout * 1000 });
  },
};
