// The names the nodeos profile's parts share (its scrape job, which its rules select), so each is
// written once.
const job = 'nodeos';
export const nodeosConfig = { job, sel: `job="${job}"` } as const;
