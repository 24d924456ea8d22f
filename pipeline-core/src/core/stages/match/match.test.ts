import { afterEach, describe, expect, it } from 'vitest';
import { loadSpec } from '../../spec/load.js';
import { runStages, type StageRun } from '../../../node/testing/stageHarness.js';

/**
 * One night of matching (no carried state). Every expected pairing is worked out by hand from
 * the rules: candidates share the key and fall in the date window; pairs within tolerance are
 * taken one-to-one in the order closest amount, closest date, smallest left id, smallest right id.
 */
const withKeys = (match: string) => (match.includes('keys:') ? match : `keys: [{ left: k, right: ref }], ${match}`);
const spec = (match: string) => `version: 1
name: t
sources:
  l: { format: csv, path: l.csv, schema: [{ name: id, type: integer }, { name: k, type: string }, { name: amt, type: "decimal(10,2)" }, { name: d, type: date }] }
  r: { format: csv, path: r.csv, schema: [{ name: rid, type: integer }, { name: ref, type: string }, { name: paid, type: "decimal(10,2)" }, { name: on_day, type: date }] }
stages:
  - { name: ll, kind: ingest, source: l }
  - { name: rr, kind: ingest, source: r }
  - { name: m, kind: match, left: ll, right: rr, amount: { left: amt, right: paid }, ${withKeys(match)} }
  - { name: o1, kind: output, input: m.matched, format: parquet, path: a }
  - { name: o2, kind: output, input: m.mismatched, format: parquet, path: b }
  - { name: o3, kind: output, input: m.unmatched_left, format: parquet, path: c }
  - { name: o4, kind: output, input: m.unmatched_right, format: parquet, path: d }
`;

let run: StageRun | undefined;
afterEach(async () => {
  await run?.close();
  run = undefined;
});

type Pair = [number, number];
async function outcome(match: string, l: string, r: string) {
  run = await runStages(spec(match), { 'l.csv': `id,k,amt,d\n${l}`, 'r.csv': `rid,ref,paid,on_day\n${r}` }, { run_date: '2026-01-10' });
  const pairs = async (o: string) => (await run!.rows(`m.${o}`, 'id, rid')).map((x) => [Number(x['id']), Number(x['rid'])] as Pair);
  return {
    matched: await pairs('matched'),
    mismatched: await pairs('mismatched'),
    left: (await run.rows('m.unmatched_left', 'id')).map((x) => Number(x['id'])),
    right: (await run.rows('m.unmatched_right', 'rid')).map((x) => Number(x['rid'])),
  };
}

describe('match: tolerance', () => {
  it('absolute: a difference of exactly the tolerance matches, one cent more is mismatched', async () => {
    const got = await outcome('tolerance: { absolute: 0.05 }', '1,A,10.00,2026-01-01\n2,B,10.00,2026-01-01\n3,C,10.00,2026-01-01\n', '10,A,10.05,2026-01-01\n11,B,10.06,2026-01-01\n12,Z,10.00,2026-01-01\n');
    expect(got).toEqual({ matched: [[1, 10]], mismatched: [[2, 11]], left: [3], right: [12] });
  });

  it('relative: 1% of 200.00 is 2.00 (in), 2.01 is out; no tolerance means exact', async () => {
    expect(await outcome('tolerance: { relative: 0.01 }', '4,D,200.00,2026-01-01\n5,E,200.00,2026-01-01\n', '13,D,202.00,2026-01-01\n14,E,202.01,2026-01-01\n')).toMatchObject({ matched: [[4, 13]], mismatched: [[5, 14]] });
    expect(await outcome('cardinality: one_to_one', '4,D,200.00,2026-01-01\n5,E,200.00,2026-01-01\n', '13,D,200.00,2026-01-01\n14,E,200.01,2026-01-01\n')).toMatchObject({ matched: [[4, 13]], mismatched: [[5, 14]] });
  });

  it('amount_diff is right minus left, days_late right date minus left date', async () => {
    await outcome('tolerance: { absolute: 0.05 }, date: { left: d, right: on_day, within_days: 3 }', '1,A,10.00,2026-01-01\n', '10,A,10.03,2026-01-03\n');
    const [row] = await run!.rows('m.matched');
    // the engine hands back integers and decimals as text
    expect(row).toMatchObject({ id: '1', rid: '10', amount_diff: '0.03', days_late: '2', match_type: 'one_to_one', left_opened: '2026-01-10', right_opened: '2026-01-10' });
  });
});

