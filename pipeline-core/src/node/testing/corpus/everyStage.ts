import type { Prng } from '../../samples/prng.js';
import type { CorpusCase } from './corpus.js';

/**
 * Every stage kind in one pipeline over awkward data: a semicolon CSV with NA nulls, a ragged
 * line, bad numbers, dates and booleans, a wall time inside New York's DST gap (the first day is
 * 2026-03-08), ties in a dedupe, invalid NDJSON lines, a JSON array over two files, an empty
 * header-only CSV beside the day's file, NULL join keys, inner / left / full / anti joins, a union
 * that widens a type, custom SQL, date formatting, conditional counts, computed and rounded measures,
 * a join keeping chosen right columns; day 2 has no rows for the inner join, so an error rule with
 * action fail fails (exit 3, nothing published).
 */
const SPEC = `version: 1
name: every_stage
description: Every stage kind, cleanse step and rule kind over awkward data (conformance corpus).
parameters:
  run_date: { type: date, default: "2026-03-08" }
  min_qty: { type: integer, default: 1 }
sources:
  items:
    format: csv
    path: items/items_{run_date}*.csv
    options: { delimiter: ";", null_values: ["", "NA"], encoding: utf-8, header: true }
    schema:
      - { name: id, type: integer }
      - { name: code, type: string }
      - { name: qty, type: string }
      - { name: price, type: double }
      - { name: day, type: date }
      - { name: seen_at, type: string }
      - { name: active, type: boolean }
      - { name: shop, type: string }
      - { name: note, type: string }
  shops:
    format: ndjson
    path: shops/shops_{run_date}.ndjson
    schema:
      - { name: shop, type: string }
      - { name: budget, type: "decimal(10,2)" }
      - { name: region, type: string }
  extra:
    format: json
    path: extra/*_{run_date}.json
    schema:
      - { name: id, type: integer }
      - { name: label, type: string }
stages:
  - { name: raw_items, kind: ingest, source: items }
  - { name: raw_shops, kind: ingest, source: shops }
  - { name: raw_extra, kind: ingest, source: extra }
  - name: items
    kind: cleanse
    input: raw_items
    steps:
      - { step: trim, columns: [code, shop] }
      - { step: case, columns: [code], to: upper }
      - { step: standardise, column: shop, mapping: { "S1": s1, "shop-2": s2, "S3 ": s3 }, ignore_case: true, unmapped: keep }
      - { step: parse_number, column: qty, type: integer, thousands: ",", into: qty_n, on_error: "null" }
      - { step: parse_date, column: seen_at, formats: ["%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M"], timezone: America/New_York }
      - { step: cast, columns: [price], type: "decimal(8,2)" }
      - { step: fill_null, columns: [note], value: "n/a" }
      - { step: filter, expr: "coalesce(qty_n, 0) >= $min_qty" }
      - { step: filter, expr: "price >= 0", on_false: reject }
      - { step: dedupe, keys: [id], order_by: [{ column: seen_at, direction: desc }, { column: code, direction: asc }] }
      - { step: derive, column: total, expr: "qty_n * price" }
      - { step: derive, column: tag, expr: "CASE WHEN price > 10 THEN 'dear' WHEN price IS NULL THEN NULL ELSE lower(left(code, 2)) || '-' || CAST(qty_n % 3 AS string) END" }
      - { step: derive, column: week, expr: "date_trunc('week', day)" }
      - { step: rename, columns: { note: remark } }
      - { step: drop, columns: [qty] }
      - { step: standardise, column: tag, mapping: { "ab-1": first }, ignore_case: false, unmapped: keep, enabled: false }
  - name: cheap
    kind: cleanse
    input: items
    steps:
      - { step: filter, expr: "price < 2" }
  - name: dear
    kind: cleanse
    input: items
    steps:
      - { step: filter, expr: "price >= 2" }
      - { step: derive, column: total, expr: "CAST(total AS double) / 1" }
  - { name: all_items, kind: union, inputs: [cheap, dear] }
  - { name: with_shop, kind: join, left: items, right: raw_shops, type: inner, on: [shop] }
  - { name: not_extra, kind: join, left: items, right: raw_extra, type: anti, on: [id] }
  - { name: with_extra, kind: join, left: items, right: raw_extra, type: left, on: [id], right_prefix: x_ }
  - name: by_shop
    kind: aggregate
    input: all_items
    group_by: [shop]
    measures:
      - { name: n, fn: count }
      - { name: priced, fn: count, column: price }
      - { name: codes, fn: count_distinct, column: code }
      - { name: total, fn: sum, column: total }
      - { name: avg_price, fn: avg, column: price }
      - { name: first_day, fn: min, column: day }
      - { name: last_seen, fn: max, column: seen_at }
      - { name: double_qty, fn: sum, expr: "qty_n * 2" }
  - { name: shop_coverage, kind: join, left: by_shop, right: raw_shops, type: full, on: [shop], right_prefix: r_ }
  - name: totals
    kind: aggregate
    input: not_extra
    group_by: []
    measures:
      - { name: rows, fn: count }
      - { name: qty, fn: sum, column: qty_n }
  - name: formatted
    kind: cleanse
    input: items
    steps:
      - { step: derive, column: month, expr: "strftime(day, '%Y-%m')" }
      - { step: derive, column: stamp, expr: "strftime(seen_at, '%a %d %b %Y %I:%M:%S.%f %p [%j] %y %A %B %H''%%')" }
      - { step: derive, column: month_start, expr: "date_trunc('month', day)" }
  - name: by_month
    kind: aggregate
    input: formatted
    group_by: [month, shop]
    measures:
      - { name: n, fn: count }
      - { name: dear_n, fn: count_if, expr: "price > 2" }
      - { name: active_n, fn: count_if, column: active }
      - { name: dear_share, expr: "dear_n / n", round: 3 }
      - { name: avg_price, fn: avg, column: price, round: 1 }
      - { name: total, fn: sum, column: total, round: -1 }
      - { name: per_item, expr: "total / n" }
      - { name: first_month, fn: min, column: month_start }
  - name: month_checked
    kind: validate
    input: by_month
    rules:
      - name: dear_counted
        rule: reconcile
        left: { stage: formatted, fn: count_if, expr: "price > 2" }
        right: { fn: sum, column: dear_n }
        severity: warn
        action: warn
  - { name: with_region, kind: join, left: items, right: raw_shops, type: left, on: [shop], right_columns: [region], right_prefix: s_, right_prefix_mode: all }
  - name: shop_sql
    kind: sql
    inputs: [items]
    sql: "SELECT shop, count(*) AS n, max(price) AS top FROM items GROUP BY shop"
    schema:
      - { name: shop, type: string }
      - { name: n, type: integer }
      - { name: top, type: "decimal(8,2)" }
  - name: checked
    kind: validate
    input: with_shop
    rules:
      - { name: code_seen, rule: not_null, columns: [code, seen_at], severity: warn, action: reject }
      - { name: code_unique, rule: unique, columns: [code], severity: warn, action: reject }
      - { name: qty_known, rule: accepted_values, column: qty_n, values: [1, 2, 3, 5, 1000], severity: warn, action: warn }
      - { name: day_in_year, rule: range, column: day, min: "2026-01-01", max: "2026-12-31", severity: warn, action: reject }
      - { name: code_shape, rule: regex, column: code, pattern: "[A-Z]{2}-\\\\d+", severity: warn, action: warn }
      - { name: shop_known, rule: relationship, columns: [shop], to: raw_shops, severity: warn, action: warn }
      - { name: positive_total, rule: expression, expr: "total > 0 AND active", severity: warn, action: reject }
      - { name: few_rows, rule: row_count, min: 1, max: 50, severity: error, action: fail }
      - { name: fresh, rule: freshness, column: seen_at, max_age_hours: 30, severity: warn, action: warn }
      - name: budget_covers
        rule: reconcile
        left: { fn: sum, column: total, group_by: [shop] }
        right: { stage: raw_shops, fn: sum, column: budget, group_by: [shop] }
        tolerance: { relative: 0.5 }
        severity: warn
        action: warn
      - { name: items_conserved, rule: conservation, stage: items, severity: error, action: fail }
      - { name: join_conserved, rule: conservation, stage: with_shop, severity: warn, action: warn }
  - { name: items_out, kind: output, input: checked, format: parquet, path: items, partition_by: [shop] }
  - { name: shops_out, kind: output, input: shop_coverage, format: csv, path: "shops/{run_date}" }
  - { name: totals_out, kind: output, input: totals, format: parquet, path: "totals/{run_date}" }
  - { name: sql_out, kind: output, input: shop_sql, format: csv, path: "sql/{run_date}" }
  - { name: extra_out, kind: output, input: with_extra, format: parquet, path: "extra/{run_date}" }
  - { name: formatted_out, kind: output, input: formatted, format: csv, path: "formatted/{run_date}" }
  - { name: months_out, kind: output, input: month_checked, format: parquet, path: "months/{run_date}" }
  - { name: region_out, kind: output, input: with_region, format: parquet, path: "region/{run_date}" }
`;

