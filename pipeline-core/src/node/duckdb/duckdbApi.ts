import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * @duckdb/node-api, loaded with `require`. An ESM `import` of this CommonJS package makes Node
 * scan it for named exports, and the scan follows `module.exports = require(...)` into the
 * native binding's loader and reads 70 MB of shared library as source text: 0.3 CPU-s at every
 * start, about as much as the whole pipeline of a small run. Beside the CLI bundle, the package's
 * JavaScript is one file (rolldown.config.mjs), which loads in ~55 ms instead of ~150 ms.
 */
const require = createRequire(import.meta.url);
const bundled = new URL('./duckdb-node-api.cjs', import.meta.url);
export const duckdbApi = require(existsSync(bundled) ? fileURLToPath(bundled) : '@duckdb/node-api') as typeof import('@duckdb/node-api');
