import { parquetMetadataAsync, parquetScan, parquetSchema, type AsyncBuffer, type SchemaElement } from 'hyparquet';
import { splitAtGroups, spreadRanges } from '@batchbook/pipeline-core';
import { compressors } from 'hyparquet-compressors';
import { decimalText, timestampText } from './arrowRows';

/** Windows a sample is read in, spread over the file: at most this many, at least MIN_WINDOWS. */
const WINDOWS = 8;
const MIN_WINDOWS = 3;

/**
 * A window costs about a whole row group (its pages are decoded from the group's start), so large
 * groups get fewer windows: decoding stays within a few times the budget, and a sample still
 * comes from the file's start, middle and end.
 */
function windowCount(budget: number, rows: number, groups: number): number {
  const groupRows = rows / Math.max(1, groups);
  return Math.max(MIN_WINDOWS, Math.min(WINDOWS, Math.floor((4 * budget) / groupRows)));
}

/**
 * Parquet values as the text DuckDB gives them with CAST(... AS VARCHAR), which is how the
 * native runner reads a Parquet source (DuckDB-WASM has no parquet extension offline, so the
 * preview decodes files with hyparquet and writes the text itself).
 */
function dateText(days: number): string {
  return timestampText(BigInt(days) * 86_400_000_000n).slice(0, -9);
}

const PARSERS = {
  timestampFromMilliseconds: (ms: bigint) => timestampText(BigInt(ms) * 1000n),
  timestampFromMicroseconds: (us: bigint) => timestampText(BigInt(us)),
  timestampFromNanoseconds: (ns: bigint) => {
    const whole = timestampText((BigInt(ns) / 1000n) * 1000n).replace(/\.\d+$/, '');
    const frac = ((BigInt(ns) % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n;
    return frac === 0n ? whole : `${whole}.${String(frac).padStart(9, '0').replace(/0+$/, '')}`;
  },
  dateFromDays: (days: number) => dateText(days),
};

/** DuckDB prints a REAL with the fewest digits that read back as the same 32-bit float. */
function floatText(v: number): string {
  for (let p = 1; p <= 9; p++) {
    const s = v.toPrecision(p);
    if (Math.fround(Number(s)) === v) return doubleText(Number(s));
  }
  return doubleText(v);
}

function doubleText(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  const s = String(v);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

function blobText(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b >= 0x20 && b < 0x7f && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).toUpperCase().padStart(2, '0')}`;
  return out;
}

function textOf(element: SchemaElement): (v: unknown) => string | null {
  const lt = element.logical_type;
  const isDecimal = element.converted_type === 'DECIMAL' || lt?.type === 'DECIMAL';
  const tz = lt?.type === 'TIMESTAMP' && lt.isAdjustedToUTC ? '+00' : '';
  const float32 = element.type === 'FLOAT';
  return (v) => {
    if (v === null || v === undefined) return null;
    if (isDecimal && typeof v === 'number') return decimalText(BigInt(Math.round(v * 10 ** (element.scale ?? 0))), element.scale ?? 0);
    if (typeof v === 'string') return tz && /^\d{4}-\d\d-\d\d \d/.test(v) ? v + tz : v;
    if (typeof v === 'bigint') return v.toString();
    if (typeof v === 'boolean') return String(v);
    if (typeof v === 'number') return Number.isInteger(v) && !float32 && element.type !== 'DOUBLE' ? String(v) : float32 ? floatText(v) : doubleText(v);
    if (v instanceof Date) return timestampText(BigInt(v.getTime()) * 1000n);
    if (v instanceof Uint8Array) return blobText(v);
    return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
  };
}

export class ParquetSourceError extends Error {}

/** A Blob as hyparquet's AsyncBuffer: only the byte ranges it asks for are read. */
function asyncBuffer(blob: Blob): AsyncBuffer {
  return { byteLength: blob.size, slice: (start, end) => blob.slice(start, end).arrayBuffer() };
}

export interface ParquetPiece {
  /** 0-based position of the piece's first row in the file. */
  readonly rowStart: number;
  readonly rows: number;
  /** The pinned columns as text, in pinned order. */
  readonly columns: readonly (string | null)[][];
}

export interface OpenedParquet {
  /** Rows in the file (from its footer). */
  readonly rows: number;
  /**
   * The rows to load, a piece at a time: with a budget, about that many rows in windows spread
   * over the file (read by row ranges: only their pages are fetched and decoded); without one,
   * every row group in turn.
   */
  pieces(budget?: number): AsyncGenerator<ParquetPiece>;
}

/** Opens a Parquet file by its footer, checking the pinned columns are there; nothing else is read yet. */
export async function openParquet(blob: Blob, pinned: readonly string[], shown: string, source: string): Promise<OpenedParquet> {
  const file = asyncBuffer(blob);
  let metadata;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (e) {
    throw new ParquetSourceError(`source '${source}': ${shown} is not a readable Parquet file (${e instanceof Error ? e.message : String(e)})`);
  }
  const elements = new Map(parquetSchema(metadata).children.map((c) => [c.element.name, c.element]));
  const missing = pinned.filter((c) => !elements.has(c));
  if (missing.length) throw new ParquetSourceError(`source '${source}': ${shown} has no column ${missing.map((m) => `'${m}'`).join(', ')} (its columns: ${[...elements.keys()].join(', ')})`);
  const texts = pinned.map((c) => textOf(elements.get(c)!));
  const scan = await parquetScan({ file, metadata, columns: [...pinned], compressors, parsers: PARSERS });
  const groups = scan.ranges.map((r) => ({ start: r.rowStart, end: r.rowEnd }));
  const rows = Number(metadata.num_rows);
  return {
    rows,
    async *pieces(budget) {
      const windows = budget === undefined ? groups : splitAtGroups(spreadRanges(rows, budget, windowCount(budget, rows, groups.length)), groups);
      for (const w of windows) {
        const columns: (string | null)[][] = [];
        for (const [k, column] of pinned.entries()) {
          const data = await scan.readColumn({ column, rowStart: w.start, rowEnd: w.end });
          const text = texts[k]!;
          const out = new Array<string | null>(data.length);
          for (let i = 0; i < data.length; i++) out[i] = text(data[i]);
          columns.push(out);
        }
        yield { rowStart: w.start, rows: w.end - w.start, columns };
      }
    },
  };
}
