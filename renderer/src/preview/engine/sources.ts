import type { Table } from 'apache-arrow';
import { checkCsvHeaders, countLines, csvSourceRelation, emptyColumns, quoteIdent, readJsonArray, readNdjson, type Source, type SourceRelation } from '@batchbook/pipeline-core';
import { countFileLines, lineSlices, readBytes, sampleLines, WHOLE_FILE_BYTES } from './blobReads';
import { loadParquet, type ParquetModule, type ParquetTarget } from './parquetSource';
import { textTable, type TextBatch } from './textTable';

/** What a loaded source needs from the database it lives in. */
export interface SourceDatabase extends ParquetTarget {
  /** The Parquet reader, loaded on first use (its WebAssembly is compiled once). */
  parquet(): Promise<ParquetModule>;
  registerFile(name: string, bytes: Uint8Array): void;
  /** A file DuckDB reads in slices as it needs them (no copy into the database). */
  registerBlob(name: string, blob: Blob): void;
  dropFile(name: string): void;
  /** Appends the rows of `table` to the existing table `name` (same columns, same order). */
  appendTable(name: string, table: Table): void;
  exec(sql: string): Promise<void>;
}

export interface SourceFile {
  /** Path inside the project's inbox, e.g. pos/orders_2026-11-24.csv. */
  readonly path: string;
  readonly blob: Blob;
}

export interface LoadedSource {
  readonly name: string;
  /** How many rows the source has (for the sampling rate); an estimate when `estimated`. */
  readonly rows: number;
  readonly estimated: boolean;
  /** The share of those rows that was loaded (1 = all; less when a large file was sampled before decoding). */
  readonly share: number;
  /** The relation the ingest stage reads; `numbered` when rows are filtered afterwards (a sample). */
  relation(numbered: boolean): SourceRelation;
  drop(): Promise<void>;
}

const decoderFor = (encoding: string | undefined) => new TextDecoder(encoding === 'latin-1' ? 'latin1' : encoding === 'utf-16' ? 'utf-16le' : 'utf-8');

async function firstLine(blob: Blob, encoding: string | undefined): Promise<string> {
  const text = decoderFor(encoding).decode(await readBytes(blob, 0, Math.min(blob.size, 64 * 1024)));
  return text.split(/\r?\n/)[0] ?? '';
}

interface Counted {
  rows: number;
  read: number;
  estimated: boolean;
}

/** Registers one CSV file with DuckDB: whole, as a lazily read file (full mode), or as a sample of its lines. */
async function registerCsv(db: SourceDatabase, name: string, file: SourceFile, source: Source, budget: number | undefined, count: Counted): Promise<void> {
  const o = source.options ?? {};
  const extra = (o.header ?? true ? 1 : 0) + (o.skip_rows ?? 0);
  // UTF-16 has no single-byte line breaks to cut windows at: such a file is read whole
  if (budget === undefined || o.encoding === 'utf-16') {
    if (file.blob.size <= WHOLE_FILE_BYTES || o.encoding === 'utf-16') {
      const bytes = await readBytes(file.blob);
      db.registerFile(name, bytes);
      count.rows += countLines(bytes) - extra;
    } else {
      db.registerBlob(name, file.blob);
      count.rows += (await countFileLines(file.blob)) - extra;
    }
    count.read = count.rows;
    return;
  }
  const s = await sampleLines(file.blob, budget);
  db.registerFile(name, s.bytes);
  count.rows += s.lines - extra;
  count.read += s.linesRead - extra;
  count.estimated ||= !s.whole;
}

/** CSV files stay files: DuckDB's own reader reads them (or a sample of their lines), with the runner's options. */
async function loadCsv(db: SourceDatabase, name: string, source: Source, files: readonly SourceFile[], budget: number | undefined): Promise<LoadedSource> {
  const registered = files.map((f) => `data/${f.path}`);
  const header = source.options?.header ?? true;
  const firstLines = header ? await Promise.all(files.map((f) => firstLine(f.blob, source.options?.encoding))) : [];
  const columns = header ? checkCsvHeaders(name, source, firstLines, files.map((f) => f.path)) : source.schema.map((c) => c.name);
  const count: Counted = { rows: 0, read: 0, estimated: false };
  for (const [i, f] of files.entries()) await registerCsv(db, registered[i]!, f, source, budget === undefined ? undefined : budget / files.length, count);
  return {
    name,
    rows: count.rows,
    estimated: count.estimated,
    share: count.rows > 0 ? Math.min(1, count.read / count.rows) : 1,
    relation: (numbered) => csvSourceRelation(name, source, registered, files.map((f) => f.path), columns, numbered ? 'column' : 'insertion'),
    drop: async () => registered.forEach((r) => db.dropFile(r)),
  };
}

function columnsBatch(out: ReturnType<typeof emptyColumns>): TextBatch {
  return { columns: out.columns, file: out.file, row: out.row, error: out.error };
}

/**
 * Loads one JSON or NDJSON file into the staging table, a batch at a time (never the
 * whole file as one array); returns the row number the next file starts at.
 */
