// The FIBRE relay's headline numbers on the status page (fibre-stack report): who wins the block
// races, how fast blocks are rebuilt from chunks, and the chain height the relay has seen.
import type { StatusHeadline } from '../types.js';

const wins = (mechanism: string) => `sum by (node) (increase(fibre_block_race_wins_total${mechanism}[1h]))`;

export const fibreStatus: readonly StatusHeadline[] = [
  {
    title: 'FIBRE race share',
    query: `${wins('{mechanism="fibre_udp"}')} / ${wins('')}`,
    unit: 'ratio',
    by: ['node'],
    note: 'block races FIBRE/UDP won over compact blocks, last hour',
  },
  {
    title: 'Reconstruction time (median)',
    query: 'histogram_quantile(0.5, sum by (node, le) (rate(fibre_block_reconstruction_duration_seconds_bucket[1h])))',
    unit: 'seconds',
    by: ['node'],
    note: 'first header packet to rebuilt block, last hour',
  },
  { title: 'Height', query: 'max by (node) (fibre_last_block_height)', unit: 'block_height', by: ['node'] },
];
