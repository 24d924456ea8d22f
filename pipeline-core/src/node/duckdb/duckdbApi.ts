import { createRequire } from 'node:module';

/**
 * @duckdb/node-api, loaded with `require`. An ESM `import` of this CommonJS package makes Node
 * scan it for named exports, and the scan follows `module.exports = require(...)` into the
 * native binding's loader and reads 70 MB of shared library as source text: 0.3 CPU-s at every
 * start, about as much as the whole pipeline of a small run.
 */
export const duckdbApi = createRequire(import.meta.url)('@duckdb/node-api') as typeof import('@duckdb/node-api');
