import { defineConfig } from 'vitest/config';

// The engines suite starts real engines (DuckDB, one local Spark session): minutes, not seconds.
export default defineConfig({
  test: {
    include: ['engines/**/*.test.ts'],
    testTimeout: 15 * 60_000,
    hookTimeout: 15 * 60_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
