import { closest, distance } from 'fastest-levenshtein';

/** A path into the spec document, as zod and the yaml package spell it. */
export type SpecPath = readonly (string | number)[];

/**
 * One problem found in a spec. `path` says where in the document; `offset` (optional) is a
 * character offset inside the string at that path (an expression error, say). The loader
 * resolves both to line:column in the file.
 */
export interface SpecDiagnostic {
  readonly severity: 'error' | 'warning';
  readonly path: SpecPath;
  readonly message: string;
  readonly hint?: string;
  readonly offset?: { readonly start: number; readonly end: number };
  /** Point at the key of the last path element rather than its value (unknown keys). */
  readonly atKey?: boolean;
  readonly line?: number;
  readonly column?: number;
  readonly endLine?: number;
  readonly endColumn?: number;
}

export function specError(path: SpecPath, message: string, hint?: string): SpecDiagnostic {
  return hint === undefined ? { severity: 'error', path, message } : { severity: 'error', path, message, hint };
}

export function specWarning(path: SpecPath, message: string, hint?: string): SpecDiagnostic {
  return hint === undefined ? { severity: 'warning', path, message } : { severity: 'warning', path, message, hint };
}

/** "did you mean 'clean_orders'?" when a near name exists; undefined otherwise. */
export function didYouMean(name: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const best = closest(name, candidates as string[]);
  const limit = Math.max(2, Math.floor(name.length / 3));
  return distance(name, best) <= limit ? `did you mean '${best}'?` : undefined;
}

export function formatPath(path: SpecPath): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  return out || '(document)';
}

/** `file:line:col: error: message (hint)` — the form compilers use, so editors can jump to it. */
export function formatDiagnostic(d: SpecDiagnostic, file = 'pipeline.yaml'): string {
  const where = d.line !== undefined ? `${file}:${d.line}:${d.column ?? 1}` : file;
  const hint = d.hint ? ` — ${d.hint}` : '';
  return `${where}: ${d.severity}: ${d.message}${hint} (at ${formatPath(d.path)})`;
}

export function hasErrors(diags: readonly SpecDiagnostic[]): boolean {
  return diags.some((d) => d.severity === 'error');
}