const HEADER = 'id;code;qty;price;day;seen_at;active;shop;note';

// The hand-picked rows of day 1 (their outcomes are worked out in DAY1_FAILING below).
const DAY1 = `${HEADER}
1; ab-1 ;1;2.5;2026-03-07;2026-03-08 02:30:00;true;S1;first
2;cd-22;1,000;3.0;2026-03-08;08/03/2026 11:00;false;shop-2;"semi;colon"
3;xx-3;4;1.25;2026-03-08;2026-03-08 12:00:00;true;s2;NA
4;;3;0;2026-03-08;2026-03-07 08:00:00;true;s2;
5;EF-5;5;0.25;2025-12-31;2026-03-08 09:00:00;;S3 ;x
6;GH-6;2;10;2026-03-08;2026-03-08 13:00:00;yes;;y
7;IJ-7;two;1;2026-03-08;2026-03-08 13:00:00;true;s1;bad qty is null
8;KL-8;2;-1;2026-03-08;2026-03-08 13:00:00;true;s1;negative price
1;AB-1;2;2.5;2026-03-07;2026-03-08 03:30:00;true;s1;newer dup
9;MN-9;1;abc;2026-03-08;2026-03-08 14:00:00;true;s1;bad price
10;OP-10;1;2;2026-02-30;2026-03-08 14:00:00;true;s1;bad day
11;QR-11;1;2
12;ST-12;2;3.333;2026-03-08;not a date;maybe;a/b é;weird
13;UV-13;0;5;2026-03-08;2026-03-08 15:00:00;true;s1;zero qty
14;WX-14;3;20;2026-03-08;2026-03-08 16:00:00;true;s9;unknown shop
`;

