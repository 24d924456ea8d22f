/**
 * A strict JSON reader that keeps each number's source text, and the text DuckDB gives a JSON
 * value read as VARCHAR (`json_extract_string`, `read_json(columns = {…: 'VARCHAR'})`):
 * integers as written, other numbers in shortest round-trip form with a `.0` when integral
 * (1.20 -> 1.2, 1e3 -> 1000.0), nested values as compact JSON. The browser's loaders use it so a
 * preview reads JSON sources to the same text the native runner does.
 */

export class JsonNumber {
  constructor(readonly raw: string) {}
}

export type JsonValue = string | boolean | null | JsonNumber | JsonValue[] | { [key: string]: JsonValue };

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const NUMBER_RE = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** Parses one JSON text; throws JsonSyntaxError with the offset of the problem. */
export function parseJson(text: string): JsonValue {
  let i = 0;
  const fail = (what: string): never => {
    throw new JsonSyntaxError(i >= text.length ? `unexpected end of input, expected ${what}` : `unexpected '${text[i]}', expected ${what}`, i);
  };
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const str = (): string => {
    i++; // opening quote
    let out = '';
    let start = i;
    for (;;) {
      if (i >= text.length) fail('a closing "');
      const ch = text.charCodeAt(i);
      if (ch === 0x22) {
        out += text.slice(start, i);
        i++;
        return out;
      }
      if (ch < 0x20) fail('no control characters in a string');
      if (ch === 0x5c) {
        out += text.slice(start, i);
        const e = text[i + 1] ?? '';
        if (e === 'u') {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
            i += 2;
            fail('four hex digits');
          }
          out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
        } else if (e in ESCAPES) {
          out += ESCAPES[e];
          i += 2;
        } else {
          i++;
          fail('an escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u)');
        }
        start = i;
      } else i++;
    }
  };
  const value = (): JsonValue => {
    ws();
    const ch = text[i];
    if (ch === '{') {
      i++;
      const obj: Record<string, JsonValue> = {};
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('a key in double quotes');
        const key = str();
        ws();
        if (text[i] !== ':') fail("':'");
        i++;
        const v = value();
        if (!Object.prototype.hasOwnProperty.call(obj, key)) obj[key] = v; // the first of duplicate keys wins, as in DuckDB
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return obj;
        } else fail("',' or '}'");
      }
    }
    if (ch === '[') {
      i++;
      const arr: JsonValue[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return arr;
        } else fail("',' or ']'");
      }
    }
    if (ch === '"') return str();
    if (text.startsWith('true', i)) return (i += 4), true;
    if (text.startsWith('false', i)) return (i += 5), false;
    if (text.startsWith('null', i)) return (i += 4), null;
    NUMBER_RE.lastIndex = i;
    const m = NUMBER_RE.exec(text);
    if (m) {
      i += m[0].length;
      return new JsonNumber(m[0]);
    }
    return fail('a value');
  };
  const v = value();
  ws();
  if (i < text.length) fail('the end of the input');
  return v;
}

/** DuckDB's text for a JSON number. */
export function jsonNumberText(raw: string): string {
  if (/^-?\d+$/.test(raw)) return raw.replace(/^(-?)0+(?=\d)/, '$1');
  const n = Number(raw);
  if (Object.is(n, -0)) return '-0.0';
  const s = String(n).replace('e+', 'e');
  return /[.e]/.test(s) || !Number.isFinite(n) ? s : `${s}.0`;
}

function compact(v: JsonValue): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'boolean') return String(v);
  if (v instanceof JsonNumber) return jsonNumberText(v.raw);
  if (Array.isArray(v)) return `[${v.map(compact).join(',')}]`;
  return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${compact(x)}`).join(',')}}`;
}

/** The VARCHAR DuckDB reads for a JSON value (strings unquoted, JSON null -> SQL NULL). */
export function duckdbJsonText(v: JsonValue | undefined): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v;
  return compact(v);
}
