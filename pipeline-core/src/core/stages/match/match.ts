import { quoteIdent, quoteString } from '../../compile/sql.js';
import { refusal } from '../../export/refusal.js';
import type { Rule } from '../validate/rules.js';
import type { CompiledRule, CompiledStage, DuckdbContext, StageModule } from '../stageModule.js';
import { inputRows, stageStats, statsQuery } from '../stageTables.js';
import { matchKeyPair, openItemsAgeRule, type Match } from './matchColumns.js';
import { propagateMatch } from './matchPropagate.js';
import { MATCH_OUTPUTS } from './matchSchema.js';
import { compileMatchSpark } from './matchSpark.js';
import { matchStatements, runDateLiteral, tables } from './matchSql.js';

const SAMPLE_LIMIT = 10;

function compileDuckdb(stage: Match, ctx: DuckdbContext): CompiledStage {
  const t = tables(stage.name);
  const count = (table: string) => `(SELECT count(*) FROM ${table})`;
  const outputCounts: Record<(typeof MATCH_OUTPUTS)[number], string> = { matched: count(t.pm), mismatched: count(t.px), unmatched_left: count(t.ol), unmatched_right: count(t.or) };
  return {
    statements: [
      ...matchStatements(stage, ctx),
      // each output has counts of its own, as any stage a later stage reads
      ...MATCH_OUTPUTS.map((o) => stageStats(`${stage.name}.${o}`, `SELECT n AS rows_in, n AS rows_out, CAST(0 AS BIGINT) AS rejected, CAST(0 AS BIGINT) AS filtered FROM (SELECT CAST(${outputCounts[o]} AS BIGINT) AS n)`)),
      stageStats(stage.name, `SELECT ${inputRows([stage.left, stage.right])} AS rows_in, CAST(${outputCounts.matched} AS BIGINT) AS rows_out, CAST(0 AS BIGINT) AS rejected, CAST(0 AS BIGINT) AS filtered`),
      `CREATE OR REPLACE TABLE ${quoteIdent(`${stage.name}__summary`)} AS\n${summarySql(stage, ctx)}`,
    ],
    stats: statsQuery(stage.name),
    lineage: false,
    hasRejects: false,
    ...(stage.open_items?.max_age_days !== undefined ? { rules: [ageRule(stage, stage.open_items.max_age_days, stage.open_items.severity)] } : {}),
  };
}

/** The rule an open item older than max_age_days fails: counted over both sides' open items. */
function ageRule(stage: Match, maxAge: number, severity: Rule['severity']): CompiledRule {
  const rule = openItemsAgeRule(maxAge, severity);
  const keys = stage.keys.map(matchKeyPair);
  const keyText = (side: 'left' | 'right') => `concat_ws(' | ', ${keys.map((k) => `CAST(${quoteIdent(k[side])} AS VARCHAR)`).join(', ')})`;
  const side = (name: 'left' | 'right') => `SELECT ${quoteString(stage.labels?.[name] ?? `${name} item`)} AS side, ${keyText(name)} AS key, opened, age_days FROM ${quoteIdent(`${stage.name}.unmatched_${name}`)} WHERE age_days > ${maxAge}`;
  return {
    rule,
    name: 'open_items_age',
    check: `SELECT count(*) AS failing FROM (${side('left')} UNION ALL ${side('right')})`,
    samples: `SELECT format('{} open for {} days (since {}), over the {} allowed', side, age_days, opened, ${maxAge}) AS reason, side, key, opened, age_days FROM (${side('left')} UNION ALL ${side('right')}) ORDER BY age_days DESC, side, key LIMIT ${SAMPLE_LIMIT}`,
    reason: `open longer than ${maxAge} days`,
  };
}

/**
 * One row of counts and amounts per category: what the run report and metrics show. Written to
 * read the big tables as few times as it can: matched amounts are the total less the open and
 * mismatched ones, and only items carried in from earlier nights are looked up as cleared late.
 */
