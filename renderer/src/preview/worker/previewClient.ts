import type { FormatSuggestion } from '@batchbook/pipeline-core';
import type { ColumnProfile, RowsPage } from '../engine/stageQueries';
import type { RunOutcome, RunRequest, SessionEvent } from '../engine/previewSession';
import type { BenchResult, FromWorker, ToWorker } from './protocol';
import type { StageTiming } from '../engine/stageTiming';
import type { MatchCounts } from '../../match/matchCounts';

/** The project's files as Blobs (sent to the worker without a copy of their bytes). */
export type FileProvider = (paths: readonly string[]) => Promise<ReadonlyMap<string, Blob>>;

interface Pending {
  resolve: (v: never) => void;
  reject: (e: Error) => void;
  onEvent?: (e: SessionEvent) => void;
}

/** The page's handle on the preview worker: typed requests, promises for replies, events for runs. */
export class PreviewClient {
  private readonly worker: Worker;
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();
  readonly ready: Promise<{ version: string; ms: number }>;
  /** When the engine's warm-up pipeline has run (or was stopped by the first run). */
  readonly warmed: Promise<{ ms: number; completed: boolean }>;
  private fatal?: string;

  constructor(private readonly files: FileProvider) {
    this.worker = new Worker(new URL('./previewWorker.ts', import.meta.url), { type: 'module', name: 'batchbook-preview' });
    this.ready = new Promise((resolve, reject) => {
      this.worker.addEventListener('message', (e: MessageEvent<FromWorker>) => {
        if (e.data.type === 'ready') resolve(e.data);
        if (e.data.type === 'fatal') reject(new Error(e.data.message));
      });
      this.worker.addEventListener('error', (e) => reject(new Error(`the preview engine failed to load: ${e.message}`)));
    });
    this.warmed = new Promise((resolve) => this.worker.addEventListener('message', (e: MessageEvent<FromWorker>) => e.data.type === 'warmed' && resolve(e.data)));
    this.ready.catch((e: Error) => {
      this.fatal = e.message;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    });
    this.worker.addEventListener('message', (e: MessageEvent<FromWorker>) => this.receive(e.data));
    // a worker that dies (out of memory, say) fails what was asked of it instead of leaving it hanging
    this.worker.addEventListener('error', (e) => this.die(`the preview engine stopped: ${e.message || 'unknown error'}; reload the page to restart it`));
  }

  /** Called once the worker is gone: every pending request fails with the reason. */
  onDeath?: (message: string) => void;

  private die(message: string): void {
    this.fatal = message;
    for (const p of this.pending.values()) p.reject(new Error(message));
    this.pending.clear();
    this.onDeath?.(message);
  }

  private send(m: ToWorker, transfer: Transferable[] = []): void {
    this.worker.postMessage(m, transfer);
  }

  private request<T>(make: (id: number) => ToWorker, onEvent?: (e: SessionEvent) => void): Promise<T> {
    if (this.fatal) return Promise.reject(new Error(this.fatal));
    const id = ++this.nextId;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: never) => void, reject, ...(onEvent ? { onEvent } : {}) });
      this.send(make(id));
    });
  }

  private receive(m: FromWorker): void {
    switch (m.type) {
      case 'event':
        this.pending.get(m.id)?.onEvent?.(m.event);
        return;
      case 'done':
      case 'reply': {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        p?.resolve((m.type === 'done' ? m.outcome : m.value) as never);
        return;
      }
      case 'failed': {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        p?.reject(new Error(m.message));
        return;
      }
      case 'needFiles':
        this.files(m.paths).then(
          (files) => {
            const list = m.paths.map((path) => ({ path, blob: files.get(path)! }));
            this.send({ type: 'files', id: m.id, files: list }); // a Blob is shared, not copied: the worker reads only what it needs
          },
          (e: unknown) => this.send({ type: 'files', id: m.id, files: [], error: e instanceof Error ? e.message : String(e) }),
        );
        return;
      default:
        return;
    }
  }

  run(request: RunRequest, onEvent: (e: SessionEvent) => void): Promise<RunOutcome> {
    return this.request((id) => ({ type: 'run', id, request }), onEvent);
  }

  cancel(): void {
    this.send({ type: 'cancel' });
  }

  reset(): Promise<null> {
    return this.request((id) => ({ type: 'reset', id }));
  }

  rows(stage: string, offset: number, limit: number): Promise<RowsPage> {
    return this.request((id) => ({ type: 'rows', id, stage, offset, limit }));
  }

  rejects(stage: string, limit: number): Promise<RowsPage> {
    return this.request((id) => ({ type: 'rejects', id, stage, limit }));
  }

  profile(stage: string): Promise<ColumnProfile[]> {
    return this.request((id) => ({ type: 'profile', id, stage }));
  }

  /** Runs a previewed cell again under DuckDB's profiler: its wall time, rows and heaviest operators. */
  timing(stage: string): Promise<StageTiming> {
    return this.request((id) => ({ type: 'timing', id, stage }));
  }

  /** The date formats that read a column of a stage's rows, with how many values each reads. */

  dateFormats(stage: string, column: string, own: readonly string[]): Promise<FormatSuggestion[]> {
    return this.request((id) => ({ type: 'dateFormats', id, stage, column, own }));
  }

  /** Rows in each of a match cell's four outputs. */
  matchCounts(stage: string): Promise<MatchCounts> {
    return this.request((id) => ({ type: 'matchCounts', id, stage }));
  }

  bench(stages: readonly string[]): Promise<BenchResult> {
    return this.request((id) => ({ type: 'bench', id, stages }));
  }

  /** Times hand-written statements on the preview's connection, then runs `check` (the benchmark's hand-SQL baseline). */
  benchSql(statements: readonly string[], check?: string): Promise<BenchResult> {
    return this.request((id) => ({ type: 'benchSql', id, statements, ...(check ? { check } : {}) }));
  }

  /** Drops the results the preview kept aside, so the next edit is computed, not brought back (the benchmark's new edits). */
  forgetKept(): Promise<null> {
    return this.request((id) => ({ type: 'forgetKept', id }));
  }

  terminate(): void {
    this.worker.terminate();
  }
}