async function appendFile(db: SourceDatabase, table: string, pinned: readonly string[], source: Source, f: SourceFile, i: number, row: number, budget: number | undefined, count: Counted): Promise<number> {
  const append = (b: TextBatch) => b.file.length > 0 && db.appendTable(table, textTable(pinned, b));
  const decoder = new TextDecoder('utf-8');
  if (source.format === 'json') {
    const out = emptyColumns(pinned.length);
    const next = readJsonArray(out, pinned, decoder.decode(await readBytes(f.blob)), i, row, f.path);
    append(columnsBatch(out));
    count.rows += out.row.length;
    count.read += out.row.length;
    return next;
  }
  if (budget !== undefined) {
    const s = await sampleLines(f.blob, budget);
    const out = emptyColumns(pinned.length);
    const next = readNdjson(out, pinned, decoder.decode(s.bytes), i, row);
    append(columnsBatch(out));
    count.read += out.row.length;
    count.rows += s.whole ? out.row.length : Math.round((out.row.length * s.lines) / Math.max(1, s.linesRead));
    count.estimated ||= !s.whole;
    return s.whole ? next : row + s.lines;
  }
  let next = row;
  for await (const slice of lineSlices(f.blob)) {
    const out = emptyColumns(pinned.length);
    next = readNdjson(out, pinned, decoder.decode(slice), i, next);
    append(columnsBatch(out));
    count.rows += out.row.length;
    count.read += out.row.length;
  }
  return next;
}

/** JSON and NDJSON are decoded in JavaScript into a table of text columns, batch by batch. */
async function loadAsTable(db: SourceDatabase, name: string, source: Source, files: readonly SourceFile[], budget: number | undefined): Promise<LoadedSource> {
  const pinned = source.schema.map((c) => c.name);
  const table = quoteIdent(`__src_${name}`);
  await db.exec(`DROP TABLE IF EXISTS ${table}`);
  await db.exec(`CREATE TABLE ${table} (${[...pinned.map((c) => `${quoteIdent(c)} VARCHAR`), '_bb_file INTEGER', '_bb_row BIGINT', '_bb_error VARCHAR'].join(', ')})`);
  const count: Counted = { rows: 0, read: 0, estimated: false };
  let row = 1;
  try {
    for (const [i, f] of files.entries()) row = await appendFile(db, `__src_${name}`, pinned, source, f, i, row, budget === undefined ? undefined : Math.ceil(budget / files.length), count);
  } catch (e) {
    await db.exec(`DROP TABLE IF EXISTS ${table}`);
    throw e;
  }
  const sql = `SELECT ${pinned.map(quoteIdent).join(', ')}, _bb_file, _bb_row, _bb_error FROM ${table}`;
  return {
    name,
    rows: count.rows,
    estimated: count.estimated,
    share: count.rows > 0 ? Math.min(1, count.read / count.rows) : 1,
    // NDJSON records are lines (row n is line n), so rejects can name their line as natively
    relation: () => ({ sql, files: files.map((f) => f.path), ...(source.format === 'ndjson' ? { lineOffset: 0 } : {}) }),
    drop: () => db.exec(`DROP TABLE IF EXISTS ${table}`),
  };
}

/**
 * Parquet files become a staging table in the files' own types (parquetSource.ts): the ingest
 * stage reads typed columns as they are and casts only the others, as the native runner does.
 */
async function loadParquetSource(db: SourceDatabase, name: string, source: Source, files: readonly SourceFile[], budget: number | undefined): Promise<LoadedSource> {
  const table = `__src_${name}`;
  await db.exec(`DROP TABLE IF EXISTS ${quoteIdent(table)}`);
  let loaded;
  try {
    loaded = await loadParquet(await db.parquet(), db, table, source, files, name, budget);
  } catch (e) {
    await db.exec(`DROP TABLE IF EXISTS ${quoteIdent(table)}`);
    throw e;
  }
  const sql = `SELECT ${source.schema.map((c) => quoteIdent(c.name)).join(', ')}, _bb_file, _bb_row, _bb_error FROM ${quoteIdent(table)}`;
  const { rows, read, typed } = loaded;
  return {
    name,
    rows,
    estimated: false,
    share: rows > 0 ? Math.min(1, read / rows) : 1,
    relation: () => ({ sql, files: files.map((f) => f.path), typed, errorFree: true, rowNumbers: 'file' }),
    drop: () => db.exec(`DROP TABLE IF EXISTS ${quoteIdent(table)}`),
  };
}

/**
 * Loads a source's files. With a `budget` (sample mode) a large file is sampled before it is
 * decoded: about that many rows, read as windows spread over the file (Parquet by row ranges,
 * CSV and NDJSON by byte ranges of whole lines); without one (full mode) every row is read, in
 * slices. A JSON array is parsed whole: it has no boundaries to cut at.
 */
export function loadSource(db: SourceDatabase, name: string, source: Source, files: readonly SourceFile[], budget?: number): Promise<LoadedSource> {
  if (source.format === 'csv') return loadCsv(db, name, source, files, budget);
  return source.format === 'parquet' ? loadParquetSource(db, name, source, files, budget) : loadAsTable(db, name, source, files, budget);
}
