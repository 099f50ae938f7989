// The miner's headline numbers on the status page (fibre-stack report): each card's hashrate, and
// against its own median of the last 6 hours (a card is compared with itself: bitstreams and
// clocks differ), and its temperature.
import type { StatusHeadline } from '../types.js';

const hashrate = 'fpga_miner_hashrate_hashes_per_second';

export const minerStatus: readonly StatusHeadline[] = [
  { title: 'Hashrate', query: `max by (card) (${hashrate})`, unit: 'hashes_per_second', by: ['card'] },
  {
    title: 'Hashrate against its median',
    query: `max by (card) (${hashrate}) / max by (card) (quantile_over_time(0.5, ${hashrate}[6h]))`,
    unit: 'ratio',
    by: ['card'],
    note: 'now, as a share of the card\'s own median over 6 hours',
  },
  { title: 'Temperature', query: 'max by (card) (fpga_miner_temperature_celsius)', unit: 'celsius', by: ['card'] },
];
