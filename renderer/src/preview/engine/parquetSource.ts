import { tableFromIPC } from 'apache-arrow';
import type { ParquetFile, ReaderOptions } from 'parquet-wasm/esm';
import { duckdbType, nativelyTyped, quoteIdent, splitAtGroups, spreadRanges, type ReadWindow, type Source } from '@batchbook/pipeline-core';

/**
 * Parquet in the preview, read by parquet-wasm (arrow-rs compiled to WebAssembly: DuckDB-WASM
 * has no parquet extension offline). A file is opened by its footer, only the row ranges a
 * sample needs are decoded, and they reach DuckDB as Arrow in the file's own types, so no value
 * passes through JavaScript. Columns stored in their declared type are kept as they are, the
 * others become text by DuckDB's own CAST, as the native runner's read_parquet relation does
 * (readerRelations.ts): what the preview shows is what the runner reads.
 */

/** The part of parquet-wasm the loader uses (its browser and Node builds have the same API). */
export interface ParquetModule {
  readonly ParquetFile: { fromFile(handle: Blob): Promise<ParquetFile> };
}

/** What the loader needs from the database: one SQL statement, and an Arrow IPC stream into a new table. */
export interface ParquetTarget {
  exec(sql: string): Promise<void>;
  query(sql: string): Promise<readonly Record<string, unknown>[]>;
  insertIpc(table: string, ipc: Uint8Array): Promise<void>;
}

export class ParquetSourceError extends Error {}

/** Windows a sample is read in, spread over the file: at most this many, at least MIN_WINDOWS. */
const WINDOWS = 8;
const MIN_WINDOWS = 3;

/**
 * A window costs about a whole row group's pages, so large groups get fewer windows: decoding
 * stays within a few times the budget, and a sample still comes from the file's start, middle and end.
 */
function windowCount(budget: number, rows: number, groups: number): number {
  const groupRows = rows / Math.max(1, groups);
  return Math.max(MIN_WINDOWS, Math.min(WINDOWS, Math.floor((4 * budget) / groupRows)));
}

function reason(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? 'unreadable';
}

interface OpenedFile {
  readonly file: ParquetFile;
  readonly groups: readonly ReadWindow[];
  readonly rows: number;
}

async function openFile(pq: ParquetModule, blob: Blob, pinned: readonly string[], shown: string, source: string): Promise<OpenedFile> {
  let file: ParquetFile;
  try {
    file = await pq.ParquetFile.fromFile(blob);
  } catch (e) {
    throw new ParquetSourceError(`source '${source}': ${shown} is not a readable Parquet file (${reason(e)})`);
  }
  const names = tableFromIPC(file.schema().intoIPCStream()).schema.fields.map((f) => f.name);
  const missing = pinned.filter((c) => !names.includes(c));
  if (missing.length) {
    file.free();
    throw new ParquetSourceError(`source '${source}': ${shown} has no column ${missing.map((m) => `'${m}'`).join(', ')} (its columns: ${names.join(', ')})`);
  }
  const groups: ReadWindow[] = [];
  let at = 0;
  for (const g of file.metadata().rowGroups()) {
    const n = g.numRows();
    groups.push({ start: at, end: at + n });
    at += n;
  }
  return { file, groups, rows: at };
}

/** The row ranges to read: with a budget, windows spread over the file, each inside one row group; without, every group. */
function windowsOf(f: OpenedFile, budget: number | undefined): ReadWindow[] {
  if (budget === undefined) return [...f.groups];
  return splitAtGroups(spreadRanges(f.rows, budget, windowCount(budget, f.rows, f.groups.length)), f.groups);
}

export interface LoadedParquet {
  /** Rows in the files (from their footers). */
  readonly rows: number;
  /** Rows loaded into the staging table. */
  readonly read: number;
  /** Declared columns the staging table holds in their declared type. */
  readonly typed: readonly string[];
}

/**
 * Loads the files' pinned columns (a sample of their rows with a `budget`, else all) into the
 * staging table `table`: the columns, _bb_file, _bb_row (1-based within its file, as
 * read_parquet's file_row_number) and _bb_error (always NULL: a Parquet reader reports no bad record).
 */
export async function loadParquet(pq: ParquetModule, target: ParquetTarget, table: string, source: Source, files: readonly { path: string; blob: Blob }[], name: string, budget: number | undefined): Promise<LoadedParquet> {
  const pinned = source.schema.map((c) => c.name);
  const piece = quoteIdent(`${table}__piece`);
  let typed: string[] | undefined;
  let rows = 0;
  let read = 0;
  for (const [i, f] of files.entries()) {
    const opened = await openFile(pq, f.blob, pinned, f.path, name);
    try {
      rows += opened.rows;
      for (const w of windowsOf(opened, budget === undefined ? undefined : Math.ceil(budget / files.length))) {
        const g = opened.groups.findIndex((x) => w.start >= x.start && w.end <= x.end);
        const options: ReaderOptions = { rowGroups: [g], columns: [...pinned], offset: w.start - opened.groups[g]!.start, limit: w.end - w.start, batchSize: 65_536 };
        let ipc: Uint8Array;
        try {
          ipc = (await opened.file.read(options)).intoIPCStream();
        } catch (e) {
          throw new ParquetSourceError(`source '${name}': ${f.path} could not be read (${reason(e)})`);
        }
        // a run cancelled while loading can leave its piece behind
        await target.exec(`DROP TABLE IF EXISTS ${piece}`);
        await target.insertIpc(piece.slice(1, -1), ipc);
        typed ??= await createStaging(target, table, piece, source);
        // a new table's rowid is its insertion order: the row's position in the window
        await target.exec(`INSERT INTO ${quoteIdent(table)} SELECT ${columnsOf(source, typed)}, CAST(${i} AS INTEGER), CAST(${w.start + 1} + rowid AS BIGINT), CAST(NULL AS VARCHAR) FROM ${piece}`);
        await target.exec(`DROP TABLE ${piece}`);
        read += w.end - w.start;
      }
    } finally {
      opened.file.free();
      await target.exec(`DROP TABLE IF EXISTS ${piece}`);
    }
  }
  if (!typed) {
    // no rows at all: every column as text
    await target.exec(`CREATE TABLE ${quoteIdent(table)} (${[...pinned.map((c) => `${quoteIdent(c)} VARCHAR`), '_bb_file INTEGER', '_bb_row BIGINT', '_bb_error VARCHAR'].join(', ')})`);
    typed = [];
  }
  return { rows, read, typed };
}

function columnsOf(source: Source, typed: readonly string[]): string {
  return source.schema.map((c) => `CAST(${quoteIdent(c.name)} AS ${typed.includes(c.name) ? duckdbType(c.type) : 'VARCHAR'}) AS ${quoteIdent(c.name)}`).join(', ');
}

/** The staging table, shaped by the first piece: its stored types decide which columns stay typed. */
async function createStaging(target: ParquetTarget, table: string, piece: string, source: Source): Promise<string[]> {
  const described = await target.query(`DESCRIBE ${piece}`);
  const stored = new Map(described.map((r) => [String(r['column_name']), String(r['column_type'])]));
  const typed = nativelyTyped(source, stored).map((c) => c.name);
  await target.exec(`CREATE TABLE ${quoteIdent(table)} AS SELECT ${columnsOf(source, typed)}, CAST(NULL AS INTEGER) AS _bb_file, CAST(NULL AS BIGINT) AS _bb_row, CAST(NULL AS VARCHAR) AS _bb_error FROM ${piece} WHERE FALSE`);
  return typed;
}
