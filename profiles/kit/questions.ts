// Questions more than one kind of profile asks. Each is one object, so `create` has one flag for
// it and asks it once, whichever of those profiles are chosen.
import type { TextQuestion } from '../types.js';

/** The `node` label of a bitcoind or nodeos node (fibre, bitcoin-core, nodeos). */
export const nodeNameQuestion: TextQuestion<'nodeName'> = {
  key: 'nodeName',
  flag: 'node-name',
  kind: 'text',
  describe: 'Node name, the `node` label (default localhost)',
  message: 'Node name (the `node` label on its series)',
  validate: (s) => (s.trim() ? true : 'a name is needed'),
};
