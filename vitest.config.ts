import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests run the CLI as users do, from the bundle in dist/: built fresh first.
    globalSetup: ['test/support/build.ts'],
    // Real parts (dockerd, bpftrace, promtool) are slow to start; timing belongs in benchmarks.
    testTimeout: 120_000,
    hookTimeout: 600_000,
    // Suites that share dockerd or the kernel's tracing would step on each other when parallel.
    fileParallelism: false,
  },
});
