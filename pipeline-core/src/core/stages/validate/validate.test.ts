import { afterEach, describe, expect, it } from 'vitest';
import { loadSpec } from '../../spec/load.js';
import { runStages, type StageRun } from '../../../node/testing/stageHarness.js';

/**
 * Every rule on hand-made rows. orders: (1,a,10.00,PAID,2026-01-01 10:00) (2,a,-5.00,paid,…)
 * (2,b,7.50,PAID,…) (4,NULL,1.00,VOID,…) (5,c,3.00,PAID,2025-12-30 10:00); customers: a, b.
 */
const SOURCES = `sources:
  o:
    format: csv
    path: o.csv
    schema: [{ name: id, type: integer }, { name: cust, type: string }, { name: amount, type: "decimal(8,2)" }, { name: status, type: string }, { name: at, type: timestamp }]
  c: { format: csv, path: c.csv, schema: [{ name: cust, type: string }, { name: day_total, type: "decimal(8,2)" }] }
`;
const FILES = {
  'o.csv': 'id,cust,amount,status,at\n1,a,10.00,PAID,2026-01-01 10:00:00\n2,a,-5.00,paid,2026-01-01 11:00:00\n2,b,7.50,PAID,2026-01-01 12:00:00\n4,,1.00,VOID,2026-01-01 13:00:00\n5,c,3.00,PAID,2025-12-30 10:00:00\n',
  'c.csv': 'cust,day_total\na,5.00\nb,7.45\n',
};
const spec = (rules: string) => `version: 1
name: t
parameters: { run_date: { type: date, default: "2026-01-01" } }
${SOURCES}stages:
  - { name: ro, kind: ingest, source: o }
  - { name: rc, kind: ingest, source: c }
  - name: v
    kind: validate
    input: ro
    rules:
${rules}
`;

let run: StageRun | undefined;
afterEach(async () => {
  await run?.close();
  run = undefined;
});

async function check(rules: string) {
  run = await runStages(spec(rules), FILES);
  return { rules: run.result.rules, stage: run.result.stages.find((s) => s.name === 'v')! };
}

const outcome = (rules: readonly { name: string; status: string; failing: number }[]) => rules.map((r) => [r.name, r.status, r.failing]);

describe('row rules', () => {
  it('count failing rows with SQL NULL semantics (NULL passes value rules)', async () => {
    const { rules } = await check(`      - { rule: not_null, columns: [cust] }
      - { rule: unique, columns: [id] }
      - { rule: unique, columns: [id, cust] }
      - { rule: accepted_values, column: status, values: [PAID, CANCELLED] }
      - { rule: range, column: amount, min: 0, max: 9.99 }
      - { rule: regex, column: status, pattern: "[A-Z]+" }
      - { rule: relationship, columns: [cust], to: rc }
      - { rule: expression, expr: "amount > 0 OR status = 'paid'" }`);
    expect(outcome(rules)).toEqual([
      ['not_null_cust', 'fail', 1], // row 4
      ['unique_id', 'fail', 2], // the two id=2 rows
      ['unique_id_cust', 'pass', 0],
      ['accepted_values_status', 'fail', 2], // 'paid', 'VOID'
      ['range_amount', 'fail', 2], // 10.00 > 9.99, -5.00 < 0
      ['regex_status', 'fail', 1], // 'paid'
      ['relationship_cust', 'fail', 1], // c (NULL passes)
      ['expression', 'pass', 0], // -5.00 has status 'paid'
    ]);
  });

  it('action reject moves failing rows to rejects with every reason; others flow on', async () => {
    const { rules, stage } = await check(`      - { rule: accepted_values, column: status, values: [PAID], action: reject, severity: warn }
      - { rule: range, column: amount, min: 0, action: reject, severity: warn }
      - { rule: not_null, columns: [cust], action: warn, severity: warn }`);
    expect(stage).toMatchObject({ rows_in: 5, rows_out: 3, rejected: 2 });
    expect(outcome(rules)).toEqual([
      ['accepted_values_status', 'fail', 2],
      ['range_amount', 'fail', 1],
      ['not_null_cust', 'fail', 1],
    ]);
    const rejects = await run!.rejects('v');
    expect(rejects.map((r) => [r['id'], r['source_line'], r['reject_reason']])).toEqual([
      ['2', '3', "accepted_values_status: status: 'paid' is not an accepted value; range_amount: amount: -5.00 is outside [0, +inf]"],
      ['4', '5', "accepted_values_status: status: 'VOID' is not an accepted value"],
    ]);
    expect((await run!.rows('v', 'id')).map((r) => r['id'])).toEqual(['1', '2', '5']);
  });

  it('shows samples of failing rows with the reason', async () => {
    const { rules } = await check('      - { rule: relationship, columns: [cust], to: rc, to_columns: [cust] }');
    expect(rules[0]!.samples).toEqual([{ reason: 'cust=c has no match in rc', id: '5', cust: 'c', amount: '3.00', status: 'PAID', at: '2025-12-30 10:00:00' }]);
  });
});

