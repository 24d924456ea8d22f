import { sparkSetStats } from '../../export/spark/sparkViews.js';
import { q, type SparkContext, type SparkOpenItems, type SparkRule, type SparkStage, type SparkView } from '../../export/spark/sparkTypes.js';
import { sparkType } from '../../expr/emit/spark.js';
import type { Schema } from '../../types/dataType.js';
import { matchKeyPair, openItemsAgeRule, pairExtras, rightNames, type Match } from './matchColumns.js';
import { allowanceSql, normalised } from './matchSql.js';

/**
 * The match stage in Spark SQL: the runner's algorithm (matchSql.ts) step for step, so that every
 * output, tie-break and carried open item is the runner's. What differs is Spark's:
 *   - the one-to-one picks are `greedy` views the job computes in rounds (Spark SQL has no
 *     recursive query; the rounds are greedySql.ts's);
 *   - NOT IN becomes LEFT ANTI JOIN (Spark plans NOT IN as a null-aware nested-loop join), QUALIFY
 *     a filtered subquery, date_diff datediff, and every ORDER BY says NULLS LAST (DuckDB's default);
 *   - an item's id is not a row_number over all items (one Spark task would number them all) but
 *     a number in the same order, built from its opening date and its order within that date.
 * The carried items are read by the job from the latest earlier date's state (`<stage>__carried_<side>`).
 */
type Side = 'left' | 'right';

const RUN_DATE = 'CAST(__bb_param_run_date__ AS DATE)';
const view = (stage: string, suffix: string) => `${stage}__${suffix}`;
/** Spark's datediff counts end - start in days, as DuckDB's date_diff('day', start, end). */
const days = (start: string, end: string) => `CAST(datediff(${end}, ${start}) AS BIGINT)`;
/** Pairs whose left and right items are both free of `taken`'s. */
const freeOf = (pairs: string, taken: string) => `SELECT c.* FROM ${pairs} c LEFT ANTI JOIN ${taken} a ON a.lid = c.lid LEFT ANTI JOIN ${taken} b ON b.rid = c.rid`;

export function compileMatchSpark(stage: Match, ctx: SparkContext): SparkStage {
  const n = stage.name;
  const v = (suffix: string) => q(view(n, suffix));
  const left = ctx.schemaOf(stage.left);
  const right = ctx.schemaOf(stage.right);
  const carry = stage.open_items?.carry !== false;
  const keys = stage.keys.map(matchKeyPair);
  const cond = [...keys.map((_, i) => `l._bb_k${i} = r._bb_k${i}`), ...(stage.date ? [`r._bb_d BETWEEN l._bb_d AND date_add(l._bb_d, ${stage.date.within_days})`] : [])].join(' AND ');
  const inTol = stage.amount ? `abs(r._bb_a - l._bb_a) <= ${allowanceSql(stage, 'l._bb_a')}` : 'TRUE';
  const gap = stage.amount ? 'abs(r._bb_a - l._bb_a)' : 'CAST(0 AS INT)';
  const dayGap = stage.date ? `abs(${days('l._bb_d', 'r._bb_d')})` : 'CAST(NULL AS BIGINT)';
  const order = ['gap', 'day_gap'];
  const taken = `(SELECT lid, rid FROM ${v('pm')})`;
  const settled = (id: 'lid' | 'rid') => `(SELECT ${id} FROM ${v('pm')} UNION ALL SELECT ${id} FROM ${v('px')})`;
  const views: SparkView[] = [
    { name: view(n, 'l'), sql: itemsSql(stage, 'left', left, carry), materialise: true },
    { name: view(n, 'r'), sql: itemsSql(stage, 'right', right, carry), materialise: true },
    { name: view(n, 'c'), sql: `SELECT l._bb_id AS lid, r._bb_id AS rid, ${gap} AS gap, ${dayGap} AS day_gap, ${inTol} AS in_tol FROM ${v('l')} l JOIN ${v('r')} r ON ${cond}`, materialise: true },
    { name: view(n, 'p1'), sql: `SELECT * FROM ${v('c')} WHERE in_tol`, greedy: order, materialise: true },
    ...(stage.cardinality === 'one_to_many'
      ? [
          { name: view(n, 'own'), sql: ownSql(freeOf(v('c'), v('p1'))), materialise: true },
          { name: view(n, 'pm'), sql: `SELECT lid, rid, 'one_to_one' AS match_type FROM ${v('p1')}\nUNION ALL ${oneToManySql(stage, v)}`, materialise: true },
        ]
      : [{ name: view(n, 'pm'), sql: `SELECT lid, rid, 'one_to_one' AS match_type FROM ${v('p1')}`, materialise: true }]),
    { name: view(n, 'p2'), sql: freeOf(v('c'), taken), greedy: order, materialise: true },
    { name: view(n, 'px'), sql: `SELECT lid, rid, 'one_to_one' AS match_type FROM ${v('p2')}` },
    { name: view(n, 'ol'), sql: `SELECT * FROM ${v('l')} i LEFT ANTI JOIN ${settled('lid')} s ON s.lid = i._bb_id`, materialise: true },
    { name: view(n, 'or'), sql: `SELECT * FROM ${v('r')} i LEFT ANTI JOIN ${settled('rid')} s ON s.rid = i._bb_id`, materialise: true },
    { name: `${n}.matched`, sql: pairsView(stage, left, right, v, v('pm')) },
    { name: `${n}.mismatched`, sql: pairsView(stage, left, right, v, v('px')) },
    { name: `${n}.unmatched_left`, sql: openView(left, v('ol')) },
    { name: `${n}.unmatched_right`, sql: openView(right, v('or')) },
    { name: n, sql: `SELECT * FROM ${q(`${n}.matched`)}` },
  ];
  const maxAge = stage.open_items?.max_age_days;
  return {
    views,
    stats: sparkSetStats([stage.left, stage.right], n),
    lineage: false,
    ...(maxAge !== undefined ? { rules: [ageRule(n, maxAge, stage.open_items!.severity)] } : {}),
    ...(carry ? { openItems: openItems(stage, left, right) } : {}),
  };
}

