import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkExpression } from '../../core/spec/analyze.js';
import { emitDuckdb } from '../../core/expr/emit/duckdb.js';
import { printExpression } from '../../core/expr/print.js';
import { rewriteExpression } from '../../core/export/rewrites.js';
import type { Schema } from '../../core/types/dataType.js';
import { NodeDuckdbEngine } from '../duckdb/nodeEngine.js';

/**
 * The rewrites an export refusal suggests keep the meaning: the runner's own DuckDB computes the
 * original and the rewritten expression over awkward strings, and every row agrees.
 */
const columns: Schema = [{ name: 'a', type: 'string' }];
const VALUES = ['x{,2}y', 'a b', '  lead and trail  ', 'Abc1', 'ABC', 'abc', 'xxy', 'xxxy', 'y', '12-ab', '\tFF', 'a,b, c', '', 'éa', 'tab\there', null];

function sql(text: string): string {
  const checked = checkExpression(text, columns, {});
  if (!checked.expr || checked.errors.length) throw new Error(`${text}: ${JSON.stringify(checked.errors)}`);
  return emitDuckdb(checked.expr, { types: checked.types! });
}

function rewritten(text: string): string {
  const checked = checkExpression(text, columns, {});
  return printExpression(rewriteExpression(checked.expr!, checked.types!));
}

let engine: NodeDuckdbEngine;
beforeAll(async () => {
  engine = await NodeDuckdbEngine.open({ memoryLimit: '256MB', threads: 1 });
});
afterAll(() => engine.close());

const rows = VALUES.map((v) => `(${v === null ? 'NULL' : `'${v.replaceAll("'", "''")}'`})`).join(', ');

describe('suggested rewrites, computed by DuckDB', () => {
  it.each([
    "regexp_replace(a, '\\s*', '')",
    "regexp_replace(a, '[ ,]*', '')",
    "regexp_replace(a, 'x?', '')",
    "regexp_matches(a, '^[[:alpha:]]+$')",
    "regexp_matches(a, '^[[:upper:]][[:lower:][:digit:]]*$')",
    "regexp_matches(a, '^[[:space:]]*[[:xdigit:]]+$')",
    "regexp_extract(a, '(?P<n>[0-9]+)-(?P<w>[a-z]+)', 2)",
    "regexp_extract(a, 'x{,2}y', 0)",
  ])('%s gives the same value on every row as its rewrite', async (text) => {
    const other = rewritten(text);
    expect(other).not.toBe(printExpression(checkExpression(text, columns, {}).expr!)); // a rewrite was made
    const got = await engine.query(`SELECT ${sql(text)} AS before, ${sql(other)} AS after FROM (VALUES ${rows}) AS t(a)`);
    expect(got).toHaveLength(VALUES.length);
    for (const r of got) expect(r['after'], `${text} → ${other}`).toEqual(r['before']);
  });

  it('removes whitespace either way (a hand-checked case)', async () => {
    const [r] = await engine.query(`SELECT ${sql(rewritten("regexp_replace(a, '\\s*', '')"))} AS v FROM (VALUES ('  a  b ')) AS t(a)`);
    expect(r!['v']).toBe('ab');
  });
});
