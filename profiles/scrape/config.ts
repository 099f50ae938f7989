// The names the scrape profile's parts share (its scrape job, which its rules select), so each is
// written once.
const job = 'scrape';
export const scrapeConfig = { job, sel: `job="${job}"` } as const;
