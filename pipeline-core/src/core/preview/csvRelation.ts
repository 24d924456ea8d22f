import type { Source } from '../spec/schema.js';
import type { SourceRelation } from '../stages/stageModule.js';
import { quoteIdent, quoteString } from '../compile/sql.js';

/**
 * How a CSV source is read by DuckDB, whichever adapter opens the files: every column as text,
 * the reader's own rejects kept with their line number. The browser preview uses this on files
 * registered with DuckDB-WASM; it mirrors the native runner's reader option for option
 * (pipeline-core/src/node/runner/sourceRelation.ts, which a test compares it with).
 */
export class CsvSourceError extends Error {}

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

/** The header names of each file (their first lines), checked: every pinned column present (or read by position), all files alike. */
export function checkCsvHeaders(name: string, source: Source, firstLines: readonly string[], shownFiles: readonly string[]): string[] {
  const o = source.options ?? {};
  const byName = source.schema.filter((c) => c.position === undefined).map((c) => c.name);
  const widest = Math.max(0, ...source.schema.map((c) => c.position ?? 0));
  const headers = firstLines.map((l) => splitCsvLine(l.replace(/^\uFEFF/, ''), o.delimiter ?? ',', o.quote ?? '"'));
  const columns = headers[0] ?? byName;
  headers.forEach((h, i) => {
    const missing = source.on_missing === 'null' ? [] : byName.filter((c) => !h.includes(c));
    if (missing.length) throw new CsvSourceError(`source '${name}': ${shownFiles[i]} has no column ${missing.map((m) => `'${m}'`).join(', ')} (its header: ${h.join(', ')})`);
    if (h.length < widest) throw new CsvSourceError(`source '${name}': ${shownFiles[i]} has ${h.length} columns, but a column is declared at position ${widest}`);
    if (h.join('\u0000') !== columns.join('\u0000')) throw new CsvSourceError(`source '${name}': ${shownFiles[i]} has a different header from ${shownFiles[0]}; files of one source must share their columns`);
  });
  return columns;
}

/**
 * A stand-in header when the files are not read (the plan printout): the pinned names, each
 * positioned column at its position, the others in declared order around them.
 */
export function declaredHeader(source: Source): string[] {
  const width = Math.max(source.schema.length, ...source.schema.map((c) => c.position ?? 0));
  const header: string[] = Array.from({ length: width }, () => '');
  for (const c of source.schema) if (c.position !== undefined) header[c.position - 1] = c.name;
  const rest = source.schema.filter((c) => c.position === undefined);
  for (let i = 0; i < width && rest.length; i++) if (header[i] === '') header[i] = rest.shift()!.name;
  return header;
}

/**
 * The names the reader gives the file's columns: the header's, except that an empty or repeated
 * name (a trailing comma, two 'amount' columns) would make DuckDB's column list invalid, so it
 * becomes column<N> (N its position). Such columns are reached by `position:` in the spec.
 */
export function readerColumnNames(header: readonly string[]): string[] {
  const seen = new Set<string>();
  return header.map((h, i) => {
    let n = h === '' || seen.has(h.toLowerCase()) ? `column${i + 1}` : h;
    while (seen.has(n.toLowerCase())) n += '_';
    seen.add(n.toLowerCase());
    return n;
  });
}

/**
 * Where each pinned column comes from: the reader's column at its declared position, else the one
 * of its name, else nothing (NULL, when the source allows missing columns). Without a header the
 * file's columns are the pinned ones in declared order, unless a position says otherwise.
 */
function columnSources(source: Source, header: readonly string[], hasHeader: boolean): { read: string[]; from: (string | undefined)[] } {
  if (!hasHeader) {
    const width = Math.max(source.schema.length, ...source.schema.map((c) => c.position ?? 0));
    const read = Array.from({ length: width }, (_, i) => `column${i + 1}`);
    source.schema.forEach((c, i) => {
      if (c.position === undefined && !source.schema.some((d) => d.position === i + 1)) read[i] = c.name;
    });
    const from = source.schema.map((c, i) => (c.position !== undefined ? read[c.position - 1] : read[i] === c.name ? c.name : undefined));
    return { read, from };
  }
  const read = readerColumnNames(header);
  const from = source.schema.map((c) => (c.position !== undefined ? read[c.position - 1] : header.includes(c.name) ? read[header.indexOf(c.name)] : undefined));
  return { read, from };
}