/** An open item older than max_age_days, counted over both sides (the runner's open_items_age rule). */
function ageRule(stage: string, maxAge: number, severity: Parameters<typeof openItemsAgeRule>[1]): SparkRule {
  const over = (side: Side) => `(SELECT count(*) FROM ${q(`${stage}.unmatched_${side}`)} WHERE age_days > ${maxAge})`;
  return { rule: openItemsAgeRule(maxAge, severity), name: 'open_items_age', check: `SELECT ${over('left')} + ${over('right')} AS failing` };
}

const carriedView = (stage: string, side: Side) => view(stage, `carried_${side}`);

function openItems(stage: Match, left: Schema, right: Schema): SparkOpenItems {
  const cols = (schema: Schema) => schema.map((c) => q(c.name)).join(', ');
  const empty = (schema: Schema) => `SELECT ${[...schema.map((c) => `CAST(NULL AS ${sparkType(c.type)}) AS ${q(c.name)}`), 'CAST(NULL AS DATE) AS _bb_opened', 'CAST(NULL AS BIGINT) AS _bb_seq'].join(', ')} WHERE FALSE`;
  const state = (schema: Schema, table: string) => `SELECT ${cols(schema)}, _bb_opened, _bb_seq FROM ${q(view(stage.name, table))} ORDER BY _bb_opened, _bb_seq`;
  return {
    stage: stage.name,
    carried: { left: carriedView(stage.name, 'left'), right: carriedView(stage.name, 'right') },
    empty: { left: empty(left), right: empty(right) },
    columns: { left: left.map((c) => c.name.toLowerCase()), right: right.map((c) => c.name.toLowerCase()) },
    state: { left: state(left, 'ol'), right: state(right, 'or') },
  };
}

/**
 * One side's items: tonight's rows, numbered in the order of all their columns (NULLS LAST, as
 * DuckDB orders), and the carried open items opened before tonight. The id orders items by
 * opening date, then that order: days since 1970 in the high bits, the order in the low 40.
 */
