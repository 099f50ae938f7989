// The FIBRE relay's headline numbers on the status page (fibre-stack report): who wins the block
// races, how fast blocks are rebuilt from chunks, and the chain height the relay has seen.
import type { StatusHeadline } from '../types.js';
import { MACHINE } from '../kit/machine-labels.js';

const wins = (mechanism: string) => `sum by (${MACHINE}, node) (increase(fibre_block_race_wins_total${mechanism}[1h]))`;

export const fibreStatus: readonly StatusHeadline[] = [
  {
    title: 'FIBRE race share',
    query: `${wins('{mechanism="fibre_udp"}')} / ${wins('')}`,
    unit: 'ratio',
    by: ['host', 'node'],
    note: 'block races FIBRE/UDP won over compact blocks, last hour',
  },
  {
    title: 'Reconstruction time (median)',
    query: `histogram_quantile(0.5, sum by (${MACHINE}, node, le) (rate(fibre_block_reconstruction_duration_seconds_bucket[1h])))`,
    unit: 'seconds',
    by: ['host', 'node'],
    note: 'first header packet to rebuilt block, last hour',
  },
  { title: 'Height', query: `max by (${MACHINE}, node) (fibre_last_block_height)`, unit: 'block_height', by: ['host', 'node'] },
];
