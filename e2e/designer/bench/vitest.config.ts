import { defineConfig } from 'vitest/config';

// `npm run bench -w @batchbook/e2e`: the designer's timings in Chromium (printed, never asserted).
export default defineConfig({
  test: {
    root: new URL('.', import.meta.url).pathname,
    include: ['*.benchmark.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
