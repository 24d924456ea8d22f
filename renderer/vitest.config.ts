import { defineConfig } from 'vitest/config';

// The renderer's own unit tests (pure logic: history, schema inference, completion, layout; the samples index).
// Its components are tested end to end in Chromium (e2e/designer).
export default defineConfig({
  resolve: { conditions: ['source'] },
  test: { include: ['src/**/*.test.ts', 'build/**/*.test.ts'], environment: 'node' },
});
