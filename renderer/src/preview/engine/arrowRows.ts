import { DataType, type Table, type Vector } from 'apache-arrow';
import type { SqlRow, SqlValue } from '@batchbook/pipeline-core';

/**
 * Arrow results as the rows SqlEngine promises, in the same text forms the native adapter
 * gives (@duckdb/node-api's JSON rows): BIGINT and DECIMAL as exact strings, dates and
 * timestamps as DuckDB prints them, nested values as JSON. Values are read from the raw buffers,
 * so microseconds and 128-bit decimals survive.
 */
type Read = (v: Vector, i: number) => SqlValue;

const pad = (n: number | bigint, w = 2) => String(n).padStart(w, '0');

function dateText(days: number): string {
  const d = new Date(days * 86_400_000);
  const y = d.getUTCFullYear();
  const md = `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  return y > 0 ? `${pad(y, 4)}-${md}` : `${pad(1 - y, 4)}-${md} (BC)`;
}

/** DuckDB's TIMESTAMP text: seconds, then the fraction without trailing zeros. */
export function timestampText(micros: bigint): string {
  const days = micros >= 0n ? micros / 86_400_000_000n : -((-micros + 86_399_999_999n) / 86_400_000_000n);
  let rest = micros - days * 86_400_000_000n;
  const h = rest / 3_600_000_000n;
  rest -= h * 3_600_000_000n;
  const m = rest / 60_000_000n;
  rest -= m * 60_000_000n;
  const s = rest / 1_000_000n;
  const frac = rest - s * 1_000_000n;
  const fraction = frac === 0n ? '' : `.${pad(frac, 6).replace(/0+$/, '')}`;
  return `${dateText(Number(days))} ${pad(h)}:${pad(m)}:${pad(s)}${fraction}`;
}

export function decimalText(unscaled: bigint, scale: number): string {
  if (scale === 0) return unscaled.toString();
  const neg = unscaled < 0n;
  const digits = (neg ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  return `${neg ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

function raw(v: Vector): { values: ArrayLike<unknown>; stride: number } {
  const data = v.data[0]!;
  return { values: data.values as ArrayLike<unknown>, stride: data.stride };
}

function reader(type: DataType): Read {
  if (DataType.isDecimal(type)) {
    return (v, i) => {
      const { values, stride } = raw(v);
      const words = values as Uint32Array;
      let n = 0n;
      for (let k = stride - 1; k >= 0; k--) n = (n << 32n) | BigInt(words[i * stride + k]!);
      if (n >= 1n << BigInt(stride * 32 - 1)) n -= 1n << BigInt(stride * 32);
      return decimalText(n, type.scale);
    };
  }
  if (DataType.isTimestamp(type)) {
    const toMicros = [(x: bigint) => x * 1_000_000n, (x: bigint) => x * 1000n, (x: bigint) => x, (x: bigint) => x / 1000n][type.unit]!;
    return (v, i) => timestampText(toMicros(BigInt((raw(v).values as BigInt64Array)[i]!)));
  }
  if (DataType.isDate(type)) return (v, i) => dateText(Math.floor(Number(v.get(i)) / 86_400_000));
  if (DataType.isInt(type)) return type.bitWidth === 64 ? (v, i) => String(v.get(i)) : (v, i) => Number(v.get(i));
  if (DataType.isFloat(type) || DataType.isBool(type) || DataType.isUtf8(type) || DataType.isLargeUtf8(type)) return (v, i) => v.get(i) as SqlValue;
  return (v, i) => JSON.stringify(v.get(i), (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
}

export function arrowRows(table: Table): SqlRow[] {
  const fields = table.schema.fields;
  // repeated column names are told apart as @duckdb/node-api does: name, name:1, name:2 …
  const seen = new Map<string, number>();
  const names = fields.map((f) => {
    const n = seen.get(f.name) ?? 0;
    seen.set(f.name, n + 1);
    return n === 0 ? f.name : `${f.name}:${n}`;
  });
  const rows: Record<string, SqlValue>[] = [];
  for (const batch of table.batches) {
    const columns = fields.map((f, k) => ({ name: names[k]!, vector: batch.getChildAt(k)!, read: reader(f.type) }));
    for (let i = 0; i < batch.numRows; i++) {
      const row: Record<string, SqlValue> = {};
      for (const c of columns) row[c.name] = c.vector.isValid(i) ? c.read(c.vector, i) : null;
      rows.push(row);
    }
  }
  return rows;
}
