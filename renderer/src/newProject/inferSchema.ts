import { parquetMetadata, parquetMetadataAsync, parquetSchema, type FileMetaData } from 'hyparquet';
import { JsonSourceError, splitCsvLine, type DataType } from '@batchbook/pipeline-core';

/**
 * A first guess at a dropped file's schema: the columns and, from the first rows, the narrowest
 * type every value fits. The user confirms (or changes) it before it is pinned in the spec;
 * rows that later do not fit become rejects with a reason, never a failed load.
 */
export type SourceFormat = 'csv' | 'json' | 'ndjson' | 'parquet';

export interface InferredColumn {
  readonly name: string;
  readonly type: DataType;
  readonly examples: readonly string[];
}

export interface Inferred {
  readonly format: SourceFormat;
  readonly columns: readonly InferredColumn[];
  readonly delimiter?: string;
  readonly rowsSeen: number;
}

export class InferError extends Error {}

const SAMPLE_ROWS = 1000;
/** Text files are inferred from their first bytes only: a 100 MB drop must not be decoded on the page. */
export const PREFIX_BYTES = 512 * 1024;

export function formatOf(fileName: string): SourceFormat | undefined {
  const ext = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  if (ext === 'csv' || ext === 'tsv' || ext === 'txt') return 'csv';
  if (ext === 'json') return 'json';
  if (ext === 'ndjson' || ext === 'jsonl') return 'ndjson';
  if (ext === 'parquet' || ext === 'pq') return 'parquet';
  return undefined;
}

const INT = /^[+-]?\d{1,18}$/;
const NUM = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TS = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?$/;
const BOOL = /^(true|false)$/i;

/** A zero before another digit ("00501", "007.5"): an identifier or a code, whose zeros a number would lose. */
const LEADING_ZERO = /^[+-]?0\d/;

/**
 * The narrowest type all non-empty values fit. Timestamps with an offset stay text for a
 * parse_date step; numbers written with leading zeros (zip codes, account ids) stay text.
 */
export function typeOf(values: readonly string[]): DataType {
  const present = values.filter((v) => v.trim() !== '');
  if (present.length === 0) return 'string';
  const all = (re: RegExp) => present.every((v) => re.test(v.trim()));
  if (all(BOOL)) return 'boolean';
  if (all(NUM) && present.some((v) => LEADING_ZERO.test(v.trim()))) return 'string';
  if (all(INT)) return 'integer';
  if (all(NUM)) return 'double';
  if (all(DATE)) return 'date';
  if (all(TS) && present.every((v) => !/(Z|[+-]\d{2}:?\d{2})$/.test(v.trim()))) return 'timestamp';
  return 'string';
}

function detectDelimiter(header: string): string {
  const counts = [',', ';', '\t', '|'].map((d) => [d, header.split(d).length] as const);
  return counts.sort((a, b) => b[1] - a[1])[0]![0];
}

function columnsFrom(names: readonly string[], rows: readonly (readonly string[])[]): InferredColumn[] {
  return names.map((name, i) => {
    const values = rows.map((r) => r[i] ?? '');
    return { name, type: typeOf(values), examples: [...new Set(values.filter((v) => v !== ''))].slice(0, 3) };
  });
}

/** Splits CSV text into records, honouring quoted newlines, stopping after `max` records. */
function csvRecords(text: string, delimiter: string, max: number): string[][] {
  const out: string[][] = [];
  let record: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < text.length && out.length < max; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      record.push(cur);
      cur = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      record.push(cur);
      if (record.length > 1 || record[0] !== '') out.push(record);
      record = [];
      cur = '';
    } else cur += ch;
  }
  if ((cur !== '' || record.length) && out.length < max) out.push([...record, cur]);
  return out;
}

function fromCsv(text: string): Inferred {
  const body = text.replace(/^\uFEFF/, '');
  const header = body.split(/\r?\n/)[0] ?? '';
  if (header.trim() === '') throw new InferError('the file is empty: a CSV needs a header line with the column names');
  if (/[\u0000-\u0008\u000e-\u001f\ufffd]/.test(header)) throw new InferError('its first line is not readable text: is it really a CSV file (not compressed or binary)?');
  const delimiter = detectDelimiter(header);
  const names = splitCsvLine(header, delimiter, '"');
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new InferError(`the header names the column '${dup}' twice`);
  if (names.some((n) => n === '')) throw new InferError('the header has an empty column name');
  const rows = csvRecords(body, delimiter, SAMPLE_ROWS + 1).slice(1);
  return { format: 'csv', columns: columnsFrom(names, rows), delimiter, rowsSeen: rows.length };
}

