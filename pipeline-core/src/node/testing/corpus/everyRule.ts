import type { Prng } from '../../samples/prng.js';
import type { CorpusCase } from './corpus.js';

/**
 * Every rule kind with every severity and every action. `checked` holds rules that fail (their
 * outcomes worked out below); `combos` gives each kind the severities and actions `checked` lacks,
 * over data where they pass. Day 1: a warn-severity rule with action fail fails (exit 0, nothing
 * published). Day 2: an error-severity rule with action reject fails (exit 3, outputs published).
 * A Parquet source (typed columns, NULLs, decimal and float edges; no rows on day 2) is left-joined.
 */
const SPEC = `version: 1
name: every_rule
description: Every rule kind, severity and action (conformance corpus).
parameters:
  run_date: { type: date, default: "2026-01-02" }
sources:
  items:
    format: csv
    path: items/items_{run_date}.csv
    schema:
      - { name: id, type: integer }
      - { name: code, type: string }
      - { name: qty, type: integer }
      - { name: price, type: double }
      - { name: day, type: date }
      - { name: seen_at, type: timestamp }
      - { name: active, type: boolean }
      - { name: shop, type: string }
  shops:
    format: ndjson
    path: shops/shops_{run_date}.ndjson
    schema:
      - { name: shop, type: string }
      - { name: budget, type: "decimal(10,2)" }
  budgets:
    format: parquet
    path: budgets/budgets_{run_date}.parquet
    schema:
      - { name: shop, type: string }
      - { name: amount, type: "decimal(12,2)" }
      - { name: since, type: timestamp }
      - { name: share, type: double }
      - { name: share_text, type: string }
      - { name: open, type: boolean }
      - { name: visits, type: integer }
      - { name: opened, type: date }
stages:
  - { name: raw_items, kind: ingest, source: items }
  - { name: raw_shops, kind: ingest, source: shops }
  - { name: raw_budgets, kind: ingest, source: budgets }
  - name: items
    kind: cleanse
    input: raw_items
    steps:
      - { step: trim, columns: [code] }
      - { step: derive, column: total, expr: "qty * price" }
  - name: checked
    kind: validate
    input: items
    rules:
      - { rule: not_null, columns: [code, shop], severity: warn, action: warn }
      - { rule: unique, columns: [id], severity: error, action: reject }
      - { rule: accepted_values, column: qty, values: [1, 2, 3, 5], severity: warn, action: warn }
      - { rule: accepted_values, column: active, values: [true], severity: warn, action: warn }
      - { rule: range, column: day, min: "2026-01-01", max: "2026-01-02", severity: warn, action: reject }
      - { rule: range, column: price, min: 0.5, severity: warn, action: warn }
      - { rule: regex, column: code, pattern: "[A-Z]{2}-\\\\d+", severity: warn, action: warn }
      - { rule: relationship, columns: [shop], to: raw_shops, severity: warn, action: reject }
      # the literal holds Jinja openers: the dbt export must escape them in models and tests
      - { rule: expression, expr: "day <= $run_date AND price > 0 AND coalesce(code, '') <> '{{x}} {%y%} {#z#}'", severity: warn, action: reject }
      - { name: few_rows, rule: row_count, max: 5, severity: warn, action: fail }
      - { name: fresh, rule: freshness, column: seen_at, max_age_hours: 12, severity: warn, action: warn }
      - { rule: conservation, stage: items, severity: error, action: fail }
      - name: budget_covers
        rule: reconcile
        left: { fn: sum, column: total, group_by: [shop] }
        right: { stage: raw_shops, fn: sum, column: budget, group_by: [shop] }
        tolerance: { relative: 0.5 }
        severity: warn
        action: warn
  - name: combos
    kind: validate
    input: checked
    rules:
      - { name: id_present, rule: not_null, columns: [id], severity: error, action: fail }
      - { name: id_present_r, rule: not_null, columns: [id], severity: warn, action: reject }
      - { name: id_code_unique, rule: unique, columns: [id, code], severity: warn, action: fail }
      - { name: code_unique, rule: unique, columns: [code], severity: warn, action: warn }
      - { name: active_known, rule: accepted_values, column: active, values: [true, false], severity: error, action: fail }
      - { name: shop_known, rule: accepted_values, column: shop, values: [s1, s2, s3], severity: warn, action: reject }
      - { name: qty_sane, rule: range, column: qty, min: 0, max: 100, severity: error, action: fail }
      - { name: shop_shape, rule: regex, column: shop, pattern: "s\\\\d", severity: error, action: fail }
      - { name: code_shape, rule: regex, column: code, pattern: "[A-Za-z]{2}-\\\\d+", severity: warn, action: reject }
      - { name: id_in_items, rule: relationship, columns: [id], to: items, severity: error, action: fail }
      - { name: id_in_items_w, rule: relationship, columns: [id], to: items, to_columns: [id], severity: warn, action: warn }
      - { name: positive_id, rule: expression, expr: "id > 0", severity: error, action: fail }
      - { name: small_qty, rule: expression, expr: "qty <= 5", severity: warn, action: warn }
      - { name: some_rows, rule: row_count, min: 1, severity: error, action: warn }
      - { name: not_too_many, rule: row_count, max: 100, severity: warn, action: warn }
      - { name: fresh_enough, rule: freshness, column: seen_at, max_age_hours: 1000, severity: error, action: fail }
      - { name: fresh_enough_w, rule: freshness, column: seen_at, max_age_hours: 1000, severity: error, action: warn }
      - { name: raw_conserved, rule: conservation, stage: raw_items, severity: warn, action: fail }
      - { name: input_conserved, rule: conservation, severity: warn, action: warn }
      - name: budget_max_agrees
        rule: reconcile
        left: { stage: raw_shops, fn: max, column: budget }
        right: { stage: raw_shops, fn: max, column: budget }
        severity: error
        action: fail
      - name: shop_count_close
        rule: reconcile
        left: { fn: count_distinct, column: shop }
        right: { stage: raw_shops, fn: count, column: shop }
        tolerance: { absolute: 10 }
        severity: warn
        action: fail
      - name: prices_close
        rule: reconcile
        left: { fn: avg, column: price, group_by: [shop] }
        right: { stage: checked, fn: min, column: price, group_by: [shop] }
        tolerance: { absolute: 100 }
        severity: warn
        action: warn
  - name: by_shop
    kind: aggregate
    input: combos
    group_by: [shop]
    measures:
      - { name: n, fn: count }
      - { name: revenue, fn: sum, column: total }
  - { name: item_budget, kind: join, left: checked, right: raw_shops, type: inner, on: [shop], right_prefix: shop_ }
  - { name: shop_budget, kind: join, left: combos, right: raw_budgets, type: left, on: [shop], right_prefix: b_ }
  # custom SQL runs as written on dbt-duckdb (its literal holds a Jinja opener too)
  - name: shop_names
    kind: sql
    inputs: [raw_shops]
    sql: "SELECT upper(shop) AS shop_code, budget FROM raw_shops WHERE shop <> '{{none}}'"
    schema: [{ name: shop_code, type: string }, { name: budget, type: "decimal(10,2)" }]
  - { name: both_shop_lists, kind: union, inputs: [shop_names, shop_names] }
  - { name: items_out, kind: output, input: combos, format: parquet, path: items, partition_by: [day] }
  - { name: shops_out, kind: output, input: by_shop, format: csv, path: "shops/{run_date}" }
  - { name: item_budget_out, kind: output, input: item_budget, format: parquet, path: item_budget }
  - { name: shop_budget_out, kind: output, input: shop_budget, format: parquet, path: "shop_budget/{run_date}" }
  - { name: shop_names_out, kind: output, input: both_shop_lists, format: csv, path: "shop_names/{run_date}" }
`;

