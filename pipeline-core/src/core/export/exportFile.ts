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
}

/**
 * Extra files that features outside the compilers add to every export folder (the cost report,
 * monitoring configs…). Each contributor registers one function here.
 */
export type ExportContributor = (ctx: ExportContext) => readonly ExportFile[];
