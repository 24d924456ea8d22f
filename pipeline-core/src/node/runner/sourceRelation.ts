import { open } from 'node:fs/promises';
import type { Source } from '../../core/spec/schema.js';
import type { SourceRelation } from '../../core/stages/stageModule.js';
import { quoteIdent, quoteString } from '../../core/compile/sql.js';

export class SourceError extends Error {}

/** The first line of a file (the CSV header), read without loading the file. */
async function firstLine(file: string, encoding: BufferEncoding): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    const text = buf.subarray(0, bytesRead).toString(encoding).replace(/^\uFEFF/, '');
    return text.split(/\r?\n/)[0] ?? '';
  } finally {
    await handle.close();
  }
}

/** Splits one CSV line (the header) into names, honouring quotes. */
export function splitCsvLine(line: string, delimiter: string, quote: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inQuotes = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote && ch === quote) {
      if (inQuotes && line[i + 1] === quote) {
        cur += quote;
        i++;
      } else inQuotes = !inQuotes;
    } else if (ch === delimiter && !inQuotes) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim());
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
      return csvRelation(name, source, absFiles, shownFiles, pinned, checkHeaders);
    case 'ndjson':
      return ndjsonRelation(name, absFiles, shownFiles, pinned);
    case 'json':
      return {
        rowNumbers: 'insertion',
        sql: `SELECT ${pinned.map(quoteIdent).join(', ')}, CAST(file_index AS INTEGER) AS _bb_file, CAST(NULL AS VARCHAR) AS _bb_error FROM read_json(${sqlList(absFiles)}, format = 'array', columns = {${pinned.map((c) => `${quoteString(c)}: 'VARCHAR'`).join(', ')}})`,
        files: shownFiles,
      };
    case 'parquet':
      return {
        rowNumbers: 'insertion',
        sql: `SELECT ${pinned.map((c) => `CAST(${quoteIdent(c)} AS VARCHAR) AS ${quoteIdent(c)}`).join(', ')}, CAST(file_index AS INTEGER) AS _bb_file, CAST(NULL AS VARCHAR) AS _bb_error FROM read_parquet(${sqlList(absFiles)})`,
        files: shownFiles,
      };
  }
}

async function csvRelation(name: string, source: Source, absFiles: readonly string[], shownFiles: readonly string[], pinned: readonly string[], checkHeaders: boolean): Promise<SourceRelation> {
  const o = source.options ?? {};
  const delimiter = o.delimiter ?? ',';
  const quote = o.quote ?? '"';
  const header = o.header ?? true;
  const encoding = o.encoding ?? 'utf-8';
  let columns: string[] = [...pinned];
  if (header && checkHeaders) {
    const nodeEncoding: BufferEncoding = encoding === 'latin-1' ? 'latin1' : encoding === 'utf-16' ? 'utf16le' : 'utf8';
    const headers = await Promise.all(absFiles.map((f) => firstLine(f, nodeEncoding).then((l) => splitCsvLine(l, delimiter, quote))));
    columns = headers[0]!;
    headers.forEach((h, i) => {
      const missing = pinned.filter((c) => !h.includes(c));
      if (missing.length) throw new SourceError(`source '${name}': ${shownFiles[i]} has no column ${missing.map((m) => `'${m}'`).join(', ')} (its header: ${h.join(', ')})`);
      if (h.join('\u0000') !== columns.join('\u0000')) throw new SourceError(`source '${name}': ${shownFiles[i]} has a different header from ${shownFiles[0]}; files of one source must share their columns`);
    });
  }
  const rejectsTable = `${name}__reader_errors`;
  const scansTable = `${name}__reader_scans`;
  const opts = [
    `header = ${header}`,
    `delim = ${quoteString(delimiter)}`,
    `quote = ${quoteString(quote)}`,
    `escape = ${quoteString(o.escape ?? quote)}`,
    `encoding = ${quoteString(encoding)}`,
    `auto_detect = false`,
    `columns = {${columns.map((c) => `${quoteString(c)}: 'VARCHAR'`).join(', ')}}`,
    `store_rejects = true`,
    `rejects_table = ${quoteString(rejectsTable)}`,
    `rejects_scan = ${quoteString(scansTable)}`,
    `strict_mode = true`,
    `null_padding = false`,
    ...(o.skip_rows ? [`skip = ${o.skip_rows}`] : []),
    ...(o.null_values ? [`nullstr = [${o.null_values.map(quoteString).join(', ')}]`] : []),
  ];
  const fileIndex = absFiles.map((f, i) => `(${quoteString(f)}, ${i})`).join(', ');
  return {
    setup: [`DROP TABLE IF EXISTS ${quoteIdent(rejectsTable)}`, `DROP TABLE IF EXISTS ${quoteIdent(scansTable)}`],
    rowNumbers: 'insertion',
    lineOffset: (header ? 1 : 0) + (o.skip_rows ?? 0),
    sql: `SELECT ${pinned.map(quoteIdent).join(', ')}, CAST(file_index AS INTEGER) AS _bb_file, CAST(NULL AS VARCHAR) AS _bb_error FROM read_csv(${sqlList(absFiles)}, ${opts.join(', ')})`,
    readerErrors: `SELECT CAST(f.idx AS INTEGER) AS _bb_file, CAST(e.line AS BIGINT) AS _bb_line, 'line ' || e.line || ': ' || e.error_message AS _bb_reason, e.csv_line AS _bb_raw FROM ${quoteIdent(rejectsTable)} e JOIN ${quoteIdent(scansTable)} s ON s.scan_id = e.scan_id AND s.file_id = e.file_id JOIN (VALUES ${fileIndex}) f(path, idx) ON f.path = s.file_path QUALIFY row_number() OVER (PARTITION BY f.idx, e.line ORDER BY e.column_idx) = 1`,
    files: shownFiles,
  };
}

/** NDJSON is read line by line, so a line that is not JSON becomes a reject with its line number. */
function ndjsonRelation(_name: string, absFiles: readonly string[], shownFiles: readonly string[], pinned: readonly string[]): SourceRelation {
  const fields = pinned.map((c) => `CASE WHEN _ok THEN json_extract_string(line, ${quoteString(`$.${JSON.stringify(c)}`)}) END AS ${quoteIdent(c)}`).join(', ');
  const lines = `SELECT line, CAST(file_index AS INTEGER) AS _bb_file, row_number() OVER () AS _bb_row FROM read_csv(${sqlList(absFiles)}, columns = {'line': 'VARCHAR'}, header = false, delim = E'\\x1e', quote = '', escape = '', auto_detect = false, strict_mode = false)`;
  return {
    lineOffset: 0,
    sql: `SELECT ${fields}, _bb_file, _bb_row, CASE WHEN NOT _ok THEN 'not valid JSON: ' || left(line, 120) END AS _bb_error FROM (SELECT *, coalesce(json_valid(line), FALSE) AND starts_with(ltrim(line), '{') AS _ok FROM (${lines}) WHERE line IS NOT NULL AND trim(line) <> '')`,
    files: shownFiles,
  };
}
