import { quoteIdent, quoteString } from '../compile/sql.js';
import type { SourceRelation } from '../stages/stageModule.js';

/**
 * The native runner's readers for JSON, NDJSON and Parquet sources as plain SQL (no file access),
 * so the runner (src/node/runner/sourceRelation.ts) and an export made in the browser
 * (markedSources.ts) write the same reader SQL. Every pinned column is read as text.
 */
const sqlList = (files: readonly string[]) => `[${files.map(quoteString).join(', ')}]`;

export function jsonRelation(files: readonly string[], shownFiles: readonly string[], pinned: readonly string[]): SourceRelation {
  return {
    rowNumbers: 'insertion',
    sql: `SELECT ${pinned.map(quoteIdent).join(', ')}, CAST(file_index AS INTEGER) AS _bb_file, CAST(NULL AS VARCHAR) AS _bb_error FROM read_json(${sqlList(files)}, format = 'array', columns = {${pinned.map((c) => `${quoteString(c)}: 'VARCHAR'`).join(', ')}})`,
    files: shownFiles,
  };
}

export function parquetRelation(files: readonly string[], shownFiles: readonly string[], pinned: readonly string[]): SourceRelation {
  return {
    rowNumbers: 'insertion',
    sql: `SELECT ${pinned.map((c) => `CAST(${quoteIdent(c)} AS VARCHAR) AS ${quoteIdent(c)}`).join(', ')}, CAST(file_index AS INTEGER) AS _bb_file, CAST(NULL AS VARCHAR) AS _bb_error FROM read_parquet(${sqlList(files)})`,
    files: shownFiles,
  };
}

/** NDJSON is read line by line, so a line that is not JSON becomes a reject with its line number. */
export function ndjsonRelation(files: readonly string[], shownFiles: readonly string[], pinned: readonly string[]): SourceRelation {
  const fields = pinned.map((c) => `CASE WHEN _ok THEN json_extract_string(line, ${quoteString(`$.${JSON.stringify(c)}`)}) END AS ${quoteIdent(c)}`).join(', ');
  const lines = `SELECT line, CAST(file_index AS INTEGER) AS _bb_file, row_number() OVER () AS _bb_row FROM read_csv(${sqlList(files)}, columns = {'line': 'VARCHAR'}, header = false, delim = E'\\x1e', quote = '', escape = '', auto_detect = false, strict_mode = false)`;
  return {
    lineOffset: 0,
    sql: `SELECT ${fields}, _bb_file, _bb_row, CASE WHEN NOT _ok THEN 'not valid JSON: ' || left(line, 120) END AS _bb_error FROM (SELECT *, coalesce(json_valid(line), FALSE) AND starts_with(ltrim(line), '{') AS _ok FROM (${lines}) WHERE line IS NOT NULL AND trim(line) <> '')`,
    files: shownFiles,
  };
}
