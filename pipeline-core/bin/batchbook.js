#!/usr/bin/env node
// The CLI bundled into a few files (`npm run build` writes dist/cli/) starts faster than the ~400
// modules tsc writes, which Node 20 loads one by one: a 10k-row run takes 0.64 CPU-s instead of 0.87.
// The bundle is CommonJS so that it can be compiled from V8's code cache (codeCache.cjs). It is used
// only when it is at least as new as the last TypeScript build, so a bare `tsc -b` never runs stale code.
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const modified = (path) => statSync(new URL(path, import.meta.url), { throwIfNoEntry: false })?.mtimeMs ?? -1;
const bundle = modified('../dist/cli/main.cjs');
const built = Math.max(modified('../dist/node.tsbuildinfo'), modified('../dist/core.tsbuildinfo'));
if (bundle >= built && bundle > 0) {
  const require = createRequire(import.meta.url);
  require('./codeCache.cjs').install(fileURLToPath(new URL('../dist/cli/', import.meta.url)));
  require('../dist/cli/main.cjs'); // starts the CLI: main.ts runs when it is loaded from this launcher
} else {
  await import('../dist/node/cli/main.js');
}
