import { afterEach, describe, expect, it } from 'vitest';
import { loadSpec } from '../../spec/load.js';
import { runStages, type StageRun } from '../../../node/testing/stageHarness.js';

const spec = (join: string) => `version: 1
name: t
sources:
  a: { format: csv, path: a.csv, schema: [{ name: k1, type: string }, { name: k2, type: integer }, { name: x, type: string }] }
  b: { format: csv, path: b.csv, schema: [{ name: k1, type: string }, { name: kk, type: integer }, { name: x, type: string }] }
stages:
  - { name: ra, kind: ingest, source: a }
  - { name: rb, kind: ingest, source: b }
  - ${join}
`;
// a: (p,1,a1) (p,2,a2) (q,1,a3) (NULL,1,a4); b: (p,1,b1) (p,1,b2) (r,9,b3) (NULL,1,b4)
const files = { 'a.csv': 'k1,k2,x\np,1,a1\np,2,a2\nq,1,a3\n,1,a4\n', 'b.csv': 'k1,kk,x\np,1,b1\np,1,b2\nr,9,b3\n,1,b4\n' };
const on = 'on: [k1, { left: k2, right: kk }]';

let run: StageRun | undefined;
afterEach(async () => {
  await run?.close();
  run = undefined;
});

async function joined(type: string) {
  run = await runStages(spec(`{ name: j, kind: join, left: ra, right: rb, type: ${type}, ${on}, right_prefix: b_ }`), files);
  return run.rows('j', 'ALL');
}

describe('join', () => {
  it('inner: multi-key matches only, NULL keys never match; right key with the same name is not repeated', async () => {
    expect(await joined('inner')).toEqual([
      { k1: 'p', k2: '1', x: 'a1', kk: '1', b_x: 'b1' },
      { k1: 'p', k2: '1', x: 'a1', kk: '1', b_x: 'b2' },
    ]);
  });

  it('left keeps unmatched left rows with NULLs', async () => {
    const rows = await joined('left');
    expect(rows.map((r) => [r['x'], r['b_x']])).toEqual([
      ['a1', 'b1'],
      ['a1', 'b2'],
      ['a2', null],
      ['a3', null],
      ['a4', null],
    ]);
  });

  it('full keeps both sides; the shared key is coalesced', async () => {
    const rows = await joined('full');
    expect(rows).toHaveLength(7); // 2 matches + 3 unmatched left + 2 unmatched right (r, NULL)
    expect(rows.filter((r) => r['x'] === null).map((r) => [r['k1'], r['b_x']])).toEqual([
      ['r', 'b3'],
      [null, 'b4'],
    ]);
  });

  it('anti keeps left rows without a match, with the left columns only', async () => {
    expect(await joined('anti')).toEqual([
      { k1: 'p', k2: '2', x: 'a2' },
      { k1: 'q', k2: '1', x: 'a3' },
      { k1: null, k2: '1', x: 'a4' },
    ]);
  });

  it('right_columns keeps only the listed right columns; right_prefix_mode all prefixes every right column', async () => {
    run = await runStages(spec(`{ name: j, kind: join, left: ra, right: rb, type: inner, ${on}, right_columns: [kk] }`), files);
    expect(await run.rows('j', 'ALL')).toEqual([
      { k1: 'p', k2: '1', x: 'a1', kk: '1' },
      { k1: 'p', k2: '1', x: 'a1', kk: '1' },
    ]);
    await run.close();
    run = await runStages(spec(`{ name: j, kind: join, left: ra, right: rb, type: left, ${on}, right_prefix: b_, right_prefix_mode: all }`), files);
    const rows = await run.rows('j', 'ALL');
    expect(Object.keys(rows[0]!)).toEqual(['k1', 'k2', 'x', 'b_kk', 'b_x']);
    expect(rows.map((r) => [r['x'], r['b_kk'], r['b_x']])).toEqual([
      ['a1', '1', 'b1'],
      ['a1', '1', 'b2'],
      ['a2', null, null],
      ['a3', null, null],
      ['a4', null, null],
    ]);
  });

  it('refuses unknown or repeated right_columns, and right_prefix_mode all without a prefix', () => {
    const diags = loadSpec(spec(`{ name: j, kind: join, left: ra, right: rb, type: inner, ${on}, right_columns: [kk, y, kk], right_prefix_mode: all }`)).diagnostics.filter((d) => d.severity === 'error');
    expect(diags.map((d) => d.message)).toEqual(["unknown column 'y'", "'kk' is listed twice", 'right_prefix_mode: all needs a right_prefix']);
  });

  it('refuses clashing column names without a prefix, and keys of different types', () => {
    const diags = loadSpec(spec('{ name: j, kind: join, left: ra, right: rb, type: inner, on: [k1, { left: x, right: kk }] }')).diagnostics.filter((d) => d.severity === 'error');
    expect(diags.map((d) => [d.message, d.hint])).toEqual([
      ["cannot join string 'x' with integer 'kk'", 'cast one side in a cleanse step first'],
      ["both sides have a column 'x'", "set right_prefix (e.g. 'r_') or rename one side"],
    ]);
  });
});
