import { defineConfig } from 'vitest/config';

// The designer's tests: the engine parity suite (Node, DuckDB native and WASM) and the
// Playwright journeys in Chromium. Browser tests share one built renderer and run one file at a time.
export default defineConfig({
  test: {
    root: new URL('.', import.meta.url).pathname,
    include: ['**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 240_000,
    fileParallelism: false,
  },
});
