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