const BUDGETS_DAY1 = `SELECT * FROM (VALUES
  ('s1', 99999999.99::DECIMAL(12,2), TIMESTAMP '2026-01-01 10:00:00.123456', 0.1::DOUBLE, '0.1', true, 9223372036854775807::BIGINT, DATE '2026-01-01'),
  ('s2', -0.01::DECIMAL(12,2), TIMESTAMP '2025-10-26 01:30:00', 1.0::DOUBLE / 3, '1e20', false, -1::BIGINT, DATE '1999-12-31'),
  (NULL, 0::DECIMAL(12,2), NULL, -0.0::DOUBLE, NULL, NULL, NULL, NULL),
  ('s9', NULL, TIMESTAMP '2026-03-29 01:00:00', 12345678.9::DOUBLE, 'n/a', true, 0::BIGINT, DATE '2026-02-28')
) t(shop, amount, since, share, share_text, open, visits, opened)`;

const BUDGETS_EMPTY = `SELECT NULL::VARCHAR AS shop, NULL::DECIMAL(12,2) AS amount, NULL::TIMESTAMP AS since, NULL::DOUBLE AS share,
  NULL::VARCHAR AS share_text, NULL::BOOLEAN AS open, NULL::BIGINT AS visits, NULL::DATE AS opened WHERE false`;