function jsonText(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function fromObjects(format: 'json' | 'ndjson', objects: readonly Record<string, unknown>[]): Inferred {
  const names: string[] = [];
  for (const o of objects) for (const k of Object.keys(o)) if (!names.includes(k)) names.push(k);
  if (names.length === 0) throw new InferError('no objects with fields found in the file');
  return { format, columns: columnsFrom(names, objects.map((o) => names.map((n) => jsonText(o[n])))), rowsSeen: objects.length };
}

function fromNdjson(text: string): Inferred {
  const objects: Record<string, unknown>[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (objects.length >= SAMPLE_ROWS) break;
    if (line.trim() === '') continue;
    try {
      const v: unknown = JSON.parse(line);
      if (v && typeof v === 'object' && !Array.isArray(v)) objects.push(v as Record<string, unknown>);
    } catch {
      // bad lines become rejects later; the schema comes from the good ones
    }
  }
  return fromObjects('ndjson', objects);
}

/** The first complete elements of a JSON array cut short: closed after one of its last few '}'. */
function parseArrayPrefix(text: string): unknown {
  let end = text.length;
  for (let tries = 0; tries < 64; tries++) {
    end = text.lastIndexOf('}', end - 1);
    if (end < 0) break;
    try {
      return JSON.parse(`${text.slice(0, end + 1)}]`);
    } catch {
      // that '}' closed a nested object: try the one before
    }
  }
  return JSON.parse(text);
}

function fromJson(text: string, truncated: boolean): Inferred {
  let v: unknown;
  try {
    v = truncated && /^\s*\[/.test(text) ? parseArrayPrefix(text) : JSON.parse(text);
  } catch (e) {
    // one object per line is NDJSON, whatever the file is called
    if (/^\s*\{/.test(text)) return fromNdjson(text);
    throw new JsonSourceError(`not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!Array.isArray(v)) throw new InferError('expected a JSON array of objects');
  return fromObjects('json', v.slice(0, SAMPLE_ROWS).filter((o): o is Record<string, unknown> => !!o && typeof o === 'object' && !Array.isArray(o)));
}

function parquetType(el: { type?: string; converted_type?: string; logical_type?: { type: string }; precision?: number; scale?: number }): DataType {
  const lt = el.logical_type?.type ?? el.converted_type;
  if (lt === 'DECIMAL') return `decimal(${Math.min(38, el.precision ?? 18)},${el.scale ?? 0})`;
  if (lt === 'DATE') return 'date';
  if (lt === 'TIMESTAMP' || lt === 'TIMESTAMP_MICROS' || lt === 'TIMESTAMP_MILLIS' || el.type === 'INT96') return 'timestamp';
  if (lt === 'STRING' || lt === 'UTF8' || el.type === 'BYTE_ARRAY') return 'string';
  if (el.type === 'BOOLEAN') return 'boolean';
  if (el.type === 'INT32' || el.type === 'INT64') return 'integer';
  if (el.type === 'FLOAT' || el.type === 'DOUBLE') return 'double';
  return 'string';
}

function parquetError(e: unknown): InferError {
  return new InferError(`not a readable Parquet file (${e instanceof Error ? e.message : String(e)})`);
}

function fromParquet(bytes: Uint8Array): Inferred {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let meta;
  try {
    meta = parquetMetadata(buffer);
  } catch (e) {
    throw parquetError(e);
  }
  return fromParquetMetadata(meta);
}

function fromParquetMetadata(meta: FileMetaData): Inferred {
  const columns = parquetSchema(meta).children.map((c) => ({ name: c.element.name, type: parquetType(c.element), examples: [] }));
  return { format: 'parquet', columns, rowsSeen: Number(meta.num_rows) };
}

function knownFormat(fileName: string): SourceFormat {
  const format = formatOf(fileName);
  if (!format) throw new InferError(`'${fileName}' is not a CSV, JSON, NDJSON or Parquet file (by its extension)`);
  return format;
}

/** From a text file's first bytes; `truncated` when the file goes on (its cut last line is left out). */
function fromPrefix(format: Exclude<SourceFormat, 'parquet'>, prefix: Uint8Array, truncated: boolean): Inferred {
  let text = new TextDecoder('utf-8').decode(prefix);
  if (truncated && format !== 'json') text = text.slice(0, text.lastIndexOf('\n') + 1) || text;
  return format === 'csv' ? fromCsv(text) : format === 'json' ? fromJson(text, truncated) : fromNdjson(text);
}

/** The schema of a file held in memory (its first PREFIX_BYTES for text; the footer for Parquet). */
export function inferSchema(fileName: string, bytes: Uint8Array): Inferred {
  const format = knownFormat(fileName);
  if (format === 'parquet') return fromParquet(bytes);
  return fromPrefix(format, bytes.subarray(0, PREFIX_BYTES), bytes.length > PREFIX_BYTES);
}

/** The schema of a dropped file, reading only its first bytes (text) or its footer (Parquet): any size opens at once. */
export async function inferFileSchema(file: Blob, fileName: string): Promise<Inferred> {
  const format = knownFormat(fileName);
  if (format === 'parquet') {
    try {
      return fromParquetMetadata(await parquetMetadataAsync({ byteLength: file.size, slice: (a, b) => file.slice(a, b).arrayBuffer() }));
    } catch (e) {
      throw parquetError(e);
    }
  }
  return fromPrefix(format, new Uint8Array(await file.slice(0, PREFIX_BYTES).arrayBuffer()), file.size > PREFIX_BYTES);
}
