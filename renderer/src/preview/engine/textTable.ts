import { makeData, makeVector, Table, Utf8, type Vector } from 'apache-arrow';

const encoder = new TextEncoder();

/**
 * A text column built straight from its bytes, offsets and validity bits. Arrow's own builders
 * compile code with `new Function`, which the desktop app's content security policy forbids
 * (and building from bytes is several times faster).
 */
export function utf8Vector(values: ArrayLike<string | null>): Vector<Utf8> {
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

/** One batch of a source read in JavaScript: its pinned columns as text, and where each row came from. */
export interface TextBatch {
  readonly columns: readonly ArrayLike<string | null>[];
  readonly file: ArrayLike<number>;
  /** 1-based row (or line) numbers. */
  readonly row: ArrayLike<number>;
  readonly error: ArrayLike<string | null>;
}

/** The batch as an Arrow table shaped like the source's staging table (see `stagingTableSql`). */
export function textTable(pinned: readonly string[], b: TextBatch): Table {
  const vectors: Record<string, Vector> = {};
  pinned.forEach((name, k) => (vectors[name] = utf8Vector(b.columns[k]!)));
  vectors['_bb_file'] = makeVector(Int32Array.from(b.file));
  vectors['_bb_row'] = makeVector(BigInt64Array.from(b.row as ArrayLike<number>, (r) => BigInt(r)));
  vectors['_bb_error'] = utf8Vector(b.error);
  return new Table(vectors);
}
