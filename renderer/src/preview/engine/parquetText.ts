import { parquetMetadata, parquetReadObjects, parquetSchema, type SchemaElement } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { decimalText, timestampText } from './arrowRows';

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

/** The pinned columns of a Parquet file as text, in file order. */
export async function readParquetText(bytes: Uint8Array, pinned: readonly string[], shown: string, source: string): Promise<(string | null)[][]> {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let metadata;
  try {
    metadata = parquetMetadata(buffer);
  } catch (e) {
    throw new ParquetSourceError(`source '${source}': ${shown} is not a readable Parquet file (${e instanceof Error ? e.message : String(e)})`);
  }
  const elements = new Map(parquetSchema(metadata).children.map((c) => [c.element.name, c.element]));
  const missing = pinned.filter((c) => !elements.has(c));
  if (missing.length) throw new ParquetSourceError(`source '${source}': ${shown} has no column ${missing.map((m) => `'${m}'`).join(', ')} (its columns: ${[...elements.keys()].join(', ')})`);
  const rows = (await parquetReadObjects({ file: buffer, metadata, columns: [...pinned], compressors, parsers: PARSERS })) as Record<string, unknown>[];
  return pinned.map((c) => {
    const text = textOf(elements.get(c)!);
    return rows.map((r) => text(r[c]));
  });
}
