import { create } from 'zustand';
import type { CellState, MissingFiles, SampleOptions, SourceInfo } from '../preview/engine/previewSession';

/** What the preview shows: the engine's state, each cell's status and counts, the sample settings. */
export interface PreviewState {
  readonly engine: { readonly status: 'starting' | 'ready' | 'failed'; readonly message?: string; readonly startMs?: number };
  readonly params: Readonly<Record<string, string>>;
  readonly sample: SampleOptions;
  readonly running: boolean;
  /** A run is scheduled (an edit just happened) or running: the preview is not settled yet. */
  readonly busy: boolean;
  /** Completed runs since the app started (tests and the benchmark wait on it). */
  readonly runs: number;
  readonly progress?: { readonly done: number; readonly total: number; readonly stage?: string };
  readonly cells: Readonly<Record<string, CellState>>;
  readonly sources: readonly SourceInfo[];
  /** The last run found no files for the run date (or another path parameter) of some sources. */
  readonly missing?: MissingFiles;
  /** Bumped when a stage's rows change, so open grids fetch again. */
  readonly generation: Readonly<Record<string, number>>;
  readonly lastRun?: { readonly ms: number; readonly ran: number; readonly cancelled: boolean; readonly phases?: Readonly<Record<string, number>> };
  readonly runError?: string;
}

export const DEFAULT_SAMPLE: SampleOptions = { mode: 'sample', size: 10_000, seed: 42 };

export const usePreview = create<PreviewState>()(() => ({
  engine: { status: 'starting' },
  params: {},
  sample: DEFAULT_SAMPLE,
  running: false,
  busy: false,
  runs: 0,
  cells: {},
  sources: [],
  generation: {},
}));
