// fibre-stack down: stop the stack. Data volumes and folders are kept unless --volumes says otherwise.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { loadRunningStack } from '../run/native-variant.js';
import { runsNatively } from '../run/runtime.js';
import { nativeDown } from '../run/native.js';
import { composeOk } from '../run/compose.js';
import { nativePlan } from '../render/native-plan.js';
import { stackDirOption } from './dir-option.js';

interface DownArgs {
  dir: string;
  volumes: boolean;
}

const say = (line: string) => process.stdout.write(line + '\n');

export const downCommand: CommandModule<object, DownArgs> = {
  command: 'down',
  describe: 'Stop the stack; its data is kept unless --volumes',
  builder: (y) =>
    y
      .option('dir', stackDirOption)
      .option('volumes', { type: 'boolean', default: false, describe: 'Also delete the stored metrics, logs and dashboards state (volumes, or data/ natively)' }) as unknown as Argv<DownArgs>,
  handler: async (args) => {
    const stack = loadRunningStack(args.dir);
    if (runsNatively(stack)) {
      say(`Stopping ${stack.spec.project} (native):`);
      await nativeDown(stack, say);
      if (args.volumes) {
        for (const svc of nativePlan(stack.spec)) rmSync(join(stack.dir, svc.dataDir), { recursive: true, force: true });
        say('  data/ deleted');
      }
      return;
    }
    say(`Stopping ${stack.spec.project} (docker compose)${args.volumes ? ' and deleting its volumes' : ''} ...`);
    await composeOk(stack, ['down', '--remove-orphans', ...(args.volumes ? ['--volumes'] : [])], { inherit: true });
  },
};
