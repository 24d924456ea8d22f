import { open } from 'node:fs/promises';
import type { Source } from '../../core/spec/schema.js';
import type { SourceRelation } from '../../core/stages/stageModule.js';
import { quoteIdent, quoteString } from '../../core/compile/sql.js';
import { checkCsvHeaders, csvSourceRelation, CsvSourceError, declaredHeader } from '../../core/preview/csvRelation.js';
import { checkJsonKeys, checkParquetColumns, SourceColumnsError, type MissingColumns } from './sourceColumns.js';

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

const sqlList = (files: readonly string[]) => `[${files.map(quoteString).join(', ')}]`;

/**
 * How the native runner reads a source: DuckDB's own readers, every column as text, each row
 * numbered, unparseable lines kept as reader errors with their line number.
 * `absFiles` are the landed files; `shownFiles` the names the report should use.
 */
export async function nativeSourceRelation(name: string, source: Source, absFiles: readonly string[], shownFiles: readonly string[], checkHeaders = true): Promise<SourceRelation> {
  const pinned = source.schema.map((c) => c.name);
  if (absFiles.length === 0) {
    const cols = pinned.map((c) => `CAST(NULL AS VARCHAR) AS ${quoteIdent(c)}`).join(', ');
    return { sql: `SELECT ${cols}, CAST(NULL AS INTEGER) AS _bb_file, CAST(NULL AS VARCHAR) AS _bb_error WHERE FALSE`, files: [], rowNumbers: 'insertion' };
  }
  switch (source.format) {
    case 'csv':
      return csvRelation(name, source, absFiles, shownFiles, checkHeaders);
    case 'ndjson':
      if (checkHeaders) await checkedColumns(() => checkJsonKeys(name, source, absFiles, shownFiles));
      return ndjsonRelation(name, source, absFiles, shownFiles, pinned);
    case 'json':
      if (checkHeaders) await checkedColumns(() => checkJsonKeys(name, source, absFiles, shownFiles));
      return {
        rowNumbers: 'insertion',
        sql: `SELECT ${pinned.map(quoteIdent).join(', ')}, CAST(file_index AS INTEGER) AS _bb_file, CAST(NULL AS VARCHAR) AS _bb_error FROM read_json(${sqlList(absFiles)}, format = 'array', columns = {${pinned.map((c) => `${quoteString(c)}: 'VARCHAR'`).join(', ')}})`,
        files: shownFiles,
      };
    case 'parquet': {
      const missing = checkHeaders ? await checkedColumns(() => checkParquetColumns(name, source, absFiles, shownFiles)) : new Map<number, readonly string[]>();
      const absent = missingEverywhere(missing, absFiles.length);
      const column = (c: string) => (absent.has(c) ? `CAST(NULL AS VARCHAR)` : `CAST(${quoteIdent(c)} AS VARCHAR)`);
      // files that lack some columns (on_missing: null) are read by name, the gaps as NULL
      const byName = missing.size > 0 && absent.size < pinned.length ? ', union_by_name = true' : '';
      return {
        rowNumbers: 'insertion',
        sql: `SELECT ${pinned.map((c) => `${column(c)} AS ${quoteIdent(c)}`).join(', ')}, CAST(file_index AS INTEGER) AS _bb_file, CAST(NULL AS VARCHAR) AS _bb_error FROM read_parquet(${sqlList(absFiles)}${byName})`,
        files: shownFiles,
      };
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

/** NDJSON is read line by line, so a line that is not JSON becomes a reject with its line number. */
function ndjsonRelation(_name: string, source: Source, absFiles: readonly string[], shownFiles: readonly string[], pinned: readonly string[]): SourceRelation {
  const fields = pinned.map((c) => `CASE WHEN _ok THEN json_extract_string(line, ${quoteString(`$.${JSON.stringify(c)}`)}) END AS ${quoteIdent(c)}`).join(', ');
  const maxLine = source.max_line_bytes ? `, max_line_size = ${source.max_line_bytes}` : '';
  const lines = `SELECT line, CAST(file_index AS INTEGER) AS _bb_file, row_number() OVER () AS _bb_row FROM read_csv(${sqlList(absFiles)}, columns = {'line': 'VARCHAR'}, header = false, delim = E'\\x1e', quote = '', escape = '', auto_detect = false, strict_mode = false${maxLine})`;
  return {
    lineOffset: 0,
    sql: `SELECT ${fields}, _bb_file, _bb_row, CASE WHEN NOT _ok THEN 'not valid JSON: ' || left(line, 120) END AS _bb_error FROM (SELECT *, coalesce(json_valid(line), FALSE) AND starts_with(ltrim(line), '{') AS _ok FROM (${lines}) WHERE line IS NOT NULL AND trim(line) <> '')`,
    files: shownFiles,
  };
}
