// The names the fibre profile's parts share (its scrape job, which its rules select, and its
// alerts' prefix), so each is written once.
const job = 'fibre';
export const fibreConfig = { job, sel: `job="${job}"`, alertPrefix: 'Fibre' } as const;