const sqlList = (files: readonly string[]) => `[${files.map(quoteString).join(', ')}]`;

/**
 * `files` are the names the engine opens; `columns` the header's names in file order (the pinned
 * names when the file has no header). rowNumbers 'column' numbers rows in the relation itself
 * (needed when rows are filtered afterwards, as a sample is); 'insertion' leaves it to the
 * ingest stage, as the native runner does.
 */
export function csvSourceRelation(
  name: string,
  source: Source,
  files: readonly string[],
  shownFiles: readonly string[],
  columns: readonly string[],
  rowNumbers: 'column' | 'insertion' = 'insertion',
): SourceRelation {
  const o = source.options ?? {};
  const quote = o.quote ?? '"';
  const { read, from } = columnSources(source, columns, o.header ?? true);
  const select = source.schema.map((c, i) => {
    const f = from[i];
    if (f === undefined) return `CAST(NULL AS VARCHAR) AS ${quoteIdent(c.name)}`;
    return f === c.name ? quoteIdent(c.name) : `${quoteIdent(f)} AS ${quoteIdent(c.name)}`;
  });
  const rejectsTable = `${name}__reader_errors`;
  const scansTable = `${name}__reader_scans`;
  const opts = [
    `header = ${o.header ?? true}`,
    `delim = ${quoteString(o.delimiter ?? ',')}`,
    `quote = ${quoteString(quote)}`,
    `escape = ${quoteString(o.escape ?? quote)}`,
    `encoding = ${quoteString(o.encoding ?? 'utf-8')}`,
    `auto_detect = false`,
    `columns = {${read.map((c) => `${quoteString(c)}: 'VARCHAR'`).join(', ')}}`,
    `store_rejects = true`,
    `rejects_table = ${quoteString(rejectsTable)}`,
    `rejects_scan = ${quoteString(scansTable)}`,
    `strict_mode = true`,
    `null_padding = false`,
    ...(o.skip_rows ? [`skip = ${o.skip_rows}`] : []),
    ...(o.null_values ? [`nullstr = [${o.null_values.map(quoteString).join(', ')}]`] : []),
    ...(source.max_line_bytes ? [`max_line_size = ${source.max_line_bytes}`] : []),
  ];
  const fileIndex = files.map((f, i) => `(${quoteString(f)}, ${i})`).join(', ');
  const row = rowNumbers === 'column' ? ', row_number() OVER () AS _bb_row' : '';
  return {
    setup: [`DROP TABLE IF EXISTS ${quoteIdent(rejectsTable)}`, `DROP TABLE IF EXISTS ${quoteIdent(scansTable)}`],
    rowNumbers,
    lineOffset: (o.header ?? true ? 1 : 0) + (o.skip_rows ?? 0),
    sql: `SELECT ${select.join(', ')}, CAST(file_index AS INTEGER) AS _bb_file${row}, CAST(NULL AS VARCHAR) AS _bb_error FROM read_csv(${sqlList(files)}, ${opts.join(', ')})`,
    readerErrors: `SELECT CAST(f.idx AS INTEGER) AS _bb_file, CAST(e.line AS BIGINT) AS _bb_line, 'line ' || e.line || ': ' || e.error_message AS _bb_reason, e.csv_line AS _bb_raw FROM ${quoteIdent(rejectsTable)} e JOIN ${quoteIdent(scansTable)} s ON s.scan_id = e.scan_id AND s.file_id = e.file_id JOIN (VALUES ${fileIndex}) f(path, idx) ON f.path = s.file_path QUALIFY row_number() OVER (PARTITION BY f.idx, e.line ORDER BY e.column_idx) = 1`,
    files: shownFiles,
  };
}
