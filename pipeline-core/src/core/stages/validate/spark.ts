import type { StageOf } from '../../spec/schema.js';
import type { Schema } from '../../types/dataType.js';
import { allView, LINEAGE, NO_LINEAGE, q, s, sparkLiteral, sparkValueText, type SparkContext, type SparkRule, type SparkStage } from '../../export/spark/sparkTypes.js';
import { sparkStats } from '../../export/spark/sparkViews.js';
import type { Rule } from './rules.js';
import { sparkMeasure } from '../aggregate/spark.js';
import { ruleNames } from './validate.js';
import { RefusalError, regexRuleConstruct } from '../../export/refusal.js';
import { regexProblem, translateRegex } from '../../expr/regexDialect.js';

/** A regex rule's pattern in Java's syntax, matching what RE2 matches (regexDialect.ts). */
function regexForRule(pattern: string, ruleName: string): string {
  const problem = regexProblem(pattern, 'java');
  if (problem) throw new RefusalError(regexRuleConstruct(ruleName, problem), "Java's regex engine reads it differently from RE2");
  return translateRegex(pattern, 'java');
}

type Validate = StageOf<'validate'>;
type RuleOf<K extends Rule['rule']> = Extract<Rule, { rule: K }>;

interface RowRule {
  readonly fails: string;
  readonly reason: string;
  /** A LEFT JOIN the flag needs (relationship rules). */
  readonly join?: string;
}

/** Row rules over the input aliased x: a predicate true when the row fails, and its reason. */
function rowRule(rule: Rule, i: number, name: string, input: Schema, ctx: SparkContext): RowRule | undefined {
  const type = (c: string) => input.find((x) => x.name === c)?.type ?? 'string';
  const col = (c: string) => `x.${q(c)}`;
  switch (rule.rule) {
    case 'not_null':
      return {
        fails: rule.columns.map((c) => `${col(c)} IS NULL`).join(' OR '),
        reason: `'null in ' || concat_ws(', ', ${rule.columns.map((c) => `CASE WHEN ${col(c)} IS NULL THEN ${s(c)} END`).join(', ')})`,
      };
    case 'unique':
      return {
        fails: `(${rule.columns.map((c) => `${col(c)} IS NOT NULL`).join(' AND ')}) AND count(*) OVER (PARTITION BY ${rule.columns.map(col).join(', ')}) > 1`,
        reason: `'not unique: ' || ${rule.columns.map((c) => `${s(`${c}=`)} || ${sparkValueText(col(c))}`).join(` || ', ' || `)}`,
      };
    case 'accepted_values':
      return {
        fails: `${col(rule.column)} IS NOT NULL AND ${col(rule.column)} NOT IN (${rule.values.map((v) => sparkLiteral(v, type(rule.column))).join(', ')})`,
        reason: `${s(`${rule.column}: '`)} || ${sparkValueText(col(rule.column))} || ${s(`' is not an accepted value`)}`,
      };
    case 'range': {
      const t = type(rule.column);
      const parts = [rule.min !== undefined ? `${col(rule.column)} < ${sparkLiteral(rule.min, t)}` : undefined, rule.max !== undefined ? `${col(rule.column)} > ${sparkLiteral(rule.max, t)}` : undefined].filter(Boolean);
      return {
        fails: `${col(rule.column)} IS NOT NULL AND (${parts.join(' OR ')})`,
        reason: `${s(`${rule.column}: `)} || ${sparkValueText(col(rule.column))} || ${s(` is outside [${rule.min ?? '-inf'}, ${rule.max ?? '+inf'}]`)}`,
      };
    }
    case 'regex':
      return {
        fails: `${col(rule.column)} IS NOT NULL AND NOT (${col(rule.column)} RLIKE ${s(`^(?:${regexForRule(rule.pattern, name)})\\z`)})`,
        reason: `${s(`${rule.column}: '`)} || ${col(rule.column)} || ${s(`' does not match ${rule.pattern}`)}`,
      };
    case 'relationship': {
      const to = rule.to_columns ?? rule.columns;
      const alias = `_bb_m${i}`;
      const keys = to.map((c, k) => `${q(c)} AS k${k}`).join(', ');
      return {
        join: `LEFT JOIN (SELECT DISTINCT ${keys} FROM ${q(rule.to)}) ${alias} ON ${rule.columns.map((c, k) => `${alias}.k${k} = ${col(c)}`).join(' AND ')}`,
        fails: `(${rule.columns.map((c) => `${col(c)} IS NOT NULL`).join(' AND ')}) AND ${alias}.k0 IS NULL`,
        reason: `${rule.columns.map((c) => `${s(`${c}=`)} || ${sparkValueText(col(c))}`).join(` || ', ' || `)} || ${s(` has no match in ${rule.to}`)}`,
      };
    }
    case 'expression':
      return { fails: `NOT coalesce((${ctx.expr(rule.expr, input, 'x')}), TRUE)`, reason: s(`rule not true: ${rule.expr}`) };
    default:
      return undefined;
  }
}

