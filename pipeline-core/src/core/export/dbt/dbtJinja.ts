import { rewriteSqlMarkers, type Marker } from '../markers.js';

/**
 * dbt renders every model, test and YAML string as Jinja. Batchbook's SQL is not Jinja: a
 * regular expression or a custom SQL cell may hold `{{`, `{%` or `{#`. Those openers are
 * written as `{{ '{' }}` so that dbt renders them back to the original text.
 */
export function jinjaEscape(text: string): string {
  return text.replace(/\{(?=[{%#])/g, "{{ '{' }}");
}

/** A Jinja string literal (Jinja strings follow Python's, which JSON's escapes are a subset of). */
export function jinjaString(text: string): string {
  return JSON.stringify(text);
}

/** A Jinja expression for a {param} path template, optionally below a root variable. */
export function jinjaPathExpr(template: string, rootVar?: string): string {
  const parts = template.split(/\{([^}]*)\}/).map((p, i) => (i % 2 === 1 ? `var(${jinjaString(p)})` : p === '' ? '' : jinjaString(p)));
  const pieces = [...(rootVar ? [`var(${jinjaString(rootVar)})`, jinjaString('/')] : []), ...parts.filter((p) => p !== '')];
  return pieces.join(' ~ ') || '""';
}

/** SQL text that becomes a quoted SQL string literal of a Jinja expression when dbt compiles it. */
export function sqlLiteralOf(jinjaExpr: string): string {
  return `{{ bb_literal(${jinjaExpr}) }}`;
}

/**
 * The same literal without the project's bb_literal macro, for YAML that dbt renders at parse time
 * (sources.yml), where only dbt's built-ins such as var() are sure to be available.
 */
export function builtinSqlLiteralOf(jinjaExpr: string): string {
  return `'{{ (${jinjaExpr}) | string | replace("'", "''") }}'`;
}

const HOLE = '\u0002';

/**
 * Rewrites the marker literals of compiled DuckDB SQL into dbt Jinja (`render` returns Jinja for
 * each marker) and escapes everything else, so the compiled model is the runner's SQL verbatim.
 */
export function dbtSql(sql: string, render: (m: Marker) => string): string {
  const holes: string[] = [];
  const withHoles = rewriteSqlMarkers(sql, (m) => {
    holes.push(render(m));
    return `${HOLE}${holes.length - 1}${HOLE}`;
  });
  return jinjaEscape(withHoles).replace(new RegExp(`${HOLE}(\\d+)${HOLE}`, 'g'), (_w, i: string) => holes[Number(i)]!);
}
