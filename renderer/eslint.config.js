// Layering rules for the renderer. Do not relax these rules: the renderer runs sandboxed in
// Chromium with no Node, and talks to the host only through the typed host interface.
import tseslint from 'typescript-eslint';

const NEVER = [
  { group: ['electron', '@batchbook/electron', '@batchbook/electron/*', '**/electron/**'], message: 'The renderer never imports Electron: it reaches the host through the preload API (src/host). Dependencies point electron -> pipeline-core <- renderer.' },
  { group: ['@batchbook/pipeline-core/node', '**/pipeline-core/src/node/**', '**/pipeline-core/dist/node/**'], message: "The renderer may only use pipeline-core's browser-safe surface (@batchbook/pipeline-core)." },
  { group: ['**/pipeline-core/src/**', '**/pipeline-core/dist/**'], message: 'Import pipeline-core through its package name, not by a deep path.' },
];

export default tseslint.config(
  { ignores: ['dist/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', {
        patterns: [
          ...NEVER,
          { group: ['node:*', 'fs', 'path', 'os', 'child_process'], message: 'The renderer has no Node: ask the host (src/host) instead.' },
        ],
      }],
    },
  },
  {
    // Build tooling and unit tests run in Node (they read sample files); the app code above does not.
    files: ['build/**/*.ts', 'vite.config.ts', 'vitest.config.ts', 'src/**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: NEVER }] },
  },
);
