import { quoteIdent, quoteString } from '../../compile/sql.js';
import { duckdbType, type Schema } from '../../types/dataType.js';
import type { DuckdbContext } from '../stageModule.js';
import { greedyPairsSql } from './greedySql.js';
import { matchKeyPair, pairExtras, rightNames, type Match } from './matchColumns.js';

/**
 * The DuckDB statements of a match stage `s` (internal tables carry the `s__` prefix):
 *   s__l, s__r   every item of each side: tonight's rows plus the open items carried from the
 *                latest earlier run date, each with _bb_opened (the run date it first appeared),
 *                _bb_seq (its order within that date) and _bb_id (its rank in that order: the
 *                tie-break "smallest row id"), and its normalised key, amount and date;
 *   s__c         candidate pairs: equal keys, right date within the window after the left date;
 *   s__pm        matched pairs: one-to-one within tolerance (closest amount, then closest date,
 *                then smallest ids), then with one_to_many a right item clearing every left item
 *                it is the closest candidate of when their amounts sum to it within tolerance;
 *   s__px        mismatched pairs: the rest paired one-to-one on key and window, outside tolerance;
 *   s__ol, s__or the items left open (the next run date's carried state);
 * and the outputs `s.matched`, `s.mismatched`, `s.unmatched_left`, `s.unmatched_right`.
 */
export function matchStatements(stage: Match, ctx: DuckdbContext): string[] {
  const t = tables(stage.name);
  const left = ctx.schemaOf(stage.left);
  const right = ctx.schemaOf(stage.right);
  const runDate = runDateLiteral(ctx);
  const carried = stage.open_items?.carry === false ? undefined : ctx.openItems(stage.name);
  const allowance = (amount: string) => allowanceSql(stage, amount);
  const inTol = stage.amount ? `abs(r._bb_a - l._bb_a) <= ${allowance('l._bb_a')}` : 'TRUE';
  const keys = stage.keys.map(matchKeyPair);
  const cond = [...keys.map((_, i) => `l._bb_k${i} = r._bb_k${i}`), ...(stage.date ? [`r._bb_d BETWEEN l._bb_d AND l._bb_d + ${stage.date.within_days}`] : [])].join(' AND ');
  const days = stage.date ? 'date_diff(\'day\', l._bb_d, r._bb_d)' : 'CAST(NULL AS BIGINT)';
  const paired = (p: string) => `lid NOT IN (SELECT lid FROM ${p}) AND rid NOT IN (SELECT rid FROM ${p})`;
  return [
    `CREATE OR REPLACE TABLE ${t.l} AS\n${itemsSql(stage, 'left', left, ctx, runDate, carried?.left)}`,
    `CREATE OR REPLACE TABLE ${t.r} AS\n${itemsSql(stage, 'right', right, ctx, runDate, carried?.right)}`,
    `CREATE OR REPLACE TABLE ${t.c} AS\nSELECT l._bb_id AS lid, r._bb_id AS rid, ${stage.amount ? 'abs(r._bb_a - l._bb_a)' : 'CAST(0 AS INTEGER)'} AS gap, abs(${days}) AS day_gap, ${inTol} AS in_tol FROM ${t.l} l JOIN ${t.r} r ON ${cond}`,
    `CREATE OR REPLACE TABLE ${t.pm} AS\nSELECT lid, rid, 'one_to_one' AS match_type FROM (${greedyPairsSql(`SELECT * FROM ${t.c} WHERE in_tol`, ['gap', 'day_gap'])})`,
    ...(stage.cardinality === 'one_to_many' ? [`INSERT INTO ${t.pm}\n${oneToManySql(stage, t, paired(t.pm))}`] : []),
    `CREATE OR REPLACE TABLE ${t.px} AS\nSELECT lid, rid, 'one_to_one' AS match_type FROM (${greedyPairsSql(`SELECT * FROM ${t.c} WHERE ${paired(t.pm)}`, ['gap', 'day_gap'])})`,
    `CREATE OR REPLACE TABLE ${t.ol} AS\nSELECT * FROM ${t.l} WHERE _bb_id NOT IN (SELECT lid FROM ${t.pm} UNION ALL SELECT lid FROM ${t.px})`,
    `CREATE OR REPLACE TABLE ${t.or} AS\nSELECT * FROM ${t.r} WHERE _bb_id NOT IN (SELECT rid FROM ${t.pm} UNION ALL SELECT rid FROM ${t.px})`,
    `CREATE OR REPLACE VIEW ${quoteIdent(`${stage.name}.matched`)} AS\n${pairsView(stage, left, right, t, t.pm)}`,
    `CREATE OR REPLACE VIEW ${quoteIdent(`${stage.name}.mismatched`)} AS\n${pairsView(stage, left, right, t, t.px)}`,
    `CREATE OR REPLACE VIEW ${quoteIdent(`${stage.name}.unmatched_left`)} AS\n${openView(left, t.ol, runDate)}`,
    `CREATE OR REPLACE VIEW ${quoteIdent(`${stage.name}.unmatched_right`)} AS\n${openView(right, t.or, runDate)}`,
    `CREATE OR REPLACE VIEW ${quoteIdent(stage.name)} AS SELECT * FROM ${quoteIdent(`${stage.name}.matched`)}`,
  ];
}

