/**
 * The format codes DuckDB's strptime accepts (1.4 / 1.5, asked of DuckDB itself); any other code
 * makes the whole query fail when it is bound, so the spec check refuses it up front.
 */
const DUCKDB_STRPTIME_CODES = new Set('a b c d -d f g h j -j m -m n p u w x y -y z A B G H -H I -I M -M S -S T U V W X Y Z %'.split(' '));

/** The first code in a format that DuckDB's strptime does not know, e.g. '%Q'; undefined when all are known. */
export function unknownStrptimeCode(format: string): string | undefined {
  for (const m of format.matchAll(/%(-?.?)/g)) {
    if (!DUCKDB_STRPTIME_CODES.has(m[1] ?? '')) return `%${m[1] ?? ''}`;
  }
  return undefined;
}

/** What DuckDB's strptime counts as whitespace: a run of it in the format matches a run in the text. */
const STRPTIME_SPACE = new Set([' ', '\t', '\n', '\v', '\f', '\r']);

/**
 * The distinct characters a format requires literally (outside its codes and whitespace):
 * DuckDB's strptime compares each one byte for byte, so a text lacking any of them cannot parse.
 * `%%` is a literal '%'; a code's own characters (and those a composite code such as %c expands
 * to) are left out, which only makes the set smaller, never wrong.
 */
export function strptimeLiterals(format: string): string[] {
  const chars = new Set<string>();
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c === '%') {
      if (format[i + 1] === '%') chars.add('%');
      i += format[i + 1] === '-' ? 2 : 1;
    } else if (!STRPTIME_SPACE.has(c)) chars.add(c);
  }
  return [...chars];
}
