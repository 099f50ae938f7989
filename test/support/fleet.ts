// Fleet stacks for the tests: the same helpers the fleet bench uses (scripts/lib/fleet-stacks.ts).
export * from '../../scripts/lib/fleet-stacks.js';
