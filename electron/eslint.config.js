// Layering rules for the Electron main process and preload. Do not relax these rules: main is
// a thin host over pipeline-core and never reaches into the renderer's code.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['@batchbook/renderer', '@batchbook/renderer/*', '**/renderer/**'], message: 'Electron never imports the renderer: they meet only over the typed preload API. Dependencies point electron -> pipeline-core <- renderer.' },
          { group: ['**/pipeline-core/src/**', '**/pipeline-core/dist/**'], message: 'Import pipeline-core through its package name, not by a deep path.' },
        ],
      }],
    },
  },
  {
    // Sandboxed preloads run as CommonJS and may only require('electron'); TypeScript spells that import = require().
    files: ['src/preload.cts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
