// The tests Stryker runs against each mutant (stryker.config.mjs, `npm run mutation`): fast, pure
// unit tests of the mutated modules, on real files, real parsers and loopback HTTP, but no docker,
// bpftrace or spawned CLI, so one mutant costs milliseconds. They also run in the main suite.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'test/encode.test.ts',
      'test/exporter-exposition.test.ts',
      'test/log-follower.test.ts',
      'test/log-follower-hostile.test.ts',
      'test/stack-writer.test.ts',
      'test/spec-validate.test.ts',
      'test/run-plan.test.ts',
      'test/run-checks.test.ts',
      'test/lint-broken.test.ts',
      'test/lint-queries.test.ts',
      'test/lint-rules.test.ts',
      'test/lint-dashboard.test.ts',
      'test/lint-datasources.test.ts',
      'test/document-limits.test.ts',
      'test/miner-parse.test.ts',
      'test/bitcoind-events.test.ts',
    ],
  },
});