describe('match: ties are broken deterministically', () => {
  it('equal amounts and dates: the smallest left id takes the smallest right id', async () => {
    // candidates (1,10) (2,10) gap 0; (1,11) (2,11) gap 0.01 → (1,10) first, then (2,11)
    const got = await outcome('tolerance: { absolute: 0.05 }', '2,A,10.00,2026-01-01\n1,A,10.00,2026-01-01\n', '11,A,10.01,2026-01-01\n10,A,10.00,2026-01-01\n');
    expect(got.matched).toEqual([[1, 10], [2, 11]]);
  });

  it('the closest date wins over the smaller id', async () => {
    const got = await outcome('date: { left: d, right: on_day, within_days: 5 }', '1,B,10.00,2026-01-01\n2,B,10.00,2026-01-03\n', '10,B,10.00,2026-01-03\n');
    expect(got).toEqual({ matched: [[2, 10]], mismatched: [], left: [1], right: [] });
  });

  it('the closest amount wins over the closest date', async () => {
    const got = await outcome('tolerance: { absolute: 0.05 }, date: { left: d, right: on_day, within_days: 5 }', '1,C,10.00,2026-01-01\n', '10,C,10.04,2026-01-01\n11,C,10.00,2026-01-03\n');
    expect(got).toEqual({ matched: [[1, 11]], mismatched: [], left: [], right: [10] });
  });

  it('a chain of conflicts resolves as the sequential greedy pass does', async () => {
    // gaps in cents: (1,11)=0 (1,10)=1 (2,10)=1 (3,12)=1 (2,11)=2 (2,12)=3 (3,10)=3 (3,11)=4 (1,12)=5
    // in that order: (1,11) taken, (1,10) skipped (1 is taken), (2,10) taken, (3,12) taken
    const got = await outcome('tolerance: { absolute: 0.05 }', '1,A,10.00,2026-01-01\n2,A,10.02,2026-01-01\n3,A,10.04,2026-01-01\n', '10,A,10.01,2026-01-01\n11,A,10.00,2026-01-01\n12,A,10.05,2026-01-01\n');
    expect(got.matched).toEqual([[1, 11], [2, 10], [3, 12]]);
  });

  it('equals a plain sequential greedy pass over random data', async () => {
    // a small LCG, so the data is the same on every run
    let seed = 7;
    const next = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    const items = (n: number, base: number) => Array.from({ length: n }, (_, i) => ({ id: base + i, k: `K${next(4)}`, cents: 1000 + next(12), day: 1 + next(3) }));
    const L = items(30, 1);
    const R = items(30, 100);
    const csv = (xs: typeof L) => xs.map((x) => `${x.id},${x.k},${(x.cents / 100).toFixed(2)},2026-01-0${x.day}`).join('\n') + '\n';
    // the rules, re-implemented plainly: same key, right date 0..2 days after, within 5 cents
    const cands = L.flatMap((l) => R.filter((r) => r.k === l.k && r.day >= l.day && r.day - l.day <= 2).map((r) => ({ l: l.id, r: r.id, gap: Math.abs(r.cents - l.cents), days: r.day - l.day })));
    const greedy = (cs: typeof cands, used: Set<string>) => {
      const out: Pair[] = [];
      for (const c of [...cs].sort((a, b) => a.gap - b.gap || a.days - b.days || a.l - b.l || a.r - b.r)) {
        if (used.has(`l${c.l}`) || used.has(`r${c.r}`)) continue;
        used.add(`l${c.l}`).add(`r${c.r}`);
        out.push([c.l, c.r]);
      }
      return out.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    };
    const used = new Set<string>();
    const matched = greedy(cands.filter((c) => c.gap <= 5), used);
    const mismatched = greedy(cands.filter((c) => c.gap > 5), used);
    const got = await outcome('tolerance: { absolute: 0.05 }, date: { left: d, right: on_day, within_days: 2 }', csv(L), csv(R));
    expect(matched.length).toBeGreaterThan(5);
    expect(got.matched).toEqual(matched);
    expect(got.mismatched).toEqual(mismatched);
  });
});

describe('match: date window', () => {
  it('the right date may fall on the left date or up to within_days after it, never before', async () => {
    const got = await outcome('date: { left: d, right: on_day, within_days: 3 }', '1,A,10.00,2026-01-01\n2,B,10.00,2026-01-01\n3,C,10.00,2026-01-05\n', '10,A,10.00,2026-01-04\n11,B,10.00,2026-01-05\n12,C,10.00,2026-01-04\n');
    expect(got).toEqual({ matched: [[1, 10]], mismatched: [], left: [2, 3], right: [11, 12] });
  });
});

