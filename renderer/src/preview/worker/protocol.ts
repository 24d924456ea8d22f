import type { FormatSuggestion } from '@batchbook/pipeline-core';
import type { ColumnProfile, RowsPage } from '../engine/stageQueries';
import type { RunOutcome, RunRequest, SessionEvent } from '../engine/previewSession';
import type { StageTiming } from '../engine/stageTiming';
import type { MatchCounts } from '../../match/matchCounts';

/** Messages between the designer and its preview worker. Every request carries an id; replies echo it. */
export type ToWorker =
  | { readonly type: 'run'; readonly id: number; readonly request: RunRequest }
  | { readonly type: 'cancel' }
  | { readonly type: 'reset'; readonly id: number }
  | { readonly type: 'forgetKept'; readonly id: number }
  | { readonly type: 'rows'; readonly id: number; readonly stage: string; readonly offset: number; readonly limit: number }
  | { readonly type: 'rejects'; readonly id: number; readonly stage: string; readonly limit: number }
  | { readonly type: 'profile'; readonly id: number; readonly stage: string }
  | { readonly type: 'timing'; readonly id: number; readonly stage: string }
  | { readonly type: 'dateFormats'; readonly id: number; readonly stage: string; readonly column: string; readonly own: readonly string[] }
  | { readonly type: 'matchCounts'; readonly id: number; readonly stage: string }
  | { readonly type: 'bench'; readonly id: number; readonly stages: readonly string[] }
  | { readonly type: 'benchSql'; readonly id: number; readonly statements: readonly string[]; readonly check?: string }
  | { readonly type: 'files'; readonly id: number; readonly files: readonly { readonly path: string; readonly blob: Blob }[]; readonly error?: string };

export interface BenchResult {
  /** Milliseconds to run the stages' compiled statements, stats and rule checks straight on the connection. */
  readonly ms: number;
  readonly statements: number;
  /** The rows of the check query run after the timed statements (benchSql only). */
  readonly check?: readonly Record<string, unknown>[];
}

export type FromWorker =
  | { readonly type: 'ready'; readonly version: string; readonly ms: number }
  /** The warm-up pipeline has run (`completed`) or was stopped by the first run; `ms` after the worker started. */
  | { readonly type: 'warmed'; readonly ms: number; readonly completed: boolean }
  | { readonly type: 'event'; readonly id: number; readonly event: SessionEvent }
  | { readonly type: 'done'; readonly id: number; readonly outcome: RunOutcome }
  | { readonly type: 'reply'; readonly id: number; readonly value: RowsPage | readonly ColumnProfile[] | readonly FormatSuggestion[] | BenchResult | StageTiming | MatchCounts | null }
  | { readonly type: 'failed'; readonly id: number; readonly message: string }
  | { readonly type: 'needFiles'; readonly id: number; readonly paths: readonly string[] }
  | { readonly type: 'fatal'; readonly message: string };
