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
  /** A rewrite with the same meaning that the target accepts (the whole expression, or `pattern: '…'`), where one exists. */
  readonly suggestion?: string;
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

/** The construct a refused regex rule is named by, in the refusal scan and in the targets' compilers alike. */
export function regexRuleConstruct(ruleName: string, problem: string): string {
  return `regex rule '${ruleName}' with ${problem}`;
}

export function formatRefusal(r: ExportRefusal): string {
  return `${r.target}: stage '${r.stage}': cannot export ${r.construct}${r.detail ? ` (${r.detail})` : ''}${r.suggestion ? `; write instead: ${r.suggestion}` : ''}`;
}

/**
 * A target's refusals made complete: its compiler's (it stops each stage at the first) merged
 * with those a scan of the whole spec finds (refusalScan.ts), each once, in stage order, with the
 * scan's suggested rewrite where it has one.
 */
export function mergeRefusals(stages: readonly string[], first: readonly ExportRefusal[], scanned: readonly ExportRefusal[]): ExportRefusal[] {
  const key = (r: ExportRefusal) => `${r.stage}\u0000${r.construct}`;
  const fromScan = new Map<string, ExportRefusal>();
  for (const r of scanned) if (!fromScan.has(key(r))) fromScan.set(key(r), r); // the first (with its rewrite) wins
  const seen = new Set(first.map(key));
  const merged = [...first.map((r) => fromScan.get(key(r)) ?? r), ...[...fromScan.values()].filter((r) => !seen.has(key(r)))];
  const order = (r: ExportRefusal) => (stages.includes(r.stage) ? stages.indexOf(r.stage) : stages.length);
  return merged.map((r, i) => ({ r, i })).sort((a, b) => order(a.r) - order(b.r) || a.i - b.i).map(({ r }) => r);
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