describe('table rules', () => {
  it('row_count, freshness, conservation', async () => {
    const { rules } = await check(`      - { rule: row_count, min: 1, max: 4 }
      - { rule: freshness, column: at, max_age_hours: 12 }
      - { rule: freshness, column: at, max_age_hours: 10.5, name: stale }
      - { rule: conservation, stage: ro }`);
    // 5 rows > max 4. Latest 'at' is 2026-01-01 13:00; the run date ends 2026-01-02 00:00, 11 h later:
    // fresh within 12 h, stale for 10.5 h.
    expect(outcome(rules)).toEqual([
      ['row_count', 'fail', 1],
      ['freshness_at', 'pass', 0],
      ['stale', 'fail', 1],
      ['conservation', 'pass', 0],
    ]);
    expect(rules[0]!.samples).toEqual([{ row_count: '5', min: 1, max: 4 }]);
  });

  it('reconcile reports each group outside the tolerance with both values and the difference', async () => {
    const rule = (tol: string) => `      - rule: reconcile
        left: { fn: sum, column: amount, group_by: [cust] }
        right: { stage: rc, fn: sum, column: day_total, group_by: [cust] }
        tolerance: ${tol}`;
    // left sums: a 10.00 + -5.00 = 5.00; b 7.50; c 3.00; NULL 1.00. right: a 5.00, b 7.45.
    let { rules } = await check(rule('{ absolute: 0.01 }'));
    expect(rules[0]).toMatchObject({ status: 'fail', failing: 3 });
    expect(rules[0]!.samples).toEqual([
      { cust: 'b', left_value: 7.5, right_value: 7.45, difference: 0.05 },
      { cust: 'c', left_value: 3, right_value: null, difference: 3 },
      { cust: null, left_value: 1, right_value: null, difference: 1 },
    ]);
    await run?.close();
    // relative 1%: b differs by 0.05 of 7.5 (0.67%) and passes; c and NULL have nothing on the right
    ({ rules } = await check(rule('{ relative: 0.01 }')));
    expect(rules[0]).toMatchObject({ status: 'fail', failing: 2 });
  });

  it('reconcile sides can count the rows where a condition holds (count_if over an expression)', async () => {
    // left, status = 'PAID' per cust: a 1 (of 2), b 1, c 1, NULL 0; right, day_total > 6: a 0, b 1
    const { rules } = await check(`      - rule: reconcile
        left: { fn: count_if, expr: "status = 'PAID'", group_by: [cust] }
        right: { stage: rc, fn: count_if, expr: "day_total > 6", group_by: [cust] }`);
    expect(rules[0]).toMatchObject({ status: 'fail', failing: 2 });
    expect(rules[0]!.samples).toEqual([
      { cust: 'a', left_value: 1, right_value: 0, difference: 1 },
      { cust: 'c', left_value: 1, right_value: null, difference: 1 },
    ]);
  });
});

describe('rule checks at load time', () => {
  it('refuses reject on a table rule and a bad regex, and names unknown columns', () => {
    const diags = loadSpec(spec(`      - { rule: row_count, min: 1, action: reject }
      - { rule: regex, column: status, pattern: "([" }
      - { rule: unique, columns: [idd] }`)).diagnostics.filter((d) => d.severity === 'error');
    expect(diags.map((d) => d.message)).toEqual([
      'a row_count rule judges the whole dataset, so it cannot reject rows',
      expect.stringMatching(/^invalid regular expression/),
      "unknown column 'idd'",
    ]);
  });
});
