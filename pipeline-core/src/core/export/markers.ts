import { quoteString } from '../compile/sql.js';

/**
 * Exported artifacts take their run date, input root and output root at run time, but the
 * shared DuckDB compilers bake values into the SQL. So the exporter compiles with markers in
 * place of those values and rewrites each SQL string literal that holds one into the target's
 * own run-time expression (a DuckDB variable, a dbt var…).
 */
const MARK = '\u0001';

export type Marker =
  | { readonly kind: 'param'; readonly name: string }
  /** The path a source is read from (input root + path template). */
  | { readonly kind: 'read'; readonly source: string }
  /** The path a source's rejects show (the path template, input-root relative). */
  | { readonly kind: 'shown'; readonly source: string };

export function paramMarker(name: string): string {
  return `${MARK}param:${name}${MARK}`;
}
export function readMarker(source: string): string {
  return `${MARK}read:${source}${MARK}`;
}
export function shownMarker(source: string): string {
  return `${MARK}shown:${source}${MARK}`;
}

function parseMarker(body: string): Marker {
  const [kind, name = ''] = body.split(':', 2) as [string, string];
  if (kind === 'param') return { kind, name };
  if (kind === 'read' || kind === 'shown') return { kind, source: name };
  throw new Error(`unknown export marker ${body}`);
}

/** Splits text into literal parts and markers. */
export function splitMarkers(text: string): (string | Marker)[] {
  const parts = text.split(MARK);
  return parts.map((p, i) => (i % 2 === 1 ? parseMarker(p) : p)).filter((p) => p !== '');
}

export function hasMarker(text: string): boolean {
  return text.includes(MARK);
}

const LITERAL = /(DATE |TIMESTAMP )?'((?:[^']|'')*)'/g;

/**
 * Rewrites every SQL string literal holding a marker into a concatenation of quoted text and
 * `render(marker)` expressions; a typed literal (DATE '…') becomes a CAST of it.
 */
export function rewriteSqlMarkers(sql: string, render: (m: Marker) => string): string {
  return sql.replace(LITERAL, (whole, typed: string | undefined, body: string) => {
    if (!body.includes(MARK)) return whole;
    const text = body.replace(/''/g, "'");
    const expr = splitMarkers(text)
      .map((p) => (typeof p === 'string' ? quoteString(p) : render(p)))
      .join(' || ');
    const joined = `(${expr || "''"})`;
    return typed ? `CAST(${joined} AS ${typed.trim()})` : joined;
  });
}

/** Replaces markers in plain text (templated paths, Jinja) with `render(marker)`. */
export function replaceMarkers(text: string, render: (m: Marker) => string): string {
  return splitMarkers(text)
    .map((p) => (typeof p === 'string' ? p : render(p)))
    .join('');
}
