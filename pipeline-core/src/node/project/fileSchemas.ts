import { join, relative } from 'node:path';
import { glob } from 'tinyglobby';
import type { Document } from 'yaml';
import { quoteString } from '../../core/compile/sql.js';
import type { FileSchema, FileSchemas } from '../../core/spec/fileSchemas.js';
import type { DataType } from '../../core/types/dataType.js';

/** A Parquet column's type (as DuckDB names it) in the expression language, or undefined when it has none. */
export function languageType(duckdbType: string): DataType | undefined {
  const t = duckdbType.toUpperCase();
  if (t === 'VARCHAR') return 'string';
  if (/^(U?(TINY|SMALL|BIG)?INT(EGER)?|HUGEINT|UHUGEINT)$/.test(t)) return /^(HUGEINT|UHUGEINT|UBIGINT)$/.test(t) ? undefined : 'integer';
  if (t === 'DOUBLE' || t === 'FLOAT') return 'double';
  if (t === 'BOOLEAN') return 'boolean';
  if (t === 'DATE') return 'date';
  if (/^TIMESTAMP( WITH TIME ZONE|_S|_MS|_NS)?$/.test(t)) return 'timestamp';
  const d = /^DECIMAL\((\d+),(\d+)\)$/.exec(t);
  return d ? (`decimal(${d[1]},${d[2]})` as DataType) : undefined;
}

/** The inbox files a source's path could match on any date: every {param} becomes a wildcard. */
async function candidates(path: string, inbox: string): Promise<string[]> {
  if (path.startsWith('/') || /(^|[\\/])\.\.([\\/]|$)/.test(path)) return []; // the spec check refuses these
  const files = await glob(path.replace(/\{[^}]*\}/g, '*'), { cwd: inbox, onlyFiles: true });
  return files.sort();
}

/**
 * The columns of every Parquet source's newest matching inbox file, read from its metadata with
 * DuckDB (loaded only when there is such a file; the instance is kept for the run). Other formats carry no types: nothing is read.
 */
export async function readFileSchemas(document: Document, inbox: string, projectDir: string): Promise<FileSchemas> {
  let sources: Record<string, { format?: unknown; path?: unknown }>;
  try {
    const doc = document.errors.length ? null : (document.toJS() as { sources?: unknown } | null);
    sources = doc && typeof doc.sources === 'object' && doc.sources !== null ? (doc.sources as typeof sources) : {};
  } catch {
    return {}; // loadSpec reports the YAML problem
  }
  const wanted: [string, string][] = [];
  for (const [name, s] of Object.entries(sources)) {
    if (s?.format !== 'parquet' || typeof s.path !== 'string') continue;
    const file = (await candidates(s.path, inbox)).at(-1);
    if (file) wanted.push([name, join(inbox, file)]);
  }
  if (wanted.length === 0) return {};
  const { createInstance, keepSpareInstance, takeSpareInstance } = await import('../duckdb/spareInstance.js');
  const instance = (await takeSpareInstance()) ?? (await createInstance());
  const connection = await instance.connect();
  const out: Record<string, FileSchema> = {};
  try {
    for (const [name, file] of wanted) out[name] = await describe(connection, file, relative(projectDir, file));
  } finally {
    connection.closeSync();
    keepSpareInstance(instance); // the run opens its engine on it
  }
  return out;
}

async function describe(connection: { runAndReadAll(sql: string): Promise<{ getRowObjectsJson(): unknown[] }> }, file: string, shown: string): Promise<FileSchema> {
  try {
    const rows = (await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${quoteString(file)})`)).getRowObjectsJson() as { column_name: string; column_type: string }[];
    const columns = rows.flatMap((r) => {
      const type = languageType(r.column_type);
      return type ? [{ name: r.column_name, type }] : [];
    });
    const unsupported = rows.filter((r) => !languageType(r.column_type)).map((r) => ({ name: r.column_name, type: r.column_type }));
    return { file: shown, columns, ...(unsupported.length ? { unsupported } : {}) };
  } catch (e) {
    return { file: shown, columns: [], error: (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? 'unreadable' };
  }
}
