import { quoteIdent, quoteString } from '../compile/sql.js';
import type { Source } from '../spec/schema.js';
import type { SourceRelation } from '../stages/stageModule.js';
import { duckdbType, storedTypesTaken } from '../types/dataType.js';

/**
 * The native runner's readers for JSON, NDJSON and Parquet sources as plain SQL (no file access),
 * so the runner (src/node/runner/sourceRelation.ts) and an export made in the browser
 * (markedSources.ts) write the same reader SQL. Every pinned column is read as text, except
 * Parquet columns, read in their stored type when it is the declared one.
 */
const sqlList = (files: readonly string[]) => `[${files.map(quoteString).join(', ')}]`;

export function jsonRelation(files: readonly string[], shownFiles: readonly string[], pinned: readonly string[]): SourceRelation {
  return {
    rowNumbers: 'insertion',
    sql: `SELECT ${pinned.map(quoteIdent).join(', ')}, CAST(file_index AS INTEGER) AS _bb_file, CAST(NULL AS VARCHAR) AS _bb_error FROM read_json(${sqlList(files)}, format = 'array', columns = {${pinned.map((c) => `${quoteString(c)}: 'VARCHAR'`).join(', ')}})`,
    files: shownFiles,
  };
}

/**
 * The declared columns a typed reader delivers as they are: stored in their declared type, or in
 * an integer type that widens to it exactly. Shared by the runner's read_parquet relation and the
 * designer's Parquet loader, so both read the same columns natively. `stored`: column → DuckDB type.
 */
export function nativelyTyped(source: Source, stored: ReadonlyMap<string, string>, absent: ReadonlySet<string> = new Set()): Source['schema'][number][] {
  return source.schema.filter((c) => c.type !== 'string' && !absent.has(c.name) && storedTypesTaken(c.type).includes(stored.get(c.name) ?? ''));
}

/**
 * Parquet carries types: a column stored in its declared type (or an integer type that widens to
 * it exactly) is read as it is, so nothing can fail to convert and no text round trip is paid;
 * other columns are read as text and cast by the ingest stage, bad values becoming rejects. Rows
 * are numbered within their file by the reader itself (file_row_number).
 * `stored`: column → DuckDB type of the files, as the caller read them (empty: all read as text);
 * or 'at-run-time' when the files are not at hand (an export): every column is then read in the
 * file's own type and the ingest decides per column where the plan runs (see `nativeTyped`).
 * `absent`: declared columns no file has (read as NULL); `byName`: files differ in their
 * columns, so they are matched by name.
 */
export function parquetRelation(
  files: readonly string[],
  shownFiles: readonly string[],
  source: Source,
  stored: ReadonlyMap<string, string> | 'at-run-time' = new Map(),
  absent: ReadonlySet<string> = new Set(),
  byName = false,
): SourceRelation {
  const typed = stored === 'at-run-time' ? [] : nativelyTyped(source, stored, absent);
  const native = stored === 'at-run-time' ? source.schema.filter((c) => c.type !== 'string' && !absent.has(c.name)) : [];
  const isTyped = new Set(typed.map((c) => c.name));
  const read = (c: Source['schema'][number]) => {
    if (absent.has(c.name)) return 'CAST(NULL AS VARCHAR)';
    if (native.includes(c)) return quoteIdent(c.name);
    return `CAST(${quoteIdent(c.name)} AS ${isTyped.has(c.name) ? duckdbType(c.type) : 'VARCHAR'})`;
  };
  return {
    // the reader's own numbers, unchanged: a row range then prunes row groups (file_row_number + 1 would not)
    rowNumbers: 'file',
    firstRow: 0,
    typed: typed.map((c) => c.name),
    ...(native.length ? { nativeTyped: native.map((c) => c.name) } : {}),
    errorFree: true,
    sql: `SELECT ${source.schema.map((c) => `${read(c)} AS ${quoteIdent(c.name)}`).join(', ')}, CAST(file_index AS INTEGER) AS _bb_file, CAST(file_row_number AS BIGINT) AS _bb_row, CAST(NULL AS VARCHAR) AS _bb_error FROM read_parquet(${sqlList(files)}, file_row_number = true${byName ? ', union_by_name = true' : ''})`,
    files: shownFiles,
  };
}

/** NDJSON is read line by line, so a line that is not JSON becomes a reject with its line number. */
export function ndjsonRelation(files: readonly string[], shownFiles: readonly string[], source: Source): SourceRelation {
  const pinned = source.schema.map((c) => c.name);
  const fields = pinned.map((c) => `CASE WHEN _ok THEN json_extract_string(line, ${quoteString(`$.${JSON.stringify(c)}`)}) END AS ${quoteIdent(c)}`).join(', ');
  const maxLine = source.max_line_bytes ? `, max_line_size = ${source.max_line_bytes}` : '';
  const lines = `SELECT line, CAST(file_index AS INTEGER) AS _bb_file, row_number() OVER () AS _bb_row FROM read_csv(${sqlList(files)}, columns = {'line': 'VARCHAR'}, header = false, delim = E'\\x1e', quote = '', escape = '', auto_detect = false, strict_mode = false${maxLine})`;
  return {
    lineOffset: 0,
    sql: `SELECT ${fields}, _bb_file, _bb_row, CASE WHEN NOT _ok THEN 'not valid JSON: ' || left(line, 120) END AS _bb_error FROM (SELECT *, coalesce(json_valid(line), FALSE) AND starts_with(ltrim(line), '{') AS _ok FROM (${lines}) WHERE line IS NOT NULL AND trim(line) <> '')`,
    files: shownFiles,
  };
}
