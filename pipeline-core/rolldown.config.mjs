// `npm run bundle` (part of `npm run build`): the CLI as a few files instead of the ~400 modules tsc
// writes, which Node 20 resolves and compiles one by one at every start (see bin/batchbook.js).
import { defineConfig } from 'rolldown';

export default defineConfig([
  {
    // one chunk per command group: `--help` still loads no DuckDB, runner or spec code. CommonJS, so
    // that bin/codeCache.cjs can compile it with V8's code cache (Node 20 has none for ES modules).
    input: { main: 'dist/node/cli/main.js', backfillWorker: 'dist/node/ops/backfillWorker.js' },
    platform: 'node',
    external: ['@duckdb/node-api'],
    output: { dir: 'dist/cli', format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: '[name]-[hash].cjs', cleanDir: true },
    logLevel: 'warn',
  },
  {
    // DuckDB's JavaScript API (~40 CommonJS files) as one file, required by duckdbApi.ts when it
    // lies beside it; the native library stays in @duckdb/node-bindings
    input: '@duckdb/node-api',
    platform: 'node',
    external: [/^@duckdb\/node-bindings/],
    output: { file: 'dist/cli/duckdb-node-api.cjs', format: 'cjs' },
    logLevel: 'warn',
  },
]);
