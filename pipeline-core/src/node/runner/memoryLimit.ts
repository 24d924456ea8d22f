import { availableParallelism } from 'node:os';

/**
 * `--memory-limit` is the limit of the whole process (what a container or a serverless worker
 * enforces), not DuckDB's: Node itself, the DuckDB library, its allocations outside the buffer
 * pool (hash tables being resized, Parquet writer buffers, per-thread state) and the OS's
 * page cache for spill files all live in the same RSS. So DuckDB gets a share with headroom
 * for the rest; anything it cannot hold spills to the lake's temp folder.
 */
export class MemoryLimitError extends Error {}

/** Measured: Node + the loaded DuckDB library + V8 heap of the runner, before any data. */
const FIXED_BYTES = 160e6;
/** DuckDB's share of what is left: its memory outside the buffer pool rises with the pool. */
const DUCKDB_SHARE = 0.55;
const MIN_PROCESS_BYTES = 256e6;

const UNITS: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/** '512MB', '2GB', '1.5GiB' → bytes (units as DuckDB reads them: KB = 1000, KiB = 1024). */
export function parseMemorySize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = (m?.[2] ?? '').toLowerCase() || 'b';
  const factor = UNITS[unit];
  if (!m || factor === undefined) throw new MemoryLimitError(`--memory-limit '${text}' is not a size: write e.g. 512MB, 2GB or 1.5GiB`);
  return Number(m[1]) * factor;
}

/** DuckDB's memory_limit for a process limited to `processLimit`. */
export function duckdbMemoryLimit(processLimit: string): string {
  const total = parseMemorySize(processLimit);
  if (total < MIN_PROCESS_BYTES) throw new MemoryLimitError(`--memory-limit ${processLimit} is too small: the runner needs at least 256MB (Node and DuckDB alone take about ${FIXED_BYTES / 1e6}MB)`);
  return `${Math.floor(((total - FIXED_BYTES) * DUCKDB_SHARE) / 1e6)}MB`;
}

/** DuckDB's working memory (hash tables, sort runs, row groups in flight) grows per thread. */
const MIN_BYTES_PER_THREAD = 256e6;

/**
 * Threads when the user did not say: no more than DuckDB's share of memory can feed, so a small
 * limit runs on fewer threads (and spills) instead of failing to allocate per-thread state.
 */
export function duckdbThreads(processLimit: string, cores = availableParallelism()): number {
  const share = parseMemorySize(duckdbMemoryLimit(processLimit));
  return Math.max(1, Math.min(cores, Math.floor(share / MIN_BYTES_PER_THREAD)));
}

const OOM = /out of memory|could not allocate|failed to allocate/i;

/** A clear message for DuckDB's out-of-memory errors (undefined for other errors). */
export function explainOutOfMemory(message: string, processLimit: string, stage: string | undefined): string | undefined {
  if (!OOM.test(message)) return undefined;
  const where = stage ? `stage '${stage}'` : 'the run';
  return `${where} ran out of memory within --memory-limit ${processLimit} (DuckDB may use ${duckdbMemoryLimit(processLimit)} of it and spills the rest to <lake>/.tmp): raise --memory-limit, or lower --threads so fewer operators hold memory at once. DuckDB said: ${message}`;
}
