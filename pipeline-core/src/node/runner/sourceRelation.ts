import { open } from 'node:fs/promises';
import type { Source } from '../../core/spec/schema.js';
import type { SourceRelation } from '../../core/stages/stageModule.js';
import type { SqlEngine } from '../../core/execute/sqlEngine.js';
import { quoteIdent } from '../../core/compile/sql.js';
import { checkCsvHeaders, csvSourceRelation, CsvSourceError, declaredHeader } from '../../core/preview/csvRelation.js';
import { jsonRelation, ndjsonRelation, parquetRelation } from '../../core/export/readerRelations.js';
import { checkJsonKeys, checkParquetColumns, describeParquet, SourceColumnsError, type MissingColumns } from './sourceColumns.js';

export class SourceError extends Error {}

/** The first line of a file (the CSV header), read without loading the file. */
async function firstLine(file: string, encoding: BufferEncoding): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    const text = buf.subarray(0, bytesRead).toString(encoding);
    return text.split(/\r?\n/)[0] ?? '';
  } finally {
    await handle.close();
  }
}

/**
 * How the native runner reads a source: DuckDB's own readers, every column as text, each row
 * numbered, unparseable lines kept as reader errors with their line number.
 * `absFiles` are the landed files; `shownFiles` the names the report should use.
 */
export async function nativeSourceRelation(
  name: string,
  source: Source,
  absFiles: readonly string[],
  shownFiles: readonly string[],
  checkHeaders = true,
  /** The run's engine: the column checks read with it, and the Parquet files' own column types are read with it (without one, they are checked where the plan runs). */
  probe?: SqlEngine,
): Promise<SourceRelation> {
  const pinned = source.schema.map((c) => c.name);
  if (absFiles.length === 0) {
    const cols = pinned.map((c) => `CAST(NULL AS VARCHAR) AS ${quoteIdent(c)}`).join(', ');
    return { sql: `SELECT ${cols}, CAST(NULL AS INTEGER) AS _bb_file, CAST(NULL AS VARCHAR) AS _bb_error WHERE FALSE`, files: [], rowNumbers: 'insertion' };
  }
  switch (source.format) {
    case 'csv':
      return csvRelation(name, source, absFiles, shownFiles, checkHeaders);
    case 'ndjson':
      if (checkHeaders) await checkedColumns(() => checkJsonKeys(name, source, absFiles, shownFiles, probe));
      return ndjsonRelation(absFiles, shownFiles, source);
    case 'json':
      if (checkHeaders) await checkedColumns(() => checkJsonKeys(name, source, absFiles, shownFiles, probe));
      return jsonRelation(absFiles, shownFiles, pinned);
    case 'parquet': {
      const missing = checkHeaders ? await checkedColumns(() => checkParquetColumns(name, source, absFiles, shownFiles, probe)) : new Map<number, readonly string[]>();
      const absent = missingEverywhere(missing, absFiles.length);
      // files that lack some columns (on_missing: null) are read by name, the gaps as NULL
      const byName = missing.size > 0 && absent.size < pinned.length;
      const stored = probe && !byName ? await parquetTypes(probe, absFiles[0]!) : 'at-run-time';
      return parquetRelation(absFiles, shownFiles, source, stored, absent, byName);
    }
  }
}

/** Declared columns that no file has (read as NULL under on_missing: null). */
function missingEverywhere(missing: MissingColumns, files: number): Set<string> {
  if (missing.size < files) return new Set();
  const lists = [...missing.values()];
  return new Set(lists[0]!.filter((c) => lists.every((l) => l.includes(c))));
}

/** The column checks' refusals reach the user as SourceErrors, like the CSV header check's. */
async function checkedColumns<T>(check: () => Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (e) {
    throw e instanceof SourceColumnsError ? new SourceError(e.message) : e;
  }
}

async function csvRelation(name: string, source: Source, absFiles: readonly string[], shownFiles: readonly string[], checkHeaders: boolean): Promise<SourceRelation> {
  const o = source.options ?? {};
  let columns: readonly string[] = declaredHeader(source);
  if ((o.header ?? true) && checkHeaders) {
    const encoding: BufferEncoding = o.encoding === 'latin-1' ? 'latin1' : o.encoding === 'utf-16' ? 'utf16le' : 'utf8';
    const firstLines = await Promise.all(absFiles.map((f) => firstLine(f, encoding)));
    try {
      columns = checkCsvHeaders(name, source, firstLines, shownFiles);
    } catch (e) {
      throw e instanceof CsvSourceError ? new SourceError(e.message) : e;
    }
  }
  return csvSourceRelation(name, source, absFiles, shownFiles, columns, 'insertion');
}

/**
 * Column name → DuckDB type of a Parquet file, as DuckDB reads it; empty when the file cannot be
 * read (then every column is read as text, and the ingest stage reports the broken file).
 */
async function parquetTypes(engine: SqlEngine, file: string): Promise<Map<string, string>> {
  const rows = await describeParquet(engine, file).catch(() => []);
  return new Map(rows.map((r) => [String(r['column_name']), String(r['column_type'])]));
}
