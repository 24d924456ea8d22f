import { duckdbJsonText, JsonNumber, JsonSyntaxError, parseJson, type JsonValue } from './jsonText.js';

/**
 * Rows of a JSON source in the shape every engine adapter hands the ingest stage: the pinned
 * columns as text, plus the file index, a row number and a reader error. Mirrors the native
 * runner's readers (pipeline-core/src/node/runner/sourceRelation.ts) so both engines read the
 * same rows: NDJSON line by line (a bad line becomes a row with `error`, blank lines are skipped
 * but counted), a JSON array element by element. Row numbers run on across the files of a
 * source, as `row_number() OVER ()` does over a multi-file scan.
 */
export interface SourceColumns {
  readonly columns: readonly (readonly (string | null)[])[];
  readonly file: number[];
  readonly row: number[];
  readonly error: (string | null)[];
}

export class JsonSourceError extends Error {}

export function emptyColumns(width: number): SourceColumns & { columns: (string | null)[][] } {
  return { columns: Array.from({ length: width }, () => []), file: [], row: [], error: [] };
}

function isObject(v: JsonValue): v is { [key: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JsonNumber);
}

function pushObject(out: ReturnType<typeof emptyColumns>, pinned: readonly string[], obj: { [key: string]: JsonValue } | undefined): void {
  pinned.forEach((c, k) => out.columns[k]!.push(obj ? duckdbJsonText(Object.prototype.hasOwnProperty.call(obj, c) ? obj[c] : undefined) : null));
}

/** The first `n` characters (code points), as SQL's left() counts them. */
function leftChars(s: string, n: number): string {
  let out = '';
  let count = 0;
  for (const ch of s) {
    if (count++ >= n) break;
    out += ch;
  }
  return out;
}

/** NDJSON: one object per line. `startRow` is the row number the next line gets (across files). */
export function readNdjson(out: ReturnType<typeof emptyColumns>, pinned: readonly string[], text: string, fileIndex: number, startRow: number): number {
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  let row = startRow;
  for (const raw of lines) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const n = row++;
    if (line.replace(/^ +| +$/g, '') === '') continue;
    let value: JsonValue | undefined;
    try {
      value = line.replace(/^ +/, '').startsWith('{') ? parseJson(line) : undefined;
    } catch (e) {
      if (!(e instanceof JsonSyntaxError)) throw e;
    }
    const ok = value !== undefined && isObject(value);
    pushObject(out, pinned, ok ? (value as { [key: string]: JsonValue }) : undefined);
    out.file.push(fileIndex);
    out.row.push(n);
    out.error.push(ok ? null : `not valid JSON: ${leftChars(line, 120)}`);
  }
  return row;
}

/** A JSON array of objects. A file that is not one is an error for the whole source, as natively. */
export function readJsonArray(out: ReturnType<typeof emptyColumns>, pinned: readonly string[], text: string, fileIndex: number, startRow: number, fileName: string): number {
  let value: JsonValue;
  try {
    value = parseJson(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    if (e instanceof JsonSyntaxError) {
      const before = text.slice(0, e.offset);
      const line = before.split('\n').length;
      const column = e.offset - before.lastIndexOf('\n');
      throw new JsonSourceError(`${fileName}:${line}:${column}: not valid JSON: ${e.message}`);
    }
    throw e;
  }
  if (!Array.isArray(value)) throw new JsonSourceError(`${fileName}: expected a JSON array of objects (format: json); for one object per line use format: ndjson`);
  let row = startRow;
  value.forEach((element, i) => {
    if (!isObject(element)) throw new JsonSourceError(`${fileName}: element ${i + 1} of the array is not an object`);
    pushObject(out, pinned, element);
    out.file.push(fileIndex);
    out.row.push(row++);
    out.error.push(null);
  });
  return row;
}