/**
 * Seeded bulk rows: ids from 100 (some repeated, so the dedupe sees ties), every awkward value
 * kind, an occasional ragged line. Their shops match no shop of the day, so they exercise the
 * cleanse steps, dedupe, unions, aggregates, anti / left / full joins and custom SQL without
 * changing which rules of `checked` (an inner join on shop) fail.
 */
function bulkRows(rng: Prng, count: number, day: string): string[] {
  const rows: string[] = [];
  const ids: number[] = [];
  for (let k = 0; k < count; k++) {
    const id = ids.length && rng.chance(1, 4) ? rng.pick(ids) : 100 + k;
    ids.push(id);
    const fields = [
      String(id),
      rng.pick(['ab-1x', ' zz-9 ', '', `QQ-${k}`, 'é-1', 'lo-3']),
      rng.pick(['1', '2', '1,000', '', 'NA', 'x', '0', '-3', '12,5', ' 7 ']),
      rng.pick(['2.5', '0', '-1', 'abc', '', '1e2', '3.333', '99999.995', '0.005', '-0.0', ' 4 ']),
      rng.pick([day, '2026-02-30', '2026-3-8', '', '20260308', `${day} 10:00:00`]),
      rng.pick([`${day} 02:30:00`, `${day} 01:59:59`, '08/03/2026 03:00', 'garbage', '', `${day} 03:00:00`, `${day} 23:59:59`]),
      rng.pick(['true', 'false', 'yes', '', 'TRUE', ' true', '1', 'f']),
      rng.pick(['s9', 'S9 ', '', 'NA', 'shop-9']),
      rng.pick(['x', '"semi;colon"', '"quote ""q"""', '', 'NA', 'ünï']),
    ];
    rows.push((rng.chance(1, 10) ? fields.slice(0, 7) : fields).join(';'));
  }
  return rows;
}

