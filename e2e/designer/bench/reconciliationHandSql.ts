/**
 * The designer bench's baseline: what someone fluent in DuckDB would write by hand to compute the
 * reconciliation cells an edit of clean_orders re-runs (clean_orders and everything downstream),
 * reading the same ingested relations the preview reads (raw_orders, raw_refunds, clean_settlements).
 * Each cell's rows, its rejected count and its rules' failing counts, in as few scans as a person
 * would use: one cleanse query, one aggregate pass per validate cell, anti-joins for the
 * relationships, the join and the aggregates. Tables are prefixed h_ so they never touch the
 * preview's own. `HAND_COUNTS` reads back the counts the designer shows, to check the two agree.
 */
export const HAND_SQL: readonly string[] = [
  // clean_orders: trim / upper / standardise / parse (a value that does not parse rejects its row), keep the latest version of an order
  `CREATE OR REPLACE TABLE h_parsed AS
   SELECT order_id, merchant_id, status, business_date, _bb_row,
     CASE lower(currency) WHEN 'eur' THEN 'EUR' WHEN '€' THEN 'EUR' ELSE currency END AS currency,
     amount, ordered_at, updated_at,
     (currency IS NOT NULL AND lower(currency) NOT IN ('eur', '€'))
       OR (amount_raw IS NOT NULL AND amount_raw <> '' AND amount IS NULL)
       OR (ordered_raw IS NOT NULL AND ordered_raw <> '' AND ordered_at IS NULL)
       OR (updated_raw IS NOT NULL AND updated_raw <> '' AND updated_at IS NULL)
       OR order_id IS NULL AS bad
   FROM (
     SELECT *, TRY_CAST(replace(amount_raw, ',', '') AS DECIMAL(12,2)) AS amount,
       coalesce(CAST(try_strptime(ordered_raw, '%Y-%m-%dT%H:%M:%S%z') AS TIMESTAMP), bb_local_to_utc(try_strptime(ordered_raw, '%Y-%m-%d %H:%M:%S'), 'Europe/Berlin')) AS ordered_at,
       CAST(try_strptime(updated_raw, '%Y-%m-%dT%H:%M:%S%z') AS TIMESTAMP) AS updated_at
     FROM (SELECT trim(order_id) AS order_id, upper(trim(merchant_id)) AS merchant_id, upper(trim(status)) AS status, trim(currency) AS currency,
             trim(amount) AS amount_raw, trim(ordered_at) AS ordered_raw, trim(updated_at) AS updated_raw, DATE '2026-11-24' AS business_date, _bb_row
           FROM raw_orders) r) p`,
  `CREATE OR REPLACE TABLE h_clean_orders AS
   SELECT order_id, merchant_id, ordered_at, amount, currency, status, updated_at, business_date FROM h_parsed WHERE NOT bad
   QUALIFY row_number() OVER (PARTITION BY order_id ORDER BY updated_at DESC NULLS LAST, _bb_row) = 1`,
  `CREATE OR REPLACE TABLE h_clean_orders_counts AS
   SELECT (SELECT count(*) FROM h_parsed) AS rows_in, (SELECT count(*) FROM h_clean_orders) AS rows_out`,
  `CREATE OR REPLACE TABLE h_paid_orders AS SELECT * FROM h_clean_orders WHERE status = 'PAID'`,
  // checked_orders: every rule in one pass
  `CREATE OR REPLACE TABLE h_checked_orders_rules AS
   SELECT count(*) - count(DISTINCT order_id) AS dup_ids,
     count(*) FILTER (WHERE status NOT IN ('PAID', 'CANCELLED')) AS bad_status,
     count(*) FILTER (WHERE NOT regexp_full_match(order_id, 'ORD-\\d{4}-\\d{3}')) AS bad_id,
     count(*) FILTER (WHERE amount < 0 OR amount > 100000) AS bad_amount
   FROM h_clean_orders`,
  // checked_settlements: orphans by anti-join on the distinct order ids; unique and not-null in one pass
  `CREATE OR REPLACE TABLE h_order_ids AS SELECT DISTINCT order_id FROM h_clean_orders`,
  `CREATE OR REPLACE TABLE h_checked_settlements AS
   SELECT s.settlement_id, s.order_id, s.merchant_id, s.amount, s.fee, s.settled_at FROM clean_settlements s
   WHERE s.order_id IS NULL OR s.order_id IN (SELECT order_id FROM h_order_ids)`,
  `CREATE OR REPLACE TABLE h_checked_settlements_rules AS
   SELECT count(*) - count(DISTINCT settlement_id) AS dup_ids, count(*) FILTER (WHERE order_id IS NULL OR amount IS NULL) AS nulls,
     (SELECT count(*) FROM clean_settlements) - count(*) AS orphans
   FROM h_checked_settlements`,
  // checked_refunds
  `CREATE OR REPLACE TABLE h_checked_refunds AS
   SELECT refund_id, order_id, amount, refunded_at, reason FROM raw_refunds
   WHERE order_id IS NULL OR order_id IN (SELECT order_id FROM h_order_ids)`,
  `CREATE OR REPLACE TABLE h_checked_refunds_rules AS
   SELECT (SELECT count(*) FROM raw_refunds) - count(*) AS orphans, count(*) FILTER (WHERE amount < 0) AS negative FROM h_checked_refunds`,
  // reconciliation: settled vs sold per merchant, to the cent
  `CREATE OR REPLACE TABLE h_reconciliation_rules AS
   SELECT count(*) FILTER (WHERE abs(coalesce(sold, 0) - coalesce(settled, 0)) > 0.01) AS mismatched, (SELECT count(*) FROM h_checked_settlements) AS settlements
   FROM (SELECT merchant_id, sum(amount) AS sold FROM h_paid_orders GROUP BY merchant_id) o
   FULL JOIN (SELECT merchant_id, sum(amount) AS settled FROM h_checked_settlements GROUP BY merchant_id) s USING (merchant_id)`,
  // the join and the aggregates
  `CREATE OR REPLACE TABLE h_order_settlement AS
   SELECT o.*, s.settlement_id, s.merchant_id AS settled_merchant_id, s.amount AS settled_amount, s.fee, s.settled_at
   FROM h_paid_orders o LEFT JOIN h_checked_settlements s ON o.order_id = s.order_id`,
  `CREATE OR REPLACE TABLE h_merchant_day AS
   SELECT business_date, merchant_id, count(*) AS orders, sum(amount) AS sold, sum(settled_amount) AS settled, sum(fee) AS fees
   FROM h_order_settlement GROUP BY business_date, merchant_id`,
  `CREATE OR REPLACE TABLE h_refunds_by_order AS SELECT order_id, sum(amount) AS refunded FROM h_checked_refunds GROUP BY order_id`,
];

/** Per cell, the rows out and rows rejected the hand SQL computed (to compare with the designer's counts). */
export const HAND_COUNTS = `SELECT
  (SELECT rows_out FROM h_clean_orders_counts) AS clean_orders_rows,
  (SELECT rows_in - rows_out FROM h_clean_orders_counts) AS clean_orders_rejected,
  (SELECT count(*) FROM h_paid_orders) AS paid_orders_rows,
  (SELECT count(*) FROM h_checked_settlements) AS checked_settlements_rows,
  (SELECT orphans FROM h_checked_settlements_rules) AS checked_settlements_rejected,
  (SELECT count(*) FROM h_checked_refunds) AS checked_refunds_rows,
  (SELECT count(*) FROM h_order_settlement) AS order_settlement_rows,
  (SELECT count(*) FROM h_merchant_day) AS merchant_day_rows,
  (SELECT count(*) FROM h_refunds_by_order) AS refunds_by_order_rows`;
