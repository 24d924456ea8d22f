import { open } from 'node:fs/promises';
import type { Source } from '../../core/spec/schema.js';
import type { SourceRelation } from '../../core/stages/stageModule.js';
import { quoteIdent } from '../../core/compile/sql.js';
import { checkCsvHeaders, csvSourceRelation, CsvSourceError } from '../../core/preview/csvRelation.js';
import { jsonRelation, ndjsonRelation, parquetRelation } from '../../core/export/readerRelations.js';

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
      return ndjsonRelation(absFiles, shownFiles, pinned);
    case 'json':
      return jsonRelation(absFiles, shownFiles, pinned);
    case 'parquet':
      return parquetRelation(absFiles, shownFiles, pinned);
  }
}

async function csvRelation(name: string, source: Source, absFiles: readonly string[], shownFiles: readonly string[], pinned: readonly string[], checkHeaders: boolean): Promise<SourceRelation> {
  const o = source.options ?? {};
  let columns: readonly string[] = pinned;
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
