import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // DuckDB-heavy integration tests share 2 cores; run files in parallel but not too wide.
    maxWorkers: 2,
  },
});
