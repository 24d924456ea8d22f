import type { Schema } from '../types/dataType.js';
import { closestName } from '../expr/suggest.js';
import { specError, specWarning, type SpecDiagnostic } from './diagnostics.js';
import type { PipelineSpec } from './schema.js';

/**
 * What a source's file says about its columns, read by the host (the CLI reads a Parquet file's
 * metadata with DuckDB; src/core reads no files). A source whose spec leaves the schema out takes
 * these columns; a declared schema is compared with them.
 */
export interface FileSchema {
  /** The file read, as the user knows it (relative to the project). */
  readonly file: string;
  readonly columns: Schema;
  /** Columns whose file type has no counterpart in the language (they cannot be read). */
  readonly unsupported?: readonly { readonly name: string; readonly type: string }[];
  /** Why the file could not be read. */
  readonly error?: string;
}

export type FileSchemas = Readonly<Record<string, FileSchema>>;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The input with the file's columns in place of each left-out schema (the input itself is not changed). */
export function withFileSchemas(input: unknown, files: FileSchemas): unknown {
  if (!isObj(input) || !isObj(input['sources'])) return input;
  const sources: Obj = { ...input['sources'] };
  let changed = false;
  for (const [name, source] of Object.entries(sources)) {
    const file = files[name];
    if (!isObj(source) || source['schema'] !== undefined || !file || file.error || file.columns.length === 0) continue;
    sources[name] = { ...source, schema: file.columns.map((c) => ({ name: c.name, type: c.type })) };
    changed = true;
  }
  return changed ? { ...input, sources } : input;
}

/**
 * Problems between what the spec declares and what the files hold: a declared column the file
 * lacks is an error (the run would fail on it); a file column left out of a declared schema is a
 * warning (it is not read); an unreadable file or a column type the language lacks, a warning.
 */
export function checkFileSchemas(input: unknown, spec: PipelineSpec, files: FileSchemas): SpecDiagnostic[] {
  const out: SpecDiagnostic[] = [];
  const written = isObj(input) && isObj(input['sources']) ? input['sources'] : {};
  for (const [name, source] of Object.entries(spec.sources)) {
    const file = files[name];
    if (!file) continue;
    const at = ['sources', name];
    if (file.error) {
      out.push(specWarning(at, `cannot read the columns of ${file.file}: ${file.error}`));
      continue;
    }
    const declared = isObj(written[name]) && (written[name] as Obj)['schema'] !== undefined;
    for (const u of file.unsupported ?? []) out.push(specWarning(at, `column '${u.name}' of ${file.file} is ${u.type}, which has no type in the expression language; it is not read`));
    if (!declared) continue;
    const inFile = new Set(file.columns.map((c) => c.name));
    source.schema.forEach((c, i) => {
      if (inFile.has(c.name) || file.unsupported?.some((u) => u.name === c.name)) return;
      const near = closestName(c.name, [...inFile]);
      // the source says a missing column reads as NULL: worth a word, not a refusal
      if (source.on_missing === 'null') return void out.push(specWarning([...at, 'schema', i, 'name'], `column '${c.name}' is not in ${file.file}: it reads as NULL there (on_missing: null)`));
      out.push(specError([...at, 'schema', i, 'name'], `column '${c.name}' is not in ${file.file}`, near ? `did you mean '${near}'?` : `its columns are ${[...inFile].join(', ')}`));
    });
    const left = file.columns.filter((c) => !source.schema.some((d) => d.name === c.name)).map((c) => c.name);
    if (left.length) {
      out.push(specWarning([...at, 'schema'], `the schema lists ${file.columns.length - left.length} of the ${file.columns.length} columns of ${file.file}; not read: ${left.join(', ')}`, 'declare them to read them, or leave the schema out to read every column with its type from the file'));
    }
  }
  return out;
}
