import { mkdtempSync, readdirSync, readFileSync, writeFileSync, type Dirent } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { loadavg, tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { it } from 'vitest';
import { applyCommands, loadSpec, toggleStep, type SpecInput } from '@batchbook/pipeline-core';
import { PreviewSession, type RunRequest } from '../../../renderer/src/preview/engine/previewSession';
import { openWasmInNode } from '../engine/wasmNode';
import { writeReconciliationProject } from './reconciliationData';

/**
 * Where a new edit's time goes, statement by statement: the designer bench's edit (clean_orders'
 * case step switched, nothing kept aside) on the 100k-row reconciliation project, run by the
 * preview session on DuckDB-WASM in Node (no page). Prints each round's total and, for the last
 * two, every statement's ms; `BATCHBOOK_PROFILE_SQL=<file>` also writes the last round's full
 * statements there, each with its ms (to EXPLAIN ANALYZE the slow ones).
 */
const sample = fileURLToPath(new URL('../../../samples/nightly-reconciliation/', import.meta.url));
const ROUNDS = 4;

it('profile of a new edit, statement by statement (Node, DuckDB-WASM)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bb-prof-'));
  await writeReconciliationProject(dir, sample, 100_000);
  const inbox = join(dir, 'data');
  const files = (readdirSync(inbox, { recursive: true, withFileTypes: true }) as Dirent[]).filter((d) => d.isFile()).map((d) => relative(inbox, join(d.parentPath, d.name)).split('\\').join('/'));
  const input = loadSpec(readFileSync(join(dir, 'pipeline.yaml'), 'utf8')).input as SpecInput;
  const wasm = await openWasmInNode();
  // every statement timed where it runs, after those queued before it
  const engine = wasm.engine as unknown as { execNow(sql: string): Promise<void>; serialize<T>(f: () => Promise<T> | T): Promise<T>; exec(sql: string): Promise<void>; query(sql: string): Promise<unknown[]>; queryDirect(sql: string): unknown[] };
  const log: { ms: number; sql: string }[] = [];
  const timed = async <T,>(sql: string, f: () => Promise<T> | T): Promise<T> => {
    const t = performance.now();
    const r = await f();
    log.push({ ms: performance.now() - t, sql });
    return r;
  };
  engine.exec = (sql) => engine.serialize(() => timed(sql, () => engine.execNow(sql)));
  engine.query = (sql) => engine.serialize(() => timed(sql, () => engine.queryDirect(sql)));
  // Node's DuckDB-WASM cannot read a Blob lazily (the worker's FileReaderSync): large files are handed over as buffers
  const bytesOf = new WeakMap<Blob, Uint8Array>();
  const db = wasm.db as { registerBlob(name: string, blob: Blob): void; registerFile(name: string, bytes: Uint8Array): void };
  db.registerBlob = (name, blob) => db.registerFile(name, bytesOf.get(blob)!);
  const readFiles = async (paths: readonly string[]) =>
    new Map(
      await Promise.all(
        paths.map(async (p) => {
          const bytes = new Uint8Array(await readFile(join(inbox, p)));
          const blob = new Blob([bytes]);
          bytesOf.set(blob, bytes);
          return [p, blob] as const;
        }),
      ),
    );
  const session = new PreviewSession(wasm.engine, wasm.db, readFiles);
  const request = (spec: SpecInput): RunRequest => ({ input: spec, params: {}, fallbackRunDate: '2026-11-24', sample: { mode: 'full', size: 10_000, seed: 42 }, files });
  const off = applyCommands(input, [toggleStep('clean_orders', 1)]);
  await session.run(request(input), () => undefined);
  for (let round = 0; round < ROUNDS; round++) {
    await session.forgetKept();
    log.length = 0;
    const r = await session.run(request(round % 2 === 0 ? off : input), () => undefined);
    const total = log.reduce((a, b) => a + b.ms, 0);
    process.stdout.write(`\nround ${round}: ${Math.round(r.ms)} ms, ${log.length} statements ${Math.round(total)} ms; ran ${r.ran.join(', ')}; patched ${r.patched?.join(', ')}; load ${loadavg()[0]!.toFixed(1)}\n`);
    if (round < ROUNDS - 2) continue;
    for (const l of log) process.stdout.write(`${l.ms.toFixed(1).padStart(7)}  ${l.sql.replace(/\s+/g, ' ').slice(0, 160)}\n`);
    const out = process.env['BATCHBOOK_PROFILE_SQL'];
    if (out && round === ROUNDS - 1) writeFileSync(out, log.map((l) => `-- ${l.ms.toFixed(1)} ms\n${l.sql};\n`).join('\n'));
  }
  wasm.close();
});