function summarySql(stage: Match, ctx: DuckdbContext): string {
  const t = tables(stage.name);
  const runDate = runDateLiteral(ctx);
  const carried = stage.open_items?.carry !== false && ctx.openItems(stage.name) !== undefined;
  const n = (sql: string) => `CAST((${sql}) AS BIGINT)`;
  const total = (table: string, where = 'TRUE') => (stage.amount ? `(SELECT CAST(coalesce(sum(_bb_a), 0) AS DOUBLE) FROM ${table} WHERE ${where})` : 'CAST(NULL AS DOUBLE)');
  const inPairs = (side: 'l' | 'r', pairs: string) => `_bb_id IN (SELECT ${side}id FROM ${pairs})`;
  const old = (side: 'l' | 'r') => `_bb_opened < ${runDate} AND ${inPairs(side, t.pm)}`;
  const late = (side: 'l' | 'r') => (carried ? n(`SELECT count(*) FROM ${side === 'l' ? t.l : t.r} WHERE ${old(side)}`) : 'CAST(0 AS BIGINT)');
  const clearedFrom = carried
    ? `(SELECT list(DISTINCT CAST(d AS VARCHAR) ORDER BY CAST(d AS VARCHAR)) FROM (SELECT _bb_opened AS d FROM ${t.l} WHERE ${old('l')} UNION ALL SELECT _bb_opened FROM ${t.r} WHERE ${old('r')}))`
    : 'CAST([] AS VARCHAR[])';
  const maxAge = stage.open_items?.max_age_days;
  const age = `date_diff('day', _bb_opened, ${runDate})`;
  const over = (table: string) => (maxAge === undefined ? '0' : `SELECT count(*) FROM ${table} WHERE ${age} > ${maxAge}`);
  return `SELECT
  ${n(`SELECT count(*) FROM ${t.l}`)} AS left_items,
  ${n(`SELECT count(*) FROM ${t.r}`)} AS right_items,
  ${n(`SELECT count(*) FROM ${t.pm}`)} AS matched,
  ${n(`SELECT count(DISTINCT rid) FROM ${t.pm}`)} AS matched_right,
  ${n(`SELECT count(*) FROM ${t.pm} WHERE match_type = 'one_to_many'`)} AS matched_one_to_many,
  ${n(`SELECT count(*) FROM ${t.px}`)} AS mismatched,
  ${n(`SELECT count(*) FROM ${t.ol}`)} AS unmatched_left,
  ${n(`SELECT count(*) FROM ${t.or}`)} AS unmatched_right,
  ${late('l')} AS cleared_late_left,
  ${late('r')} AS cleared_late_right,
  ${clearedFrom} AS cleared_from,
  ${n(`SELECT coalesce(max(${age}), 0) FROM ${t.ol}`)} AS oldest_left_days,
  ${n(`SELECT coalesce(max(${age}), 0) FROM ${t.or}`)} AS oldest_right_days,
  ${n(over(t.ol))} AS over_age_left,
  ${n(over(t.or))} AS over_age_right,
  round(${total(t.l)} - ${total(t.ol)} - ${total(t.l, inPairs('l', t.px))}, 6) AS matched_amount,
  ${total(t.l, inPairs('l', t.px))} AS mismatched_left_amount,
  ${total(t.r, inPairs('r', t.px))} AS mismatched_right_amount,
  ${total(t.ol)} AS unmatched_left_amount,
  ${total(t.or)} AS unmatched_right_amount`;
}

/** The summary row's query (the runner reads it into the run report). */
export function matchSummaryQuery(stage: string): string {
  return `SELECT * FROM ${quoteIdent(`${stage}__summary`)}`;
}

const STATEFUL = 'match stage';
// A Beam batch pipeline is one bounded run with no store of its own between runs: carrying open
// items means reading the previous date's files, which is the DuckDB/dbt exports' job, or, in
// streaming, per-key state with timers — a different pipeline, not this one's batch form.
const BEAM_STATEFUL = 'a Beam batch pipeline keeps no state between run dates, so it cannot carry open items into the next night (a streaming form would need per-key state and timers); export the match with the DuckDB script, dbt or Spark';

export const matchStage: StageModule<'match'> = {
  kind: 'match',
  label: 'Match',
  inputs: (stage) => [stage.left, stage.right],
  propagate: propagateMatch,
  compile: {
    duckdb: compileDuckdb,
    spark: compileMatchSpark,
    beam: (stage) => refusal('beam', stage.name, STATEFUL, BEAM_STATEFUL),
  },
};