function itemsSql(stage: Match, side: Side, schema: Schema, carry: boolean): string {
  const cols = schema.map((c) => q(c.name)).join(', ');
  const byAll = schema.map((c) => `${q(c.name)} ASC NULLS LAST`).join(', ');
  const typed = schema.map((c) => `CAST(${q(c.name)} AS ${sparkType(c.type)}) AS ${q(c.name)}`).join(', ');
  const fresh = `SELECT ${cols}, ${RUN_DATE} AS _bb_opened, CAST(row_number() OVER (ORDER BY ${byAll}) AS BIGINT) AS _bb_seq FROM ${q(stage[side])}`;
  const old = carry ? `\n  UNION ALL SELECT ${typed}, CAST(_bb_opened AS DATE), CAST(_bb_seq AS BIGINT) FROM ${q(carriedView(stage.name, side))} WHERE _bb_opened < ${RUN_DATE}` : '';
  const keys = stage.keys.map(matchKeyPair).map((k, i) => `${normalised(q(k[side]), k.normalise)} AS _bb_k${i}`);
  const amount = stage.amount ? [`${amountCast(stage, schema, side)} AS _bb_a`] : [];
  const date = stage.date ? [`CAST(${q(stage.date[side])} AS DATE) AS _bb_d`] : [];
  const id = `shiftleft(CAST(datediff(_bb_opened, DATE '1970-01-01') AS BIGINT), 40) + _bb_seq`;
  return `SELECT *, ${id} AS _bb_id, ${[...keys, ...amount, ...date].join(', ')}\nFROM (${fresh}${old})`;
}

function amountCast(stage: Match, schema: Schema, side: Side): string {
  const col = stage.amount![side];
  const type = schema.find((c) => c.name === col)?.type ?? 'double';
  return type === 'double' ? q(col) : `CAST(${q(col)} AS ${sparkType(type)})`;
}

/** Each left item's closest remaining candidate (by date, then right id): the group a right item may clear. */
function ownSql(free: string): string {
  return `SELECT lid, rid FROM (SELECT lid, rid, row_number() OVER (PARTITION BY lid ORDER BY day_gap ASC NULLS LAST, rid) AS _bb_n FROM (${free})) WHERE _bb_n = 1`;
}

/** A right item clearing several left items (matchSql.ts's oneToManySql): cleared when its group's amounts sum to its own within tolerance. */
function oneToManySql(stage: Match, v: (suffix: string) => string): string {
  const grp = `(SELECT o.rid, sum(l._bb_a) AS total, count(*) AS n FROM ${v('own')} o JOIN ${v('l')} l ON l._bb_id = o.lid GROUP BY o.rid)`;
  const ok = `(SELECT g.rid FROM ${grp} g JOIN ${v('r')} r ON r._bb_id = g.rid WHERE g.n >= 2 AND abs(r._bb_a - g.total) <= ${allowanceSql(stage, 'g.total')})`;
  return `SELECT o.lid, o.rid, 'one_to_many' AS match_type FROM ${v('own')} o JOIN ${ok} ok ON ok.rid = o.rid`;
}

/** Left and right side by side with how they differ (matchSql.ts's pairsView). */
function pairsView(stage: Match, left: Schema, right: Schema, v: (suffix: string) => string, pairs: string): string {
  const lcols = left.map((c) => `l.${q(c.name)}`);
  const rcols = rightNames(left, right).map(({ column, from }) => `r.${q(from)} AS ${q(column.name)}`);
  const extras: string[] = [];
  if (stage.amount) {
    const type = sparkType(pairExtras(stage, left, right)[0]!.type);
    const leftAmount = `CASE WHEN p.match_type = 'one_to_many' THEN sum(l._bb_a) OVER (PARTITION BY p.rid) ELSE l._bb_a END`;
    extras.push(`CAST(r._bb_a - ${leftAmount} AS ${type}) AS amount_diff`);
  }
  if (stage.date) extras.push(`${days('l._bb_d', 'r._bb_d')} AS days_late`);
  extras.push('p.match_type', 'l._bb_opened AS left_opened', 'r._bb_opened AS right_opened');
  return `SELECT ${[...lcols, ...rcols, ...extras].join(', ')} FROM ${pairs} p JOIN ${v('l')} l ON l._bb_id = p.lid JOIN ${v('r')} r ON r._bb_id = p.rid`;
}

function openView(schema: Schema, table: string): string {
  const cols = schema.map((c) => q(c.name)).join(', ');
  return `SELECT ${cols}, _bb_opened AS opened, ${days('_bb_opened', RUN_DATE)} AS age_days FROM ${table}`;
}