export function everyStageCase(rng: Prng): CorpusCase {
  return {
    name: 'every_stage',
    description: 'every stage kind, cleanse step and rule kind over awkward data; day 2 fails an error rule with action fail',
    spec: SPEC,
    days: [
      {
        runDate: '2026-03-08',
        files: {
          'items/items_2026-03-08.csv': `${DAY1}${bulkRows(rng, 24, '2026-03-08').join('\n')}\n`,
          'items/items_2026-03-08_late.csv': `${HEADER}\n`,
          'extra/a_2026-03-08.json': '[{"id": 3, "label": "three"}, {"id": 99, "label": null}, {"id": 101, "label": "bulk"}]',
          'extra/b_2026-03-08.json': '[{"id": 6, "label": "six"}, {"id": "x", "label": "bad"}, {"id": 1.5}]',
          'shops/shops_2026-03-08.ndjson':
            '{"shop":"s1","budget":"10.00","region":"north"}\n{"shop":"s2","budget":5.5,"region":null}\n\n{"shop":"s4","budget":"1","region":"south"}\nnot json\n{"shop":"s3","budget":"x","region":"east"}\n{"shop":"a/b é","budget":"12.345","region":"west"}\n{"shop":null,"budget":"1e3","region":"nowhere"}\n',
        },
        // with_shop keeps ids 1 (AB-1, the later seen_at wins the dedupe), 2, 3, 4, 5 (S3 → s3),
        // 12 fails parse_date (rejected), 13 is filtered (qty 0 < min_qty), 14's s9 matches no shop.
        // not_null: id 4's code is '' → NULL; accepted_values: qty 4 (id 3); expression: id 2 is
        // inactive and id 4's price 0 gives total 0; reconcile: s2's total 7.5 vs budget 5.5 is
        // within 50%, but s3's budget 'x' is a rejected row so s3 has items and no budget;
        // join_conserved: the inner join drops rows.
        expect: { exitCode: 0, published: true, failing: ['checked.code_seen', 'checked.qty_known', 'checked.positive_total', 'checked.budget_covers', 'checked.join_conserved'] },
      },
      {
        runDate: '2026-03-09',
        files: {
          'items/items_2026-03-09.csv': `${HEADER}\n1;ZZ-1;1;2.5;2026-03-09;2026-03-09 10:00:00;true;s7;x\n2;ZZ-2;2;12;2026-03-09;2026-03-09 11:00:00;false;s8;"a ""quoted"" note"\n${bulkRows(rng, 6, '2026-03-09').join('\n')}\n`,
          'extra/a_2026-03-09.json': '[]',
          'shops/shops_2026-03-09.ndjson': '{"shop":"s1","budget":"10.00","region":"north"}\n',
        },
        // no item's shop is s1: with_shop is empty, so few_rows (min 1, error, fail) fails, as do
        // fresh (no latest value) and budget_covers (s1's budget has no items)
        expect: { exitCode: 3, published: false, failing: ['checked.few_rows', 'checked.fresh', 'checked.budget_covers', 'checked.join_conserved'] },
      },
    ],
  };
}
