// The names the miner profile's parts share (its scrape job, which its rules and dashboard select,
// the Loki job of its logs, and its alerts' prefix), so each is written once.
const job = 'miner';
export const minerConfig = { job, sel: `job="${job}"`, logJob: 'fpga-miner', alertPrefix: 'Miner' } as const;
