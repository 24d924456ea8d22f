import { readFile } from 'node:fs/promises';
import { duckdbApi } from '../duckdb/duckdbApi.js';

/**
 * Runs a SQL script statement by statement on a fresh in-memory DuckDB with its default settings
 * (as the DuckDB CLI would: all cores, 80 % of memory unless the script says otherwise). The
 * benchmarks start it as a child process so its wall time, CPU time and peak RSS are measured
 * whole, like `batchbook run`'s. Usage: node sqlChild.js script.sql [name=value …] (variables).
 */
const [file, ...vars] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: sqlChild.js script.sql [name=value …]\n');
  process.exit(2);
}
const instance = await duckdbApi.DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' });
const conn = await instance.connect();
for (const v of vars) {
  const eq = v.indexOf('=');
  await conn.run(`SET VARIABLE ${v.slice(0, eq)} = '${v.slice(eq + 1).replace(/'/g, "''")}'`);
}
const extracted = await conn.extractStatements(await readFile(file, 'utf8'));
for (let i = 0; i < extracted.count; i++) {
  const prepared = await extracted.prepare(i);
  await prepared.run();
}
conn.closeSync();
instance.closeSync();
