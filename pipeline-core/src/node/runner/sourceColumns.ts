import type { Source } from '../../core/spec/schema.js';
import type { SqlEngine, SqlRow } from '../../core/execute/sqlEngine.js';
import { quoteString } from '../../core/compile/sql.js';
import { didYouMean } from '../../core/spec/diagnostics.js';
import { NodeDuckdbEngine } from '../duckdb/nodeEngine.js';

/** A source file that does not hold what the spec declares; the run stops with this message. */
export class SourceColumnsError extends Error {}

/** Declared columns absent from each file, by file index (only files with something missing). */
export type MissingColumns = ReadonlyMap<number, readonly string[]>;

/**
 * The engine the checks read with: the run's own when it has one (a second DuckDB instance costs
 * ~50 ms of start-up), else a short-lived engine of their own.
 */
async function withEngine<T>(given: SqlEngine | undefined, f: (engine: SqlEngine) => Promise<T>): Promise<T> {
  if (given) return f(given);
  const engine = await NodeDuckdbEngine.open({ memoryLimit: '256MB', threads: 1 });
  try {
    return await f(engine);
  } finally {
    engine.close();
  }
}

const described = new WeakMap<SqlEngine, Map<string, Promise<SqlRow[]>>>();

/** A Parquet file's columns as DuckDB reads them (name, type), read from its footer once per engine. */
export function describeParquet(engine: SqlEngine, file: string): Promise<SqlRow[]> {
  let files = described.get(engine);
  if (!files) described.set(engine, (files = new Map()));
  let rows = files.get(file);
  if (!rows) files.set(file, (rows = engine.query(`DESCRIBE SELECT * FROM read_parquet(${quoteString(file)})`)));
  return rows;
}

function missingMessage(name: string, file: string, missing: readonly string[], present: readonly string[], what: 'key' | 'column'): string {
  const hints = missing.map((m) => didYouMean(m, present)).filter((h): h is string => h !== undefined);
  const listed = present.length > 12 ? `${present.slice(0, 12).join(', ')}, …` : present.join(', ');
  return (
    `source '${name}': ${file} has no ${what} ${missing.map((m) => `'${m}'`).join(', ')}` +
    `${hints.length ? ` (${hints.join('; ')})` : ''}; its ${what}s: ${listed || 'none'}. ` +
    `Fix the spec or the file, or set on_missing: null on the source to read missing columns as NULL.`
  );
}

/**
 * Records sampled for their keys: ~70 ms on a 35 MB file where 20,480 (DuckDB's schema sample)
 * took ~250 ms. A key missing from the sample is confirmed by a full scan, so a small sample only
 * costs a scan when a key is rare, never a wrong answer.
 */
const SAMPLE_RECORDS = 2_048;

const jsonFormat = (source: Source) => (source.format === 'ndjson' ? 'newline_delimited' : 'array');

/**
 * JSON keys are matched exactly, as the reader does. The keys of the first records are cheap to
 * read; only a key missing from them is confirmed by a scan of the whole file, so a normal run
 * pays for the sample alone and a key that first appears late is not refused.
 */
export async function checkJsonKeys(name: string, source: Source, absFiles: readonly string[], shownFiles: readonly string[], given?: SqlEngine): Promise<void> {
  if (source.on_missing === 'null') return;
  const pinned = source.schema.map((c) => c.name);
  await withEngine(given, async (engine) => {
    for (const [i, file] of absFiles.entries()) {
      const sampled = await sampledKeys(engine, source, file);
      if (!sampled) continue; // not readable as JSON at all: the reader reports it, line by line
      const suspects = pinned.filter((c) => !sampled.includes(c));
      if (suspects.length === 0) continue;
      const found = suspects.map((k, j) => `count(*) FILTER (WHERE json_exists(json, ${quoteString(`$.${JSON.stringify(k)}`)})) AS k${j}`);
      const [row] = await engine.query(`SELECT count(*) AS n, ${found.join(', ')} FROM read_json_objects(${quoteString(file)}, format = '${jsonFormat(source)}', ignore_errors = true)`);
      if (Number(row?.['n'] ?? 0) === 0) continue; // an empty file has no rows to miss anything
      const missing = suspects.filter((_, j) => Number(row?.[`k${j}`] ?? 0) === 0);
      if (missing.length) throw new SourceColumnsError(missingMessage(name, shownFiles[i] ?? file, missing, sampled, 'key'));
    }
  });
}

/** The keys of the first records. The LIMIT stops the scan early (a DESCRIBE of read_json on a JSON array measured as slow as reading the whole file). */
async function sampledKeys(engine: SqlEngine, source: Source, file: string): Promise<string[] | undefined> {
  const ignore = source.format === 'ndjson' ? ', ignore_errors = true' : '';
  try {
    const rows = await engine.query(
      // keys in the order they first appear, for the message
      `SELECT k FROM (SELECT unnest(json_keys(json)) AS k, generate_subscripts(json_keys(json), 1) AS i, n FROM (SELECT json, row_number() OVER () AS n FROM (SELECT json FROM read_json_objects(${quoteString(file)}, format = '${jsonFormat(source)}'${ignore}) WHERE json_type(json) = 'OBJECT' LIMIT ${SAMPLE_RECORDS}))) GROUP BY k ORDER BY min(n * 100000 + i)`,
    );
    return rows.map((r) => String(r['k']));
  } catch {
    return undefined;
  }
}

/**
 * Parquet files carry their schema in the footer, so checking costs no data read. Names match
 * case-insensitively, as DuckDB binds them. With on_missing: null the missing columns are
 * returned for the relation to fill with NULL; otherwise the first file missing one stops the run.
 */
export async function checkParquetColumns(name: string, source: Source, absFiles: readonly string[], shownFiles: readonly string[], given?: SqlEngine): Promise<MissingColumns> {
  const pinned = source.schema.map((c) => c.name);
  const out = new Map<number, string[]>();
  await withEngine(given, async (engine) => {
    for (const [i, file] of absFiles.entries()) {
      let present: string[];
      try {
        present = (await describeParquet(engine, file)).map((r) => String(r['column_name']));
      } catch (e) {
        const why = (e instanceof Error ? e.message : String(e)).split('\n')[0];
        throw new SourceColumnsError(`source '${name}': ${shownFiles[i] ?? file} is not a readable Parquet file: ${why}`);
      }
      const lower = new Set(present.map((p) => p.toLowerCase()));
      const missing = pinned.filter((c) => !lower.has(c.toLowerCase()));
      if (missing.length === 0) continue;
      if (source.on_missing !== 'null') throw new SourceColumnsError(missingMessage(name, shownFiles[i] ?? file, missing, present, 'column'));
      out.set(i, missing);
    }
  });
  return out;
}