export function everyRuleCase(rng: Prng): CorpusCase {
  // the seed decides the order of day 2's rows: the outcomes do not depend on it
  const day2 = rng.sample(
    [
      '1,AB-1,1,2.5,2026-01-02,2026-01-03 10:00:00,true,s1',
      '1,AB-12,2,2.5,2026-01-02,2026-01-03 10:30:00,true,s1',
      '2,CD-2,3,4,2026-01-03,2026-01-03 11:00:00,true,s2',
      '3,EF-3,5,1.5,2026-01-02,2026-01-02 23:00:00,false,s2',
    ],
    4,
  );
  return {
    name: 'every_rule',
    description: 'every rule kind with every severity and action; a Parquet source; day 1 fails a warn rule with action fail, day 2 an error rule with action reject',
    spec: SPEC,
    days: [
      {
        runDate: '2026-01-02',
        files: {
          'items/items_2026-01-02.csv': `id,code,qty,price,day,seen_at,active,shop
1,AB-1,1,2.5,2026-01-01,2026-01-02 10:00:00,true,s1
2, CD-22 ,2,3.0,2026-01-02,2026-01-02 11:00:00,false,s1
3,xx-3,4,1.25,2026-01-02,2026-01-02 12:00:00,true,s2
4,,3,0,2026-01-02,2026-01-01 08:00:00,true,s2
5,EF-5,5,0.25,2025-12-31,2026-01-02 09:00:00,,s3
6,GH-6,2,10,2026-01-02,2026-01-02 13:00:00,true,
7,IJ-7,two,1,2026-01-02,2026-01-02 13:00:00,true,s1
`,
          'shops/shops_2026-01-02.ndjson': '{"shop":"s1","budget":"10.00"}\n{"shop":"s2","budget":"5.5"}\n{"shop":"s4","budget":"1"}\n',
          'budgets/budgets_2026-01-02.parquet': { parquet: BUDGETS_DAY1 },
        },
        // row 7's qty is not an integer (rejected on ingest), so `items` has 6 rows and few_rows
        // (max 5) fails; id 4 has no code and id 6 no shop; qty 4 and active false are not
        // accepted; id 5's day is before the range (rejected); prices 0 and 0.25 are below 0.5;
        // 'xx-3' is lower case; s3 is not a shop (rejected); id 4's price 0 fails the expression
        // (rejected); budget_covers: s3 (1.25), the NULL shop (20) and s4 (budget 1) have no
        // counterpart within 50%. Freshness: the latest seen_at is 11 h before the day's end.
        expect: {
          exitCode: 0,
          published: false,
          failing: [
            'checked.not_null_code_shop', 'checked.accepted_values_qty', 'checked.accepted_values_active', 'checked.range_day', 'checked.range_price',
            'checked.regex_code', 'checked.relationship_shop', 'checked.expression', 'checked.few_rows', 'checked.budget_covers',
          ],
        },
      },
      {
        runDate: '2026-01-03',
        files: {
          'items/items_2026-01-03.csv': `id,code,qty,price,day,seen_at,active,shop\n${day2.join('\n')}\n`,
          'shops/shops_2026-01-03.ndjson': '{"shop":"s1","budget":"7.5"}\n{"shop":"s2","budget":"20"}\n',
          'budgets/budgets_2026-01-03.parquet': { parquet: BUDGETS_EMPTY },
        },
        // id 1 twice (unique, error, reject: exit 3, both rows rejected, outputs published); id 3
        // is inactive; id 2's day is after the range; the latest seen_at is 13 h before the end
        // of the day (> 12 h); s1 7.5 = 7.5 and s2 19.5 vs 20 reconcile.
        expect: { exitCode: 3, published: true, failing: ['checked.unique_id', 'checked.accepted_values_active', 'checked.range_day', 'checked.fresh'] },
      },
    ],
  };
}
