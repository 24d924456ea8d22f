import type { ExportTarget } from './targets.js';

/**
 * An export that cannot be made faithfully is refused, never emitted as broken code. The value
 * names what could not be translated (`construct`, e.g. "csv option skip_rows" or
 * "function regexp_replace with a non-literal replacement"), the target and the stage.
 */
export interface ExportRefusal {
  readonly refused: true;
  readonly construct: string;
  readonly target: ExportTarget;
  readonly stage: string;
  /** Why, and what to do instead. */
  readonly detail?: string;
}

/** Thrown inside a compiler and turned into an ExportRefusal at the stage boundary. */
export class RefusalError extends Error {
  constructor(
    readonly construct: string,
    readonly detail?: string,
  ) {
    super(`${construct}${detail ? `: ${detail}` : ''}`);
  }
}

export function isRefusal(value: unknown): value is ExportRefusal {
  return typeof value === 'object' && value !== null && (value as { refused?: unknown }).refused === true;
}

export function refusal(target: ExportTarget, stage: string, construct: string, detail?: string): ExportRefusal {
  return { refused: true, construct, target, stage, ...(detail ? { detail } : {}) };
}

/** Runs a stage compiler; a RefusalError becomes a refusal for that stage and target. */
export function catchRefusal<T>(target: ExportTarget, stage: string, compile: () => T): T | ExportRefusal {
  try {
    return compile();
  } catch (e) {
    if (e instanceof RefusalError) return refusal(target, stage, e.construct, e.detail);
    throw e;
  }
}

export function formatRefusal(r: ExportRefusal): string {
  return `${r.target}: stage '${r.stage}': cannot export ${r.construct}${r.detail ? ` (${r.detail})` : ''}`;
}

/**
 * Something that exports but needs a person's eye (custom SQL in DuckDB dialect on Spark, …).
 * Written into the target's README and printed by the export command.
 */
export interface ExportFlag {
  readonly target: ExportTarget;
  readonly stage: string;
  readonly message: string;
}
