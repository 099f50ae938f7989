import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Real parts (dockerd, bpftrace, promtool) are slow to start; timing belongs in benchmarks.
    testTimeout: 120_000,
    hookTimeout: 600_000,
    // Suites that share dockerd or the kernel's tracing would step on each other when parallel.
    fileParallelism: false,
  },
});
