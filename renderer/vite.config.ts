import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';
import { samplesPlugin } from './build/samplesPlugin.ts';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
// DuckDB-WASM's synchronous browser build is not in its package exports; the preview worker needs it
const duckdbDist = dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-browser.mjs'));

export default defineConfig({
  root: here,
  // relative asset URLs: the same build serves from http://localhost and from Electron's batchbook:// scheme
  base: './',
  plugins: [react(), samplesPlugin(join(here, '../samples'))],
  resolve: {
    // pipeline-core straight from its TypeScript sources
    conditions: ['source', ...defaultClientConditions],
    alias: { 'duckdb-wasm-blocking': join(duckdbDist, 'duckdb-browser-blocking.mjs') },
  },
  worker: { format: 'es' },
  build: {
    outDir: 'dist/web',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 6000,
    assetsInlineLimit: 0,
  },
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173 },
});
