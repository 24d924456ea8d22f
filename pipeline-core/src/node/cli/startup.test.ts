import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { makeProject } from '../testing/fixtures.js';

const BIN = fileURLToPath(new URL('../../../bin/batchbook.js', import.meta.url));
const CODE_CACHE = fileURLToPath(new URL('../../../bin/codeCache.cjs', import.meta.url));
// the modules tsc writes (the bundle in dist/cli/ is one file per command group, so laziness is
// checked on the module graph it is built from)
const MODULES_MAIN = fileURLToPath(new URL('../../../dist/node/cli/main.js', import.meta.url));
const CSV_ONLY = `version: 1
name: s
sources:
  a: { format: csv, path: a.csv, schema: [{ name: x, type: integer }] }
stages:
  - { name: raw, kind: ingest, source: a }
  - { name: out, kind: output, input: raw, format: parquet, path: out }
`;

/** The modules a CLI invocation loads, recorded by a module resolve hook. */
function modulesLoadedBy(args: readonly string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'bb-startup-'));
  const log = join(dir, 'modules.txt');
  writeFileSync(join(dir, 'hooks.mjs'), `import { appendFileSync } from 'node:fs';\nexport async function resolve(s, c, next) { const r = await next(s, c); appendFileSync(${JSON.stringify(log)}, r.url + '\\n'); return r; }\n`);
  writeFileSync(join(dir, 'register.mjs'), "import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n");
  writeFileSync(log, '');
  execFileSync(process.execPath, ['--import', join(dir, 'register.mjs'), MODULES_MAIN, ...args], { stdio: 'pipe' });
  return readFileSync(log, 'utf8').split('\n').filter(Boolean);
}

describe('CLI start-up', () => {
  it('--help loads no DuckDB, runner, compiler or spec code', () => {
    const loaded = modulesLoadedBy(['--help']);
    expect(loaded.some((u) => u.includes('cli/main.js'))).toBe(true);
    expect(loaded.filter((u) => /@duckdb|runner\/run\.js|compile\/|spec\/load\.js|zod|cost\/estimate/.test(u))).toEqual([]);
  });

  // DuckDB loads for validate only to read the metadata of Parquet files in the inbox (fileSchemas.ts)
  it('validate of a spec without Parquet sources loads the spec code but not DuckDB or the runner', async () => {
    const loaded = modulesLoadedBy(['validate', await makeProject(CSV_ONLY)]);
    expect(loaded.some((u) => u.includes('spec/load.js'))).toBe(true);
    expect(loaded.filter((u) => /@duckdb|runner\/run\.js|nodeEngine/.test(u))).toEqual([]);
  });
});

/** How many functions a CLI invocation through the launcher compiles from text with `Function` (Zod's JIT does, unless jitless). */
function functionsCompiledBy(args: readonly string[]): number {
  const dir = mkdtempSync(join(tmpdir(), 'bb-jit-'));
  const log = join(dir, 'compiled.txt');
  writeFileSync(log, '');
  writeFileSync(
    join(dir, 'count.mjs'),
    // a body-less Function('') is Zod probing whether eval is allowed: only bodies are compiled parsers
    `import { appendFileSync } from 'node:fs';\nconst F = globalThis.Function;\nconst note = (a) => { if (String(a.at(-1) ?? '').trim()) appendFileSync(${JSON.stringify(log)}, 'F\\n'); };\nglobalThis.Function = new Proxy(F, { construct(t, a) { note(a); return Reflect.construct(t, a); }, apply(t, self, a) { note(a); return Reflect.apply(t, self, a); } });\n`,
  );
  execFileSync(process.execPath, ['--import', join(dir, 'count.mjs'), BIN, ...args], { stdio: 'pipe' });
  return readFileSync(log, 'utf8').split('\n').filter(Boolean).length;
}

describe('spec parsing in the CLI', () => {
  // Zod's global jitless setting is read when a schema is constructed: set after the schemas were built, it did nothing (~75 ms of every start)
  it('validates the spec with Zod jitless: no code is compiled at run time', async () => {
    expect(functionsCompiledBy(['validate', await makeProject(CSV_ONLY)])).toBe(0);
  });
});

