import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quoteString } from '../../compile/sql.js';
import { guardedStrptime, withoutCurrency, zuluAsOffset } from './stepHandlers.js';
import { strptimeLiterals } from './strptimeCodes.js';

/**
 * The cleanse step SQL rewritten to avoid regexes and failing strptime calls must give exactly
 * what the plain expressions give, on every string: each rewrite is run against the expression
 * it replaced (written out here as it was) over generated strings biased towards the characters
 * that matter (digits, signs, separators, currency marks, date punctuation, whitespace, Z/z,
 * non-ASCII), and compared value by value in DuckDB.
 */

let conn: DuckDBConnection;
beforeAll(async () => {
  conn = await (await DuckDBInstance.create()).connect();
});
afterAll(() => conn.closeSync());

const CHARS = ['0', '1', '5', '9', '+', '-', '.', ',', '/', '*', ' ', '\t', '\n', '€', '$', 'E', 'U', 'R', 'T', 't', ':', 'Z', 'z', 'é', '\u0301', '%', '2026', '-11-', '24', '01:28:48', '+01:00', ' EUR', '1,234'];
const text = fc.array(fc.constantFrom(...CHARS), { maxLength: 12 }).map((xs) => xs.join(''));
const anyText = fc.oneof(text, fc.string({ maxLength: 8 }), fc.string({ unit: 'grapheme', maxLength: 6 }));

/** Both expressions over the same values; the rows where they differ (distinct-from, so NULLs compare). */
async function differences(values: readonly string[], before: (t: string) => string, after: (t: string) => string): Promise<unknown[]> {
  const rows = values.map((v) => `(${quoteString(v)})`).join(', ');
  const r = await conn.runAndReadAll(
    `SELECT t, CAST(a AS VARCHAR) AS a, CAST(b AS VARCHAR) AS b FROM (SELECT t, ${before('t')} AS a, ${after('t')} AS b FROM (VALUES ${rows}, (NULL)) v(t)) WHERE a IS DISTINCT FROM b`,
  );
  return r.getRowObjects();
}

const property = (before: (t: string) => string, after: (t: string) => string, gen = anyText) =>
  fc.assert(
    fc.asyncProperty(fc.array(gen, { minLength: 1, maxLength: 200 }), async (values) => {
      expect(await differences(values, before, after)).toEqual([]);
    }),
    { numRuns: 60 },
  );

describe('cheaper cleanse SQL keeps every result', () => {
  it('currency stripping: ends test then regex == regex always', async () => {
    await property((t) => `trim(regexp_replace(trim(${t}), '^[^0-9+\\-.,]*|[^0-9.,]*$', '', 'g'))`, (t) => withoutCurrency(`trim(${t})`));
  });

  it('currency stripping: the fast path is taken for plain numbers and skipped for marked ones', async () => {
    // the regex is the ELSE branch: where the ends test holds the value is the trimmed text as is
    const r = await conn.runAndReadAll(`SELECT ${withoutCurrency("'1,234.50'")} a, ${withoutCurrency("'€ 12,00'")} b, ${withoutCurrency("'-3 EUR'")} c, ${withoutCurrency("'+.'")} d`);
    expect(r.getRowObjects()[0]).toEqual({ a: '1,234.50', b: '12,00', c: '-3', d: '+.' });
  });

  it("trailing Z or z as +00:00 == regexp_replace(t, '[Zz]$', '+00:00')", async () => {
    await property((t) => `regexp_replace(${t}, '[Zz]$', '+00:00')`, (t) => zuluAsOffset(t));
  });

  describe('try_strptime guarded by the literal characters == try_strptime', () => {
    const dateText = fc.array(fc.constantFrom('2026', '11', '24', '1', '-', '/', 'T', 't', ' ', '  ', ':', '01', '28', '48', '+01:00', 'Z', '.123', 'Jun', 'PM', '%', '12'), { maxLength: 12 }).map((xs) => xs.join(''));
    for (const format of ['%Y-%m-%dT%H:%M:%S%z', '%Y-%m-%d %H:%M:%S', '%d/%m/%Y', '%b %d %Y', '%Y%m%d', '%H:%M %p', '%-d.%-m.%Y', '100%% %Y', '%c']) {
      it(format, async () => {
        await property((t) => `try_strptime(${t}, ${quoteString(format)})`, (t) => guardedStrptime(t, format), fc.oneof(dateText, anyText));
      });
    }
    it('accepts the values each format parses (the guard is not vacuous)', async () => {
      const r = await conn.runAndReadAll(`SELECT CAST(${guardedStrptime("'2026-11-24T01:28:48+01:00'", '%Y-%m-%dT%H:%M:%S%z')} AS VARCHAR) a, CAST(${guardedStrptime("'24/11/2026'", '%d/%m/%Y')} AS VARCHAR) b`);
      expect(r.getRowObjects()[0]).toEqual({ a: '2026-11-24 00:28:48+00', b: '2026-11-24 00:00:00' });
    });
  });

  it('literal characters of a format, by hand', () => {
    expect(strptimeLiterals('%Y-%m-%dT%H:%M:%S%z').sort()).toEqual(['-', ':', 'T']);
    expect(strptimeLiterals('%-d.%-m.%Y')).toEqual(['.']);
    expect(strptimeLiterals('100%% %Y').sort()).toEqual(['%', '0', '1']);
    expect(strptimeLiterals('%Y %m\t%d')).toEqual([]);
  });
});
