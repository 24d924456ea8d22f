import { FUNCTIONS, FUNCTION_NAMES, formatSignature, type DataType, type FunctionName, type Schema } from '@batchbook/pipeline-core';

/**
 * What the expression editor suggests and explains: the cell's input columns, the expression
 * language's functions (from pipeline-core's catalog, so it never suggests one an engine lacks),
 * the parameters and the keywords. Kept apart from Monaco so it can be tested on its own.
 */
export interface Suggestion {
  readonly label: string;
  readonly kind: 'column' | 'function' | 'param' | 'keyword' | 'table';
  readonly insertText: string;
  readonly detail: string;
  readonly documentation?: string;
  /** Placeholders like ${1:…} in insertText. */
  readonly snippet?: boolean;
}

const KEYWORDS = ['AND', 'OR', 'NOT', 'IS NULL', 'IS NOT NULL', 'IN', 'BETWEEN', 'LIKE', 'CASE', 'WHEN', 'THEN', 'ELSE', 'END', 'TRUE', 'FALSE', 'NULL', 'CAST', 'AS'];
const SQL_KEYWORDS = ['SELECT', 'FROM', 'WHERE', 'GROUP BY', 'ORDER BY', 'HAVING', 'JOIN', 'LEFT JOIN', 'ON', 'UNION ALL', 'WITH', 'DISTINCT', 'LIMIT', 'QUALIFY', 'OVER', 'PARTITION BY'];

/** Identifiers that need quoting in an expression (anything but a plain name). */
export function columnRef(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

export function suggestions(columns: Schema | undefined, params: Readonly<Record<string, DataType>>, language: 'expr' | 'sql', tables?: ReadonlyMap<string, Schema>): Suggestion[] {
  const out: Suggestion[] = [];
  for (const c of columns ?? []) out.push({ label: c.name, kind: 'column', insertText: columnRef(c.name), detail: `column · ${c.type}` });
  if (tables) {
    for (const [t, schema] of tables) {
      out.push({ label: t, kind: 'table', insertText: t, detail: `input · ${schema.length} columns`, documentation: schema.map((c) => `${c.name} ${c.type}`).join('\n') });
      for (const c of schema) if (!out.some((s) => s.label === c.name)) out.push({ label: c.name, kind: 'column', insertText: columnRef(c.name), detail: `${t}.${c.name} · ${c.type}` });
    }
  }
  if (language === 'expr') {
    for (const name of FUNCTION_NAMES) {
      const def = FUNCTIONS[name as FunctionName];
      out.push({ label: name, kind: 'function', insertText: `${name}($0)`, snippet: true, detail: formatSignature(name, def), documentation: `${def.description}\n\nExample: ${def.example[0]} → ${def.example[1]}` });
    }
    for (const [p, type] of Object.entries(params)) out.push({ label: `$${p}`, kind: 'param', insertText: `$${p}`, detail: `parameter · ${type}` });
  }
  for (const k of language === 'sql' ? [...SQL_KEYWORDS, ...KEYWORDS] : KEYWORDS) out.push({ label: k, kind: 'keyword', insertText: k, detail: 'keyword' });
  return out;
}

/** Hover text for the word under the pointer: a column's type, a function's signature. */
export function hoverFor(word: string, columns: Schema | undefined, tables?: ReadonlyMap<string, Schema>): string | undefined {
  const col = columns?.find((c) => c.name === word) ?? [...(tables?.values() ?? [])].flat().find((c) => c.name === word);
  if (col) return `**${col.name}** — column of type \`${col.type}\``;
  const table = tables?.get(word);
  if (table) return `**${word}** — input table: ${table.map((c) => `${c.name} ${c.type}`).join(', ')}`;
  const fn = (FUNCTION_NAMES as readonly string[]).includes(word.toLowerCase()) ? FUNCTIONS[word.toLowerCase() as FunctionName] : undefined;
  if (fn) return `\`${formatSignature(word.toLowerCase(), fn)}\`\n\n${fn.description}`;
  return undefined;
}