describe('bin/batchbook.js', () => {
  /** A copy of the launcher beside two stand-in CLIs that say which one ran; times in seconds. */
  function launcherWith(times: { bundle?: number; node: number; core: number }): string {
    const root = mkdtempSync(join(tmpdir(), 'bb-bin-'));
    for (const d of ['bin', 'dist/cli', 'dist/node/cli']) mkdirSync(join(root, d), { recursive: true });
    copyFileSync(BIN, join(root, 'bin', 'batchbook.js'));
    copyFileSync(CODE_CACHE, join(root, 'bin', 'codeCache.cjs'));
    writeFileSync(join(root, 'dist/node/cli/main.js'), "process.stdout.write('modules');\n");
    const stamp = (file: string, seconds: number) => {
      writeFileSync(join(root, file), file.endsWith('.cjs') ? "process.stdout.write('bundle');\n" : '{}');
      utimesSync(join(root, file), seconds, seconds);
    };
    if (times.bundle !== undefined) stamp('dist/cli/main.cjs', times.bundle);
    stamp('dist/node.tsbuildinfo', times.node);
    stamp('dist/core.tsbuildinfo', times.core);
    return execFileSync(process.execPath, [join(root, 'bin', 'batchbook.js')], { encoding: 'utf8' });
  }

  it('runs the bundle when it is at least as new as both TypeScript builds', () => {
    expect(launcherWith({ bundle: 2_000_000, node: 1_000_000, core: 2_000_000 })).toBe('bundle');
  });

  it('runs the modules tsc wrote when either build is newer than the bundle, or there is no bundle', () => {
    expect(launcherWith({ bundle: 2_000_000, node: 2_000_001, core: 1_000_000 })).toBe('modules');
    expect(launcherWith({ bundle: 2_000_000, node: 1_000_000, core: 2_000_001 })).toBe('modules');
    expect(launcherWith({ node: 1_000_000, core: 1_000_000 })).toBe('modules');
  });
});

describe('bin/codeCache.cjs', () => {
  /** A bundle directory with one CommonJS module, and a script that loads it through the code cache. */
  function bundleWithCache(): { run: () => { stdout: string; stderr: string }; cacheDir: string } {
    const root = mkdtempSync(join(tmpdir(), 'bb-cache-'));
    const bundleDir = join(root, 'cli');
    mkdirSync(bundleDir);
    // enough code that V8's cached data is worth keeping; the module's own result shows it ran
    const body = Array.from({ length: 50 }, (_, i) => `function f${i}(x) { return x * ${i} + ${i}; }`).join('\n');
    writeFileSync(join(bundleDir, 'main.cjs'), `${body}\nmodule.exports = f49(2) + f3(1);\n`);
    const start = join(root, 'start.cjs');
    writeFileSync(start, `require(${JSON.stringify(CODE_CACHE)}).install(${JSON.stringify(bundleDir)});\nprocess.stdout.write(String(require(${JSON.stringify(join(bundleDir, 'main.cjs'))})));\n`);
    const run = () => {
      const r = spawnSync(process.execPath, [start], { encoding: 'utf8', env: { ...process.env, BATCHBOOK_CODE_CACHE: 'report' } });
      return { stdout: r.stdout, stderr: r.stderr };
    };
    return { run, cacheDir: join(bundleDir, '.v8-cache') };
  }

  it('writes the cache on the first start and compiles from it on the next', () => {
    const bundle = bundleWithCache();
    expect(bundle.run()).toEqual({ stdout: String(49 * 2 + 49 + 3 + 3), stderr: 'code cache: 0 of 1 files from the cache, 1 written\n' });
    expect(readdirSync(bundle.cacheDir)).toHaveLength(1);
    expect(bundle.run()).toEqual({ stdout: '153', stderr: 'code cache: 1 of 1 files from the cache, 0 written\n' });
  });

  it('is what the launcher loads the CLI bundle through', () => {
    const version = () => spawnSync(process.execPath, [BIN, '--version'], { encoding: 'utf8', env: { ...process.env, BATCHBOOK_CODE_CACHE: 'report' } });
    version(); // writes what a previous start did not
    const second = version();
    expect(second.status).toBe(0);
    expect(second.stderr).toMatch(/^code cache: ([1-9]\d*) of \1 files from the cache, 0 written\n$/);
  });

  it('ignores a damaged cache file (V8 refuses it), runs the code from text and writes a good one', () => {
    const bundle = bundleWithCache();
    bundle.run();
    const [file] = readdirSync(bundle.cacheDir);
    const path = join(bundle.cacheDir, file!);
    const good = readFileSync(path);
    for (const damaged of [Buffer.from('not a code cache'), good.subarray(0, good.length >> 1)]) {
      writeFileSync(path, damaged);
      expect(bundle.run()).toEqual({ stdout: '153', stderr: 'code cache: 0 of 1 files from the cache, 1 written\n' });
      expect(bundle.run().stderr).toBe('code cache: 1 of 1 files from the cache, 0 written\n');
    }
  });
});