function measure(m: RuleOf<'reconcile'>['left'], columns: Schema, ctx: SparkContext): string {
  const arg = m.column !== undefined ? q(m.column) : m.expr !== undefined ? `(${ctx.expr(m.expr, columns)})` : '*';
  const type = m.column !== undefined ? columns.find((c) => c.name === m.column)?.type : m.expr !== undefined ? ctx.exprType(m.expr, columns) : undefined;
  return `CAST(${sparkMeasure(m.fn, arg, type)} AS DOUBLE)`;
}

function reconcile(rule: RuleOf<'reconcile'>, stage: Validate, ctx: SparkContext): string {
  const side = (m: RuleOf<'reconcile'>['left'], alias: string) => {
    const groups = m.group_by.map((g, i) => `${q(g)} AS k${i}`);
    const from = m.stage ?? stage.input;
    return `${alias} AS (SELECT ${[...groups, `${measure(m, ctx.schemaOf(from), ctx)} AS v`].join(', ')} FROM ${q(from)}${groups.length ? ` GROUP BY ${m.group_by.map(q).join(', ')}` : ''})`;
  };
  const on = rule.left.group_by.length ? rule.left.group_by.map((_, i) => `l.k${i} <=> r.k${i}`).join(' AND ') : 'TRUE';
  const diff = 'coalesce(l.v, 0) - coalesce(r.v, 0)';
  const within = [
    rule.tolerance.absolute !== undefined ? `abs(${diff}) <= ${rule.tolerance.absolute} + 1e-9` : undefined,
    rule.tolerance.relative !== undefined ? `abs(${diff}) <= ${rule.tolerance.relative} * greatest(abs(coalesce(l.v, 0)), abs(coalesce(r.v, 0))) + 1e-9` : undefined,
  ].filter(Boolean);
  return `WITH ${side(rule.left, 'l')}, ${side(rule.right, 'r')} SELECT 1 FROM l FULL JOIN r ON ${on} WHERE NOT (${within.length ? within.join(' OR ') : `${diff} = 0`})`;
}

function tableRule(rule: Rule, stage: Validate, ctx: SparkContext): string {
  const input = q(stage.input);
  switch (rule.rule) {
    case 'row_count': {
      const bad = [rule.min !== undefined ? `n < ${rule.min}` : undefined, rule.max !== undefined ? `n > ${rule.max}` : undefined].filter(Boolean).join(' OR ');
      return `SELECT CASE WHEN ${bad} THEN 1 ELSE 0 END AS failing FROM (SELECT count(*) AS n FROM ${input})`;
    }
    case 'freshness': {
      const asOf = `(CAST(__bb_param_run_date__ AS TIMESTAMP) + INTERVAL 1 DAY)`;
      const latest = `CAST(max(${q(rule.column)}) AS TIMESTAMP)`;
      return `SELECT CASE WHEN latest IS NULL OR latest < ${asOf} - make_interval(0, 0, 0, 0, 0, 0, ${Math.round(rule.max_age_hours * 3600)}) THEN 1 ELSE 0 END AS failing FROM (SELECT ${latest} AS latest FROM ${input})`;
    }
    case 'reconcile':
      return `SELECT count(*) AS failing FROM (${reconcile(rule, stage, ctx)})`;
    case 'conservation':
      return `SELECT CASE WHEN rows_in <> rows_out + rejected + filtered THEN 1 ELSE 0 END AS failing FROM (${ctx.statsOf(rule.stage ?? stage.input)})`;
    default:
      throw new Error(`${rule.rule}: not a table rule`);
  }
}

