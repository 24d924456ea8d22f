import type { PipelineSpec } from '../spec/schema.js';

/** One file of an export folder, as text; the node side writes it under --out. */
export interface ExportFile {
  /** Path inside the export folder, '/'-separated, e.g. 'spark/job.py'. */
  readonly path: string;
  readonly content: string;
  readonly executable?: boolean;
}

/** What every export generator may read. */
export interface ExportContext {
  readonly spec: PipelineSpec;
  /** The spec file's text, exported verbatim beside the artifacts. */
  readonly specText: string;
  readonly toolVersion: string;
  /** sha256 of specText (hex), computed by the caller (src/core has no hashing of its own). */
  readonly specSha256?: string;
  /** Sample raw files the export was made from, input-root relative (filled in by the node side). */
  readonly samples?: readonly SampleFile[];
  /** Parameter values the preview ran with (the spec's defaults unless given). */
  readonly params?: Readonly<Record<string, string | number>>;
  /** The preview's validation results: the rule outcomes of a `batchbook run` on the samples. */
  readonly preview?: PreviewOutcome;
}

export interface SampleFile {
  readonly source: string;
  /** Relative to the input root (the project's inbox), e.g. 'pos/orders_2026-11-24.csv'. */
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
}

export interface PreviewOutcome {
  readonly run_id: string;
  readonly params: Readonly<Record<string, string | number>>;
  readonly exit_code: number;
  readonly rules: readonly {
    readonly stage: string;
    readonly name: string;
    readonly rule: string;
    readonly severity: string;
    readonly action: string;
    readonly status: 'pass' | 'fail';
    readonly failing: number;
  }[];
}

/**
 * Extra files that features outside the compilers add to every export folder (the cost report,
 * monitoring configs…). Each contributor registers one function here.
 */
export type ExportContributor = (ctx: ExportContext) => readonly ExportFile[];
