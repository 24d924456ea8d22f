import type { DuckDBInstance } from '@duckdb/node-api';
import { duckdbApi } from './duckdbApi.js';

/** What every Batchbook instance is created with: the extensions it needs are built in, nothing is fetched. */
export const BASE_CONFIG: Readonly<Record<string, string>> = { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' };

/**
 * One in-memory DuckDB instance kept for the next engine this process opens. Creating one costs
 * ~40 ms of CPU and more of wall time; a run used to create three (the Parquet schemas read when
 * the project opens, the source column checks, the run). `batchbook run` also starts creating it
 * first thing, on a libuv thread, while the spec is parsed and checked on the main thread.
 */
let spare: Promise<DuckDBInstance | undefined> | undefined;

export function createInstance(config: Readonly<Record<string, string>> = BASE_CONFIG): Promise<DuckDBInstance> {
  return duckdbApi.DuckDBInstance.create(':memory:', { ...config });
}

/** Starts creating the spare instance now, unless there is one. */
export function prewarmInstance(): void {
  spare ??= createInstance().catch(() => undefined); // a failure shows again, with its message, where an engine is opened
}

/** The spare instance (nothing else holds it any more), or undefined when there is none. */
export async function takeSpareInstance(): Promise<DuckDBInstance | undefined> {
  const taken = spare;
  spare = undefined;
  return taken;
}

/** Keeps an instance a short read is done with (its connections closed) for the next engine, instead of closing it. */
export function keepSpareInstance(instance: DuckDBInstance): void {
  const previous = spare;
  spare = Promise.resolve(instance);
  void previous?.then((p) => p?.closeSync());
}