describe('match: one_to_many', () => {
  it('one payout clears several orders whose amounts sum to it; a group outside tolerance is not cleared', async () => {
    const l = '1,INV,10.00,2026-01-01\n2,INV,20.00,2026-01-01\n3,INV,30.00,2026-01-01\n4,X,5.00,2026-01-01\n5,X,5.00,2026-01-01\n';
    const r = '10,INV,60.00,2026-01-02\n11,X,11.00,2026-01-02\n';
    const got = await outcome('tolerance: { absolute: 0.5 }, cardinality: one_to_many', l, r);
    // X: 5 + 5 = 10 is 1.00 short of 11.00 → no group; one-to-one the pair (4,11) comes first → mismatched
    expect(got).toEqual({ matched: [[1, 10], [2, 10], [3, 10]], mismatched: [[4, 11]], left: [5], right: [] });
    const rows = await run!.rows('m.matched', 'id');
    expect(rows.map((x) => [x['match_type'], x['amount_diff']])).toEqual([['one_to_many', '0.00'], ['one_to_many', '0.00'], ['one_to_many', '0.00']]);
  });

  it('one_to_one pairs the closest single order with the payout (mismatched) and leaves the others open', async () => {
    const got = await outcome('tolerance: { absolute: 0.5 }', '1,INV,10.00,2026-01-01\n2,INV,20.00,2026-01-01\n3,INV,30.00,2026-01-01\n', '10,INV,60.00,2026-01-02\n');
    expect(got).toEqual({ matched: [], mismatched: [[3, 10]], left: [1, 2], right: [] });
  });
});

describe('match: keys', () => {
  it('normalise trims and upper-cases both sides; NULL keys never match', async () => {
    const got = await outcome('keys: [{ left: k, right: ref, normalise: [trim, upper] }]', '1,ab-1,10.00,2026-01-01\n2,,10.00,2026-01-01\n', '10," AB-1 ",10.00,2026-01-01\n11,,10.00,2026-01-01\n');
    expect(got).toEqual({ matched: [[1, 10]], mismatched: [], left: [2], right: [11] });
  });
});

describe('match: located errors for bad configurations', () => {
  const errors = (match: string, extra = '') =>
    loadSpec(spec(match) + extra)
      .diagnostics.filter((d) => d.severity === 'error')
      .map((d) => `${d.line}:${d.column} ${d.message}`);

  it('names each bad column, type and option at its place', () => {
    // the match stage is line 9 of the spec; columns count from 1
    const line = spec('keys: [{ left: kk, right: ref }], tolerance: { absolute: 0.1 }').split('\n')[8]!;
    expect(errors('keys: [{ left: kk, right: ref }], tolerance: { absolute: 0.1 }')).toEqual([`9:${line.indexOf('kk') + 1} unknown column 'kk'`]);
    expect(errors('keys: [{ left: id, right: ref, normalise: [trim] }]')[0]).toMatch(/^9:\d+ normalise applies to string keys; 'id' is integer$/);
    expect(errors('keys: [{ left: id, right: on_day }]')[0]).toMatch(/cannot match integer 'id' with date 'on_day'/);
    expect(errors('keys: [k], date: { left: d, right: paid, within_days: 2 }').join('\n')).toMatch(/unknown column 'k'[\s\S]*the date 'paid' is decimal\(10,2\), not a date or timestamp/);
  });

  it('refuses tolerance and one_to_many without amounts', () => {
    const text = spec('keys: [{ left: k, right: ref }], tolerance: { absolute: 1 }, cardinality: one_to_many').replace('amount: { left: amt, right: paid }, ', '');
    const msgs = loadSpec(text).diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
    expect(msgs).toEqual(['a tolerance needs amounts to compare', 'one_to_many sums the left amounts, so it needs amount']);
  });

  it('an unknown output of a match stage, and an output read before its stage, are located errors', () => {
    const bad = spec('keys: [{ left: k, right: ref }]').replace('input: m.mismatched', 'input: m.mismatch');
    expect(loadSpec(bad).diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual(["stage 'm' has no output 'mismatch'"]);
    const early = spec('keys: [{ left: k, right: ref }]').replace('- { name: rr, kind: ingest, source: r }', '- { name: rr, kind: ingest, source: r }\n  - { name: early, kind: output, input: m.matched, format: csv, path: e }');
    expect(loadSpec(early).diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual(["stage 'm' comes later in the pipeline"]);
  });
});
