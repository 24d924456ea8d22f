/**
 * Where to read a sample of a large file without reading all of it: a few windows spread evenly
 * from its start to its end (so a file sorted by date is sampled across its dates, not only its
 * first days), together `budget` units long. Units are rows for Parquet and bytes for line-based
 * text (CSV, NDJSON). Browser-safe: the preview worker plans its reads with it.
 */
export interface ReadWindow {
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
}

/** `parts` windows of equal length spread over [0, total), `budget` long in all; the whole when it fits. */
export function spreadRanges(total: number, budget: number, parts: number): ReadWindow[] {
  if (total <= 0) return [];
  if (budget >= total) return [{ start: 0, end: total }];
  const n = Math.max(1, Math.min(Math.floor(parts), Math.floor(budget)));
  const length = Math.floor(budget / n);
  if (n === 1) return [{ start: 0, end: length }];
  const step = (total - length) / (n - 1); // ≥ length, since n * length ≤ budget < total
  return Array.from({ length: n }, (_, i) => {
    const start = Math.floor(i * step);
    return { start, end: start + length };
  });
}

/** The ranges cut at the boundaries of `groups` (sorted, contiguous), so no piece straddles two. */
export function splitAtGroups(ranges: readonly ReadWindow[], groups: readonly ReadWindow[]): ReadWindow[] {
  const out: ReadWindow[] = [];
  for (const r of ranges) {
    for (const g of groups) {
      const start = Math.max(r.start, g.start);
      const end = Math.min(r.end, g.end);
      if (start < end) out.push({ start, end });
    }
  }
  return out;
}

/**
 * A window of a line-based file trimmed to whole lines: from just after its first line break
 * (unless it starts the file) to its last line break inclusive. A window that holds no whole
 * line gives an empty piece.
 */
export function wholeLines(window: Uint8Array, startsFile: boolean, endsFile: boolean): Uint8Array {
  const first = startsFile ? 0 : window.indexOf(10) + 1;
  if (!startsFile && first === 0) return window.subarray(0, 0);
  const last = endsFile ? window.length : window.lastIndexOf(10) + 1;
  return last > first ? window.subarray(first, last) : window.subarray(0, 0);
}

/** Counts line breaks (a last line without one counts too). */
export function countLines(bytes: Uint8Array): number {
  let n = 0;
  let at = bytes.indexOf(10);
  while (at !== -1) {
    n++;
    at = bytes.indexOf(10, at + 1);
  }
  return bytes.length > 0 && bytes[bytes.length - 1] !== 10 ? n + 1 : n;
}