/** As the DuckDB compiler: flag every row rule on the input, reject-action failures go to rejects. */
export function compileValidateSpark(stage: Validate, ctx: SparkContext): SparkStage {
  const input = ctx.schemaOf(stage.input);
  const rules = stage.rules as Rule[];
  const names = ruleNames(rules);
  const lineage = ctx.hasLineage(stage.input);
  const rows = `${stage.name}__rows`;
  const flags: string[] = [];
  const joins: string[] = [];
  const rejectReasons: string[] = [];
  const rejectFlags: string[] = [];
  const compiled: SparkRule[] = [];
  rules.forEach((rule, i) => {
    const row = rowRule(rule, i, names[i]!, input, ctx);
    if (!row) {
      compiled.push({ rule, name: names[i]!, check: tableRule(rule, stage, ctx) });
      return;
    }
    const flag = q(`_bb_fail_${i}`);
    flags.push(`${row.fails} AS ${flag}`);
    if (row.join) joins.push(row.join);
    if (rule.action === 'reject') {
      rejectFlags.push(flag);
      rejectReasons.push(`CASE WHEN ${flag} THEN ${s(`${names[i]}: `)} || ${row.reason} END`);
    }
    compiled.push({ rule, name: names[i]!, check: `SELECT count(*) FILTER (WHERE ${flag}) AS failing FROM ${q(rows)}`, flag: { view: rows, column: `_bb_fail_${i}` } });
  });
  const cols = input.map((c) => q(c.name)).join(', ');
  const xcols = input.map((c) => `x.${q(c.name)}`).join(', ');
  const anyReject = rejectFlags.length ? rejectFlags.join(' OR ') : 'FALSE';
  const reasonsSql = rejectReasons.join(', ');
  return {
    views: [
      { name: rows, sql: `SELECT ${xcols}${lineage ? ', x._bb_src, x._bb_file, x._bb_row' : ''}${flags.length ? `, ${flags.join(', ')}` : ''} FROM ${q(stage.input)} x ${joins.join(' ')}` },
      {
        name: `${stage.name}__all`,
        sql: `SELECT ${xcols}${lineage ? ', x._bb_src, x._bb_file, x._bb_row' : ''}, CASE WHEN ${anyReject} THEN ${rejectReasons.length ? `concat_ws('; ', ${reasonsSql})` : "''"} END AS _bb_reason, FALSE AS _bb_dropped, CAST(NULL AS BIGINT) AS _bb_line, CAST(NULL AS STRING) AS _bb_raw FROM ${q(rows)} x`,
      },
      { name: stage.name, sql: `SELECT ${cols}${lineage ? `, ${LINEAGE}` : ''} FROM ${allView(stage.name)} WHERE _bb_reason IS NULL` },
      { name: `${stage.name}__rejects`, sql: `SELECT _bb_reason, ${lineage ? LINEAGE : NO_LINEAGE}, _bb_line, _bb_raw, ${cols} FROM ${allView(stage.name)} WHERE _bb_reason IS NOT NULL` },
    ],
    stats: sparkStats(allView(stage.name)),
    lineage,
    rejects: { view: `${stage.name}__rejects`, columns: input.map((c) => c.name) },
    rules: compiled,
  };
}