export interface MatchTables {
  readonly l: string;
  readonly r: string;
  readonly c: string;
  readonly pm: string;
  readonly px: string;
  readonly ol: string;
  readonly or: string;
}

export function tables(stage: string): MatchTables {
  const q = (suffix: string) => quoteIdent(`${stage}__${suffix}`);
  return { l: q('l'), r: q('r'), c: q('c'), pm: q('pm'), px: q('px'), ol: q('ol'), or: q('or') };
}

export function runDateLiteral(ctx: DuckdbContext): string {
  return `DATE ${quoteString(String(ctx.params['run_date']))}`;
}

/** max(absolute, relative × |amount|); exact (0) when no tolerance is given (the same SQL in DuckDB and Spark). */
export function allowanceSql(stage: Match, amount: string): string {
  const abs = stage.tolerance?.absolute ?? 0;
  const rel = stage.tolerance?.relative;
  return rel === undefined ? `${abs}` : `greatest(${abs}, ${rel} * abs(${amount}))`;
}

/** A key after its normalisers (trim, upper, lower: the same functions in DuckDB and Spark). */
export function normalised(column: string, steps: readonly string[]): string {
  return steps.reduce((e, s) => (s === 'trim' ? `trim(${e})` : s === 'upper' ? `upper(${e})` : `lower(${e})`), column);
}

/**
 * One side's items: tonight's rows (numbered in the order of all their columns, so the same
 * input gives the same numbers) and the carried open items, with what matching compares.
 */
function itemsSql(stage: Match, side: 'left' | 'right', schema: Schema, ctx: DuckdbContext, runDate: string, carried: string | undefined): string {
  const cols = schema.map((c) => quoteIdent(c.name)).join(', ');
  const typed = schema.map((c) => `CAST(${quoteIdent(c.name)} AS ${duckdbType(c.type)}) AS ${quoteIdent(c.name)}`).join(', ');
  const fresh = `SELECT ${cols}, ${runDate} AS _bb_opened, row_number() OVER (ORDER BY ${cols}) AS _bb_seq FROM ${ctx.table(stage[side])}`;
  const old = carried ? `\n  UNION ALL SELECT ${typed}, CAST(_bb_opened AS DATE), CAST(_bb_seq AS BIGINT) FROM ${carried} WHERE _bb_opened < ${runDate}` : '';
  const keys = stage.keys.map(matchKeyPair).map((k, i) => `${normalised(quoteIdent(k[side]), k.normalise)} AS _bb_k${i}`);
  const amount = stage.amount ? [`${amountCast(stage, schema, side)} AS _bb_a`] : [];
  const date = stage.date ? [`CAST(${quoteIdent(stage.date[side])} AS DATE) AS _bb_d`] : [];
  return `SELECT *, row_number() OVER (ORDER BY _bb_opened, _bb_seq) AS _bb_id, ${[...keys, ...amount, ...date].join(', ')}\nFROM (${fresh}${old})`;
}

