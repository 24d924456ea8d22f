// Lint rules that keep pipeline-core's layering true. Do not relax these rules: the browser
// build of the designer imports src/core, and the Node runner must stay free of UI code.
import tseslint from 'typescript-eslint';

const NOT_UI = [
  { group: ['@batchbook/renderer', '@batchbook/renderer/*', '**/renderer/**'], message: 'pipeline-core never imports the renderer: dependencies point electron -> pipeline-core <- renderer.' },
  { group: ['@batchbook/electron', '@batchbook/electron/*', '**/electron/**', 'electron'], message: 'pipeline-core never imports Electron: dependencies point electron -> pipeline-core <- renderer.' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'bin/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { patterns: NOT_UI }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          ...NOT_UI,
          { group: ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'url', 'stream', 'util', 'worker_threads'], message: 'src/core is browser-safe (the designer runs it in Chromium): Node built-ins belong in src/node.' },
          { group: ['**/node/**', '../node/*', '../../node/*'], message: 'src/core must not import src/node: the browser build would pull in the Node runner.' },
          { group: ['@duckdb/node-api', 'pino', 'commander'], message: 'src/core is browser-safe: Node-only packages belong in src/node.' },
        ],
      }],
      'no-restricted-properties': ['error',
        { object: 'Date', property: 'now', message: 'src/core is deterministic: take a clock as a parameter instead of Date.now().' },
        { object: 'Math', property: 'random', message: 'src/core is deterministic: take a seeded random source as a parameter instead of Math.random().' },
      ],
      'no-restricted-globals': ['error',
        { name: 'process', message: 'src/core runs in the browser too: pass configuration in instead of reading process.' },
        { name: 'window', message: 'src/core has no DOM: UI code belongs in the renderer.' },
        { name: 'document', message: 'src/core has no DOM: UI code belongs in the renderer.' },
        { name: 'Buffer', message: 'src/core runs in the browser too: use Uint8Array.' },
      ],
    },
  },
);
