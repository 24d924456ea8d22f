// A V8 code cache for the CLI bundle (dist/cli/*.cjs). Node 20 compiles every module from text at
// every start and compiles each function again the first time it runs (module.enableCompileCache
// needs Node 22). For `batchbook run` that was ~0.17 CPU-s before the first SQL statement, about a
// tenth of a 3M-row run. This loader compiles the bundle's files with V8's cached data when there is
// some, and writes it at exit when there was none (or V8 refused it), after the run, so the cache
// also holds the functions the run compiled lazily.
//
// The cache lives beside the bundle (dist/cli/.v8-cache/), so each build starts a new one. V8 checks
// the data against the source, its own version and flags, and refuses what does not match; a refused
// or unreadable cache only costs the compile it would have saved. Nothing here can fail a command:
// a cache that cannot be written (read-only install) is simply not written.
'use strict';
const Module = require('node:module');
const vm = require('node:vm');
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const { basename, dirname, join, resolve } = require('node:path');

/**
 * Compiles the CommonJS files directly in `bundleDir` through the cache from now on.
 * BATCHBOOK_CODE_CACHE=off turns it off; =report prints what was used and written, at exit.
 */
function install(directory) {
  const bundleDir = resolve(directory);
  const mode = process.env.BATCHBOOK_CODE_CACHE;
  if (mode === 'off') return;
  const cacheDir = join(bundleDir, '.v8-cache');
  const compiled = []; // [script, cache file, used]
  const compile = Module.prototype._compile;
  Module.prototype._compile = function compileWithCache(content, filename) {
    if (dirname(filename) !== bundleDir) return compile.call(this, content, filename);
    const cacheFile = join(cacheDir, `${basename(filename)}.${process.version}.${process.arch}`);
    let cachedData;
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      cachedData = undefined;
    }
    const script = new vm.Script(Module.wrap(content), {
      filename,
      cachedData,
      importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    });
    compiled.push([script, cacheFile, cachedData !== undefined && !script.cachedDataRejected]);
    const wrapper = script.runInThisContext({ displayErrors: true });
    return wrapper.call(this.exports, this.exports, Module.createRequire(filename), this, filename, dirname(filename));
  };
  process.once('exit', () => {
    let written = 0;
    for (const [script, cacheFile, used] of compiled) {
      if (used) continue;
      try {
        mkdirSync(cacheDir, { recursive: true });
        // another process may write the same file: each writes its own and renames it into place
        const temporary = `${cacheFile}.${process.pid}.tmp`;
        writeFileSync(temporary, script.createCachedData());
        renameSync(temporary, cacheFile);
        written += 1;
      } catch {
        // a read-only install or a full disk: the next start compiles from text, as without a cache
      }
    }
    if (mode === 'report') {
      const used = compiled.filter((c) => c[2]).length;
      process.stderr.write(`code cache: ${used} of ${compiled.length} files from the cache, ${written} written\n`);
    }
  });
}

module.exports = { install };
