// Bitcoin Core's headline numbers on the status page (fibre-stack report): what the exporter
// measures from the node's tracepoints. It counts events; it has no RPC, so the number of peers and
// the mempool's size are not known, only what flows: blocks, mempool additions, connections.
import type { StatusHeadline } from '../types.js';
import { MACHINE } from '../kit/machine-labels.js';

export const bitcoinCoreStatus: readonly StatusHeadline[] = [
  { title: 'Height', query: `max by (${MACHINE}, node) (bitcoin_block_height)`, unit: 'block_height', by: ['host', 'node'] },
  { title: 'Blocks connected', query: `sum by (${MACHINE}, node) (increase(bitcoin_blocks_connected_total[1h]))`, unit: 'per_hour', by: ['host', 'node'] },
  { title: 'Mempool additions', query: `sum by (${MACHINE}, node) (increase(bitcoin_mempool_added_total[1h]))`, unit: 'per_hour', by: ['host', 'node'], note: 'transactions accepted into the mempool' },
  {
    title: 'Connection churn',
    query: `sum by (${MACHINE}, node) (increase(bitcoin_net_connections_opened_total[1h])) + sum by (${MACHINE}, node) (increase(bitcoin_net_connections_closed_total[1h]))`,
    unit: 'per_hour',
    by: ['host', 'node'],
    note: 'P2P connections opened plus closed; peer count and mempool size need RPC, which the exporter does not use',
  },
];
