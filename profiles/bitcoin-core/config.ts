// The names the bitcoin-core profile's parts share (its scrape job, which its rules select, and
// its alerts' prefix), so each is written once.
const job = 'bitcoin-core';
export const bitcoinCoreConfig = { job, sel: `job="${job}"`, alertPrefix: 'BitcoinCore' } as const;
