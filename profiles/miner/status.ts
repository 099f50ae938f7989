// The miner's headline numbers on the status page (fibre-stack report): each card's hashrate, and
// against its own median of the last 6 hours (a card is compared with itself: bitstreams and
// clocks differ), and its temperature.
import type { StatusHeadline } from '../types.js';
import { MACHINE } from '../kit/machine-labels.js';

const hashrate = 'fpga_miner_hashrate_hashes_per_second';

export const minerStatus: readonly StatusHeadline[] = [
  { title: 'Hashrate', query: `max by (${MACHINE}, node, card) (${hashrate})`, unit: 'hashes_per_second', by: ['host', 'node', 'card'] },
  {
    title: 'Hashrate against its median',
    query: `max by (${MACHINE}, node, card) (${hashrate}) / max by (${MACHINE}, node, card) (quantile_over_time(0.5, ${hashrate}[6h]))`,
    unit: 'ratio',
    by: ['host', 'node', 'card'],
    note: 'now, as a share of the card\'s own median over 6 hours',
  },
  { title: 'Temperature', query: `max by (${MACHINE}, node, card) (fpga_miner_temperature_celsius)`, unit: 'celsius', by: ['host', 'node', 'card'] },
];
