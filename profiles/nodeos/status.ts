// nodeos's headline numbers on the status page (fibre-stack report): how far finality trails the
// head, and how many peers the node has. `node` is the scrape target's label (index.ts).
import type { StatusHeadline } from '../types.js';
import { MACHINE } from '../kit/machine-labels.js';

export const nodeosStatus: readonly StatusHeadline[] = [
  { title: 'Head to LIB lag', query: `max by (${MACHINE}, node) (nodeos_head_block_num - nodeos_last_irreversible)`, unit: 'number', by: ['host', 'node'], note: 'blocks between the head and the last irreversible block' },
  { title: 'Peers', query: `sum by (${MACHINE}, node) (nodeos_p2p_peers + nodeos_p2p_clients)`, unit: 'number', by: ['host', 'node'], note: 'outgoing and incoming P2P connections' },
  { title: 'Head block', query: `max by (${MACHINE}, node) (nodeos_head_block_num)`, unit: 'block_height', by: ['host', 'node'] },
];
