/**
 * A problem found in an expression. `start`/`end` are a half-open range of character offsets
 * into the source text (JavaScript string indices, i.e. UTF-16 code units, as editors such as
 * CodeMirror and Monaco use), so an editor can draw a squiggle under exactly the offending part.
 */
export interface ExprDiagnostic {
  readonly message: string;
  readonly start: number;
  readonly end: number;
  readonly hint?: string;
}

export function diagnostic(message: string, start: number, end: number, hint?: string): ExprDiagnostic {
  return hint === undefined ? { message, start, end } : { message, start, end, hint };
}
