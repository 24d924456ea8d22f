import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { makeProject } from '../testing/fixtures.js';

const BIN = fileURLToPath(new URL('../../../bin/batchbook.js', import.meta.url));
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
  execFileSync(process.execPath, ['--import', join(dir, 'register.mjs'), BIN, ...args], { stdio: 'pipe' });
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
