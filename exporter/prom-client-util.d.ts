// prom-client ships no types for its internal lib/util.js; prom-client-series.ts checks at run time
// that hashObject is there before using it.
declare module 'prom-client/lib/util.js' {
  export const hashObject: unknown;
}
