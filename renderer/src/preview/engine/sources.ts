import { makeData, makeVector, Table, Utf8, type Vector } from 'apache-arrow';
import {
  checkCsvHeaders,
  csvSourceRelation,
  emptyColumns,
  quoteIdent,
  readJsonArray,
  readNdjson,
  type Source,
  type SourceColumns,
  type SourceRelation,
} from '@batchbook/pipeline-core';
import { readParquetText } from './parquetText';

/** What a loaded source needs from the database it lives in. */
export interface SourceDatabase {
  registerFile(name: string, bytes: Uint8Array): void;
  dropFile(name: string): void;
  insertTable(name: string, table: Table): void;
  exec(sql: string): Promise<void>;
}

export interface SourceFile {
  /** Path inside the project's inbox, e.g. pos/orders_2026-11-24.csv. */
  readonly path: string;
  readonly bytes: Uint8Array;
}

export interface LoadedSource {
  readonly name: string;
  /** About how many rows (for the sampling rate). */
  readonly rows: number;
  /** The relation the ingest stage reads; `numbered` when rows are filtered afterwards (a sample). */
  relation(numbered: boolean): SourceRelation;
  drop(): Promise<void>;
}

const decoderFor = (encoding: string | undefined) => new TextDecoder(encoding === 'latin-1' ? 'latin1' : encoding === 'utf-16' ? 'utf-16le' : 'utf-8');

function firstLine(bytes: Uint8Array, encoding: string | undefined): string {
  const text = decoderFor(encoding).decode(bytes.subarray(0, 64 * 1024));
  return text.split(/\r?\n/)[0] ?? '';
}

function countLines(bytes: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 10) n++;
  return bytes.length > 0 && bytes[bytes.length - 1] !== 10 ? n + 1 : n;
}

/** CSV files stay files: DuckDB's own reader reads them, with the runner's options. */
function loadCsv(db: SourceDatabase, name: string, source: Source, files: readonly SourceFile[]): LoadedSource {
  const registered = files.map((f) => `data/${f.path}`);
  files.forEach((f, i) => db.registerFile(registered[i]!, f.bytes));
  const header = source.options?.header ?? true;
  const columns = header
    ? checkCsvHeaders(name, source, files.map((f) => firstLine(f.bytes, source.options?.encoding)), files.map((f) => f.path))
    : source.schema.map((c) => c.name);
  const rows = files.reduce((n, f) => n + countLines(f.bytes) - (header ? 1 : 0) - (source.options?.skip_rows ?? 0), 0);
  return {
    name,
    rows,
    relation: (numbered) => csvSourceRelation(name, source, registered, files.map((f) => f.path), columns, numbered ? 'column' : 'insertion'),
    drop: async () => registered.forEach((r) => db.dropFile(r)),
  };
}

const encoder = new TextEncoder();

/**
 * A text column built straight from its bytes, offsets and validity bits. Arrow's own builders
 * compile code with `new Function`, which the desktop app's content security policy forbids
 * (and building from bytes is several times faster).
 */
export function utf8Vector(values: readonly (string | null)[]): Vector<Utf8> {
  const n = values.length;
  const offsets = new Int32Array(n + 1);
  const validity = new Uint8Array(Math.ceil(n / 8));
  let bytes = new Uint8Array(Math.max(64, n * 16));
  let at = 0;
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined) nulls++;
    else {
      validity[i >> 3]! |= 1 << (i & 7);
      // a UTF-16 code unit takes at most 3 bytes in UTF-8
      if (at + v.length * 3 > bytes.length) {
        const grown = new Uint8Array(Math.max(bytes.length * 2, at + v.length * 3));
        grown.set(bytes.subarray(0, at));
        bytes = grown;
      }
      at += encoder.encodeInto(v, bytes.subarray(at)).written;
    }
    offsets[i + 1] = at;
  }
  return makeVector(makeData({ type: new Utf8(), length: n, nullCount: nulls, valueOffsets: offsets, data: bytes.subarray(0, at), nullBitmap: nulls ? validity : new Uint8Array(0) }));
}

function arrowTable(pinned: readonly string[], c: SourceColumns): Table {
  const vectors: Record<string, Vector> = {};
  pinned.forEach((name, k) => (vectors[name] = utf8Vector(c.columns[k]!)));
  vectors['_bb_file'] = makeVector(Int32Array.from(c.file));
  vectors['_bb_row'] = makeVector(BigInt64Array.from(c.row, (r) => BigInt(r)));
  vectors['_bb_error'] = utf8Vector(c.error);
  return new Table(vectors);
}

/** JSON, NDJSON and Parquet are decoded in JavaScript into a table of text columns. */
async function loadAsTable(db: SourceDatabase, name: string, source: Source, files: readonly SourceFile[]): Promise<LoadedSource> {
  const pinned = source.schema.map((c) => c.name);
  const out = emptyColumns(pinned.length);
  let row = 1;
  for (const [i, f] of files.entries()) {
    if (source.format === 'parquet') {
      const cols = await readParquetText(f.bytes, pinned, f.path, name);
      const n = cols[0]?.length ?? 0;
      cols.forEach((values, k) => out.columns[k]!.push(...values));
      for (let r = 0; r < n; r++) {
        out.file.push(i);
        out.row.push(row++);
        out.error.push(null);
      }
    } else {
      const text = new TextDecoder('utf-8').decode(f.bytes);
      row = source.format === 'ndjson' ? readNdjson(out, pinned, text, i, row) : readJsonArray(out, pinned, text, i, row, f.path);
    }
  }
  const table = `__src_${name}`;
  await db.exec(`DROP TABLE IF EXISTS ${quoteIdent(table)}`);
  if (out.row.length === 0) {
    await db.exec(`CREATE TABLE ${quoteIdent(table)} (${[...pinned.map((c) => `${quoteIdent(c)} VARCHAR`), '_bb_file INTEGER', '_bb_row BIGINT', '_bb_error VARCHAR'].join(', ')})`);
  } else db.insertTable(table, arrowTable(pinned, out));
  const sql = `SELECT ${pinned.map(quoteIdent).join(', ')}, _bb_file, _bb_row, _bb_error FROM ${quoteIdent(table)}`;
  return {
    name,
    rows: out.row.length,
    // NDJSON records are lines (row n is line n), so rejects can name their line as natively
    relation: () => ({ sql, files: files.map((f) => f.path), ...(source.format === 'ndjson' ? { lineOffset: 0 } : {}) }),
    drop: () => db.exec(`DROP TABLE IF EXISTS ${quoteIdent(table)}`),
  };
}

export function loadSource(db: SourceDatabase, name: string, source: Source, files: readonly SourceFile[]): Promise<LoadedSource> {
  return source.format === 'csv' ? Promise.resolve(loadCsv(db, name, source, files)) : loadAsTable(db, name, source, files);
}
