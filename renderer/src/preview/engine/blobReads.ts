import { countLines, spreadRanges, wholeLines } from '@batchbook/pipeline-core';

/**
 * Reads of a file the preview worker holds as a Blob (a File handed over by the page costs no
 * copy): only the parts a sample needs, or the whole in slices, never the whole at once.
 */
export async function readBytes(blob: Blob, start = 0, end = blob.size): Promise<Uint8Array> {
  return new Uint8Array(await blob.slice(start, end).arrayBuffer());
}

/** Files up to this size are read whole even for a sample: exact counts and line numbers, at little cost. */
export const WHOLE_FILE_BYTES = 8 * 1024 * 1024;
const WINDOWS = 8;
const MIN_WINDOW_BYTES = 64 * 1024;
const SLICE_BYTES = 16 * 1024 * 1024;

export interface LineSample {
  /** Whole lines: the file's start (header included), then windows spread over the rest. */
  readonly bytes: Uint8Array;
  /** Lines in the file (exact when the whole file was read, else estimated from the sample's line length). */
  readonly lines: number;
  readonly linesRead: number;
  readonly whole: boolean;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * About `lineBudget` lines of a line-based file (CSV, NDJSON), read as windows of whole lines
 * spread from its start to its end. A line that breaks inside a quoted field across a window's
 * edge reads as a malformed line in the sample only.
 */
export async function sampleLines(blob: Blob, lineBudget: number): Promise<LineSample> {
  if (blob.size <= WHOLE_FILE_BYTES) {
    const bytes = await readBytes(blob);
    const lines = countLines(bytes);
    return { bytes, lines, linesRead: lines, whole: true };
  }
  const head = await readBytes(blob, 0, Math.min(blob.size, MIN_WINDOW_BYTES));
  const lineBytes = Math.max(1, head.length / Math.max(1, countLines(wholeLines(head, true, false))));
  const budget = Math.max(WINDOWS * MIN_WINDOW_BYTES, Math.round(lineBudget * lineBytes));
  const windows = spreadRanges(blob.size, budget, WINDOWS);
  const parts: Uint8Array[] = [];
  for (const w of windows) parts.push(wholeLines(await readBytes(blob, w.start, w.end), w.start === 0, w.end === blob.size));
  const bytes = concat(parts);
  const linesRead = countLines(bytes);
  if (windows.length === 1) return { bytes, lines: linesRead, linesRead, whole: windows[0]!.end === blob.size };
  return { bytes, lines: Math.max(linesRead, Math.round((linesRead * blob.size) / Math.max(1, bytes.length))), linesRead, whole: false };
}

/** The whole file in slices of whole lines, for a full read that never holds it all as text. */
export async function* lineSlices(blob: Blob, sliceBytes = SLICE_BYTES): AsyncGenerator<Uint8Array> {
  let carry = new Uint8Array(0);
  for (let at = 0; at < blob.size; at += sliceBytes) {
    const chunk = await readBytes(blob, at, Math.min(blob.size, at + sliceBytes));
    const joined = carry.length ? concat([carry, chunk]) : chunk;
    const last = at + sliceBytes >= blob.size ? joined.length : joined.lastIndexOf(10) + 1;
    if (last > 0) yield joined.subarray(0, last);
    carry = joined.slice(last);
  }
  if (carry.length) yield carry;
}

/** Lines of the whole file, counted slice by slice. */
export async function countFileLines(blob: Blob, sliceBytes = SLICE_BYTES): Promise<number> {
  let n = 0;
  let lastByte = 10;
  for (let at = 0; at < blob.size; at += sliceBytes) {
    const chunk = await readBytes(blob, at, Math.min(blob.size, at + sliceBytes));
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) n++;
    if (chunk.length) lastByte = chunk[chunk.length - 1]!;
  }
  return lastByte === 10 ? n : n + 1;
}