function amountCast(stage: Match, schema: Schema, side: 'left' | 'right'): string {
  const col = stage.amount![side];
  const type = schema.find((c) => c.name === col)?.type ?? 'double';
  return type === 'double' ? quoteIdent(col) : `CAST(${quoteIdent(col)} AS ${duckdbType(type)})`;
}

/** A right item clearing several left items: each left item goes to its closest remaining candidate, the group clears when the amounts sum to the right amount. */
function oneToManySql(stage: Match, t: MatchTables, free: string): string {
  return `WITH own AS (SELECT lid, rid FROM ${t.c} WHERE ${free} QUALIFY row_number() OVER (PARTITION BY lid ORDER BY day_gap, rid) = 1),
grp AS (SELECT o.rid, sum(l._bb_a) AS total, count(*) AS n FROM own o JOIN ${t.l} l ON l._bb_id = o.lid GROUP BY o.rid),
ok AS (SELECT g.rid FROM grp g JOIN ${t.r} r ON r._bb_id = g.rid WHERE g.n >= 2 AND abs(r._bb_a - g.total) <= ${allowanceSql(stage, 'g.total')})
SELECT o.lid, o.rid, 'one_to_many' AS match_type FROM own o JOIN ok ON ok.rid = o.rid`;
}

/** Left and right side by side with how they differ (a one-to-many pair shows its group's difference). */
function pairsView(stage: Match, left: Schema, right: Schema, t: MatchTables, pairs: string): string {
  const lcols = left.map((c) => `l.${quoteIdent(c.name)}`);
  const rcols = rightNames(left, right).map(({ column, from }) => `r.${quoteIdent(from)} AS ${quoteIdent(column.name)}`);
  const extras: string[] = [];
  if (stage.amount) {
    const type = duckdbType(pairExtras(stage, left, right)[0]!.type);
    const leftAmount = `CASE WHEN p.match_type = 'one_to_many' THEN sum(l._bb_a) OVER (PARTITION BY p.rid) ELSE l._bb_a END`;
    extras.push(`CAST(r._bb_a - ${leftAmount} AS ${type}) AS amount_diff`);
  }
  if (stage.date) extras.push(`CAST(date_diff('day', l._bb_d, r._bb_d) AS BIGINT) AS days_late`);
  extras.push('p.match_type', 'l._bb_opened AS left_opened', 'r._bb_opened AS right_opened');
  return `SELECT ${[...lcols, ...rcols, ...extras].join(', ')} FROM ${pairs} p JOIN ${t.l} l ON l._bb_id = p.lid JOIN ${t.r} r ON r._bb_id = p.rid`;
}

function openView(schema: Schema, table: string, runDate: string): string {
  const cols = schema.map((c) => quoteIdent(c.name)).join(', ');
  return `SELECT ${cols}, _bb_opened AS opened, CAST(date_diff('day', _bb_opened, ${runDate}) AS BIGINT) AS age_days FROM ${table}`;
}

/** The rows of a side's open items to keep in the lake's state: its columns, when it was opened and its order then. */
export function openStateSql(stage: string, side: 'left' | 'right', schema: Schema): string {
  const t = tables(stage);
  const cols = schema.map((c) => quoteIdent(c.name)).join(', ');
  return `SELECT ${cols}, _bb_opened, _bb_seq FROM ${side === 'left' ? t.ol : t.or} ORDER BY _bb_opened, _bb_seq`;
}

