import { regexSyntaxError } from '../../expr/regexDialect.js';
import type { DataType, Schema } from '../../types/dataType.js';
import { isNumeric, isTemporal } from '../../types/dataType.js';
import { duckdbLiteral, quoteIdent, quoteString } from '../../compile/sql.js';
import type { StageOf } from '../../spec/schema.js';
import type { CompiledRule, CompiledStage, DuckdbContext, PropagateContext, PropagateResult, StageModule } from '../stageModule.js';
import { passthroughStats, stageStats, stageViews, statsQuery, statsTable } from '../stageTables.js';
import { isRowRule, type Rule } from './rules.js';
import { checkSideMeasure } from './reconcileSide.js';
import { sqlAggregateCall } from '../aggregate/measureType.js';
import { compileValidateSpark } from './spark.js';
import { compileValidateBeam } from './beam.js';

type Validate = StageOf<'validate'>;
type RuleOf<K extends Rule['rule']> = Extract<Rule, { rule: K }>;

export const SAMPLE_LIMIT = 5;

/** A rule's name: the one given, or kind + columns, made unique within the stage. */
export function ruleNames(rules: readonly Rule[]): string[] {
  const used = new Map<string, number>();
  return rules.map((r) => {
    const cols = 'columns' in r ? r.columns.join('_') : 'column' in r ? r.column : '';
    const base = r.name ?? [r.rule, cols].filter(Boolean).join('_');
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    return n === 1 ? base : `${base}_${n}`;
  });
}

/** Stages a rule reads besides the validate stage's own input. */
export function ruleStageRefs(rule: Rule): { stage: string; key: (string | number)[] }[] {
  switch (rule.rule) {
    case 'relationship':
      return [{ stage: rule.to, key: ['to'] }];
    case 'reconcile':
      return [
        ...(rule.left.stage ? [{ stage: rule.left.stage, key: ['left', 'stage'] }] : []),
        ...(rule.right.stage ? [{ stage: rule.right.stage, key: ['right', 'stage'] }] : []),
      ];
    case 'conservation':
      return rule.stage ? [{ stage: rule.stage, key: ['stage'] }] : [];
    default:
      return [];
  }
}

function checkBound(value: number | string | undefined, type: DataType, ctx: PropagateContext, at: (string | number)[]): void {
  if (value === undefined) return;
  try {
    duckdbLiteral(value, type);
  } catch {
    ctx.error(at, `${JSON.stringify(value)} is not a valid ${type}`);
  }
}

function propagateRule(rule: Rule, input: Schema, stage: Validate, ctx: PropagateContext, at: (string | number)[]): void {
  if (!isRowRule(rule) && rule.action === 'reject') {
    ctx.error([...at, 'action'], `a ${rule.rule} rule judges the whole dataset, so it cannot reject rows`, "use action 'fail' or 'warn'");
  }
  if (rule.severity === 'warn' && rule.action === 'fail') {
    ctx.warning([...at, 'action'], "a warn-severity rule with action 'fail' still stops the outputs from being published");
  }
  switch (rule.rule) {
    case 'not_null':
    case 'unique':
      rule.columns.forEach((c, i) => ctx.column([...at, 'columns', i], c, input));
      return;
    case 'accepted_values': {
      ctx.column([...at, 'column'], rule.column, input);
      return;
    }
    case 'range': {
      const t = ctx.column([...at, 'column'], rule.column, input);
      if (rule.min === undefined && rule.max === undefined) ctx.error(at, 'a range rule needs min, max or both');
      if (t && !isNumeric(t) && !isTemporal(t) && t !== 'string') ctx.error([...at, 'column'], `range does not apply to ${t}`);
      if (t) {
        checkBound(rule.min, t, ctx, [...at, 'min']);
        checkBound(rule.max, t, ctx, [...at, 'max']);
      }
      return;
    }
    case 'regex': {
      const t = ctx.column([...at, 'column'], rule.column, input);
      if (t && t !== 'string') ctx.error([...at, 'column'], `regex needs text, but '${rule.column}' is ${t}`);
      const problem = regexSyntaxError(rule.pattern);
      if (problem) ctx.error([...at, 'pattern'], `invalid regular expression: ${problem}`);
      return;
    }
    case 'relationship': {
      rule.columns.forEach((c, i) => ctx.column([...at, 'columns', i], c, input));
      const target = ctx.schemaOf(rule.to, [...at, 'to']);
      const toCols = rule.to_columns ?? rule.columns;
      if (toCols.length !== rule.columns.length) ctx.error([...at, 'to_columns'], `${rule.columns.length} columns cannot match ${toCols.length}`);
      if (target) toCols.forEach((c, i) => ctx.column([...at, rule.to_columns ? 'to_columns' : 'columns', i], c, target));
      return;
    }
    case 'expression': {
      const { type } = ctx.expression([...at, 'expr'], rule.expr, input);
      if (type !== undefined && type !== 'boolean') ctx.error([...at, 'expr'], `a rule expression must be true or false, but this is ${type}`);
      return;
    }
    case 'row_count':
      if (rule.min === undefined && rule.max === undefined) ctx.error(at, 'a row_count rule needs min, max or both');
      if (rule.min !== undefined && rule.max !== undefined && rule.min > rule.max) ctx.error(at, `min ${rule.min} is above max ${rule.max}`);
      return;
    case 'freshness': {
      const t = ctx.column([...at, 'column'], rule.column, input);
      if (t && !isTemporal(t)) ctx.error([...at, 'column'], `freshness needs a date or timestamp, but '${rule.column}' is ${t}`);
      return;
    }
    case 'reconcile': {
      for (const side of ['left', 'right'] as const) {
        const m = rule[side];
        const s = m.stage ? ctx.schemaOf(m.stage, [...at, side, 'stage']) : input;
        if (!s) continue;
        m.group_by.forEach((g, i) => ctx.column([...at, side, 'group_by', i], g, s));
        checkSideMeasure(m, [...at, side], s, ctx);
      }
      if (rule.left.group_by.length !== rule.right.group_by.length) {
        ctx.error([...at, 'right', 'group_by'], `left groups by ${rule.left.group_by.length} columns, right by ${rule.right.group_by.length}`, 'group both sides by matching keys');
      }
      return;
    }
    case 'conservation':
      if (rule.stage) ctx.schemaOf(rule.stage, [...at, 'stage']);
      void stage;
      return;
  }
}

function propagate(stage: Validate, ctx: PropagateContext): PropagateResult {
  const input = ctx.schemaOf(stage.input, [...ctx.path, 'input']);
  if (!input) return { schema: [] };
  stage.rules.forEach((r, i) => propagateRule(r as Rule, input, stage, ctx, [...ctx.path, 'rules', i]));
  const names = ruleNames(stage.rules as Rule[]);
  names.forEach((n, i) => {
    if (names.indexOf(n) !== i && stage.rules[i]?.name) ctx.error([...ctx.path, 'rules', i, 'name'], `two rules are named '${n}'`);
  });
  return { schema: input };
}

const col = quoteIdent;


/** Row rules: a predicate that is true when a row fails, and the reason text for it. */
interface RowRuleSql {
  /** True for a failing row (over the judged rows, aliased x). */
  readonly fails: string;
  readonly reason: string;
  /** A join the predicate needs. */
  readonly join?: string;
  /** A cheaper query for the number of failing rows, when one exists. */
  readonly count?: string;
}

function rowRule(rule: Rule, index: number, input: Schema, stageInput: string, ctx: DuckdbContext): RowRuleSql | undefined {
  const type = (c: string) => input.find((x) => x.name === c)?.type ?? 'string';
  const col = (c: string) => `x.${quoteIdent(c)}`;
  const valueText = (c: string) => `coalesce(CAST(${col(c)} AS VARCHAR), 'NULL')`;
  switch (rule.rule) {
    case 'not_null':
      return {
        fails: rule.columns.map((c) => `${col(c)} IS NULL`).join(' OR '),
        reason: `'null in ' || concat_ws(', ', ${rule.columns.map((c) => `CASE WHEN ${col(c)} IS NULL THEN ${quoteString(c)} END`).join(', ')})`,
      };
    case 'unique': {
      // duplicates found by one grouping of the input, joined back (cheaper than a window)
      const alias = `_bb_u${index}`;
      const keys = rule.columns.map(quoteIdent).join(', ');
      const on = rule.columns.map((c) => `${alias}.${quoteIdent(c)} = ${col(c)}`).join(' AND ');
      const notNull = rule.columns.map((c) => `${quoteIdent(c)} IS NOT NULL`).join(' AND ');
      return {
        fails: `${alias}._bb_dup IS NOT NULL`,
        reason: `'not unique: ' || ${rule.columns.map((c) => `${quoteString(`${c}=`)} || ${valueText(c)}`).join(` || ', ' || `)}`,
        join: `LEFT JOIN (SELECT ${keys}, TRUE AS _bb_dup FROM ${ctx.table(stageInput)} WHERE ${notNull} GROUP BY ${keys} HAVING count(*) > 1) ${alias} ON ${on}`,
        // the rows in groups of more than one, without joining back
        count: `SELECT coalesce(sum(n), 0) AS failing FROM (SELECT count(*) AS n FROM ${ctx.table(stageInput)} WHERE ${notNull} GROUP BY ${keys} HAVING count(*) > 1)`,
      };
    }
    case 'accepted_values':
      return {
        fails: `${col(rule.column)} IS NOT NULL AND ${col(rule.column)} NOT IN (${rule.values.map((v) => duckdbLiteral(v, type(rule.column))).join(', ')})`,
        reason: `${quoteString(`${rule.column}: '`)} || ${valueText(rule.column)} || ''' is not an accepted value'`,
      };
    case 'range': {
      const t = type(rule.column);
      const parts = [
        rule.min !== undefined ? `${col(rule.column)} < ${duckdbLiteral(rule.min, t)}` : undefined,
        rule.max !== undefined ? `${col(rule.column)} > ${duckdbLiteral(rule.max, t)}` : undefined,
      ].filter(Boolean);
      return {
        fails: `${col(rule.column)} IS NOT NULL AND (${parts.join(' OR ')})`,
        reason: `${quoteString(`${rule.column}: `)} || ${valueText(rule.column)} || ${quoteString(` is outside [${rule.min ?? '-inf'}, ${rule.max ?? '+inf'}]`)}`,
      };
    }
    case 'regex':
      return {
        fails: `${col(rule.column)} IS NOT NULL AND NOT regexp_full_match(${col(rule.column)}, ${quoteString(rule.pattern)})`,
        reason: `${quoteString(`${rule.column}: '`)} || ${col(rule.column)} || ${quoteString(`' does not match ${rule.pattern}`)}`,
      };
    case 'relationship': {
      // an anti-join on the target's distinct keys (one hash join, no per-row subquery)
      const to = rule.to_columns ?? rule.columns;
      const alias = `_bb_r${index}`;
      const keys = to.map((c, i) => `${quoteIdent(c)} AS k${i}`).join(', ');
      const on = rule.columns.map((c, i) => `${alias}.k${i} = ${col(c)}`).join(' AND ');
      const notNull = rule.columns.map((c) => `${col(c)} IS NOT NULL`).join(' AND ');
      return {
        fails: `(${notNull}) AND ${alias}._bb_hit IS NULL`,
        reason: `${rule.columns.map((c) => `${quoteString(`${c}=`)} || ${valueText(c)}`).join(` || ', ' || `)} || ${quoteString(` has no match in ${rule.to}`)}`,
        join: `LEFT JOIN (SELECT DISTINCT ${keys}, TRUE AS _bb_hit FROM ${ctx.table(rule.to)}) ${alias} ON ${on}`,
      };
    }
    case 'expression':
      return {
        fails: `NOT coalesce((${ctx.expr(rule.expr, input, 'x')}), TRUE)`,
        reason: quoteString(`rule not true: ${rule.expr}`),
      };
    default:
      return undefined;
  }
}

function measureSql(m: Extract<Rule, { rule: 'reconcile' }>['left'], columns: Schema, ctx: DuckdbContext): string {
  const arg = m.column !== undefined ? col(m.column) : m.expr !== undefined ? `(${ctx.expr(m.expr, columns)})` : '*';
  return `CAST(${sqlAggregateCall(m.fn, arg)} AS DOUBLE)`;
}

function reconcileSql(rule: RuleOf<'reconcile'>, stage: Validate, input: string, ctx: DuckdbContext): string {
  const side = (m: RuleOf<'reconcile'>['left'], alias: string) => {
    const groups = m.group_by.map((g, i) => `${col(g)} AS k${i}`);
    const from = m.stage ? ctx.table(m.stage) : input;
    const measure = measureSql(m, ctx.schemaOf(m.stage ?? stage.input), ctx);
    return `${alias} AS (SELECT ${[...groups, `${measure} AS v`].join(', ')} FROM ${from}${groups.length ? ` GROUP BY ${m.group_by.map(col).join(', ')}` : ''})`;
  };
  const keys = rule.left.group_by.map((g, i) => `coalesce(l.k${i}, r.k${i}) AS ${col(g)}`);
  const on = rule.left.group_by.length ? rule.left.group_by.map((_, i) => `l.k${i} IS NOT DISTINCT FROM r.k${i}`).join(' AND ') : 'TRUE';
  const diff = 'coalesce(l.v, 0) - coalesce(r.v, 0)';
  const within = [
    rule.tolerance.absolute !== undefined ? `abs(${diff}) <= ${rule.tolerance.absolute} + 1e-9` : undefined,
    rule.tolerance.relative !== undefined ? `abs(${diff}) <= ${rule.tolerance.relative} * greatest(abs(coalesce(l.v, 0)), abs(coalesce(r.v, 0))) + 1e-9` : undefined,
  ].filter(Boolean);
  const matches = within.length ? within.join(' OR ') : `${diff} = 0`;
  return `WITH ${side(rule.left, 'l')}, ${side(rule.right, 'r')}\nSELECT ${[...keys, 'round(l.v, 6) AS left_value', 'round(r.v, 6) AS right_value', `round(${diff}, 6) AS difference`].join(', ')}\nFROM l FULL JOIN r ON ${on}\nWHERE NOT (${matches})`;
}

function tableRule(rule: Rule, name: string, stage: Validate, ctx: DuckdbContext, statsOf: (s: string) => string): { check: string; samples: string } {
  const input = ctx.table(stage.input);
  switch (rule.rule) {
    case 'row_count': {
      const bad = [rule.min !== undefined ? `n < ${rule.min}` : undefined, rule.max !== undefined ? `n > ${rule.max}` : undefined].filter(Boolean).join(' OR ');
      // the rows judged, already counted in the stage's stats pass
      const q = `SELECT rows_in AS n FROM ${statsTable(stage.name)}`;
      return { check: `SELECT CASE WHEN ${bad} THEN 1 ELSE 0 END AS failing FROM (${q})`, samples: `SELECT n AS row_count, ${rule.min ?? 'NULL'} AS min, ${rule.max ?? 'NULL'} AS max FROM (${q}) WHERE ${bad}` };
    }
    case 'freshness': {
      const asOf = `(CAST(${duckdbLiteral(String(ctx.params['run_date']), 'date')} AS TIMESTAMP) + INTERVAL 1 DAY)`;
      const q = `SELECT CAST(max(${col(rule.column)}) AS TIMESTAMP) AS latest, ${asOf} AS as_of FROM ${input}`;
      const stale = `latest IS NULL OR latest < as_of - INTERVAL ${Math.round(rule.max_age_hours * 3600)} SECOND`;
      return { check: `SELECT CASE WHEN ${stale} THEN 1 ELSE 0 END AS failing FROM (${q})`, samples: `SELECT latest, as_of, ${rule.max_age_hours} AS max_age_hours FROM (${q}) WHERE ${stale}` };
    }
    case 'reconcile': {
      const q = reconcileSql(rule, stage, input, ctx);
      return { check: `SELECT count(*) AS failing FROM (${q})`, samples: `SELECT * FROM (${q}) ORDER BY ALL LIMIT 100` };
    }
    case 'conservation': {
      const target = rule.stage ?? stage.input;
      const q = statsOf(target);
      const bad = 'rows_in <> rows_out + rejected + filtered';
      return { check: `SELECT CASE WHEN ${bad} THEN 1 ELSE 0 END AS failing FROM (${q})`, samples: `SELECT ${quoteString(target)} AS stage, rows_in, rows_out, rejected, filtered FROM (${q}) WHERE ${bad}` };
    }
    default:
      throw new Error(`${name}: not a table rule`);
  }
}

/**
 * A row rule's first failing rows: their row numbers (the smallest SAMPLE_LIMIT) are taken in the
 * stage's counting pass, where they cost next to nothing, and the rows themselves read afterwards.
 */
function firstFailing(predicate: string, i: number, select: string, stats: string): { count: string; rule: NonNullable<CompiledRule['firstFailing']> } {
  const column = `_bb_s${i}`;
  return {
    // the first failing row's number only: min(x, n) would turn the pass into a hash aggregate (3× its cost)
    count: `min(x._bb_row) FILTER (WHERE ${predicate}) AS ${column}`,
    rule: { first: `SELECT ${column} AS first FROM ${stats}`, select },
  };
}

/**
 * Row rules that reject are flags on the judged rows (a view fused into the readers, or a table
 * where the plan materialises the stage); rows failing one go to rejects with every reason, the
 * rest flow on. Every other row rule is counted in the same single pass that counts the stage's
 * rows (into its `__stats` table); unique counts group once. Table rules are queries over the
 * complete bounded dataset.
 */
export function compileValidateDuckdb(stage: Validate, ctx: DuckdbContext, statsOf: (stage: string) => string): CompiledStage {
  const input = ctx.schemaOf(stage.input);
  const rules = stage.rules as Rule[];
  const names = ruleNames(rules);
  const lineageIn = ctx.hasLineage(stage.input);
  const lineageOut = lineageIn && ctx.needsLineage(stage.name);
  const rejecting = rules.some((r) => r.action === 'reject');
  const keepLineage = lineageIn && (lineageOut || rejecting);
  const judged = quoteIdent(`${stage.name}__judged`);
  const flagsTable = quoteIdent(`${stage.name}__flags`);
  const stats = statsTable(stage.name);
  const cols = input.map((c) => quoteIdent(c.name)).join(', ');
  const colList = input.map((c) => `x.${quoteIdent(c.name)}`).join(', ');
  const compiled: CompiledRule[] = [];
  const flags: string[] = [];
  const joins: string[] = [];
  const rejectReasons: string[] = [];
  const rejectFlags: string[] = [];
  // counted in the stats pass over the judged rows (x): failing-row counts and the joins they need
  const counts: string[] = [];
  const countJoins: string[] = [];
  rules.forEach((rule, i) => {
    const name = names[i]!;
    const row = rowRule(rule, i, input, stage.input, ctx);
    if (!row) {
      compiled.push({ rule, name, ...tableRule(rule, name, stage, ctx, statsOf) });
      return;
    }
    const failing = `_bb_f${i}`;
    const countedIn = `SELECT ${failing} AS failing FROM ${stats}`;
    if (rule.action === 'reject') {
      // only rules that move rows need a flag per row
      const flag = quoteIdent(`_bb_fail_${i}`);
      flags.push(`${row.fails} AS ${flag}`);
      rejectFlags.push(flag);
      if (row.join) joins.push(row.join);
      rejectReasons.push(`CASE WHEN ${flag} THEN ${quoteString(`${name}: `)} || ${row.reason} END`);
      counts.push(`count(*) FILTER (WHERE x.${flag}) AS ${failing}`);
      const first = keepLineage ? firstFailing(`x.${flag}`, i, `SELECT ${row.reason} AS reason, ${colList}, x._bb_src, x._bb_file, x._bb_row FROM ${judged} x WHERE ${flag}`, stats) : undefined;
      if (first) counts.push(first.count);
      compiled.push({ rule, name, check: countedIn, samples: `SELECT ${row.reason} AS reason, ${colList} FROM ${judged} x WHERE ${flag} LIMIT ${SAMPLE_LIMIT}`, failsRow: flag, reason: row.reason, ...(first ? { firstFailing: first.rule } : {}) });
      return;
    }
    // the others are questions asked of the judged rows
    const from = `${judged} x${row.join ? ` ${row.join}` : ''}`;
    const first = keepLineage && !row.count ? firstFailing(row.fails, i, `SELECT ${row.reason} AS reason, ${colList}, x._bb_src, x._bb_file, x._bb_row FROM ${from} WHERE ${row.fails}`, stats) : undefined;
    if (!row.count) {
      counts.push(`count(*) FILTER (WHERE ${row.fails}) AS ${failing}`);
      if (first) counts.push(first.count);
      if (row.join) countJoins.push(row.join);
    }
    compiled.push({ rule, name, check: row.count ?? countedIn, samples: `SELECT ${row.reason} AS reason, ${colList} FROM ${from} WHERE ${row.fails} LIMIT ${SAMPLE_LIMIT}`, reason: row.reason, ...(first ? { firstFailing: first.rule } : {}) });
  });
  const inherited = keepLineage ? ['_bb_src', '_bb_file', '_bb_row'] : [];
  const noReject = 'CAST(NULL AS VARCHAR) AS _bb_reason, FALSE AS _bb_dropped, CAST(NULL AS BIGINT) AS _bb_line, CAST(NULL AS VARCHAR) AS _bb_raw';
  const flagged = `SELECT x.*, CASE WHEN ${rejectFlags.join(' OR ')} THEN concat_ws('; ', ${rejectReasons.join(', ')}) END AS _bb_reason, FALSE AS _bb_dropped, CAST(NULL AS BIGINT) AS _bb_line, CAST(NULL AS VARCHAR) AS _bb_raw
FROM (SELECT ${[colList, ...inherited.map((m) => `x.${m}`), ...flags].filter(Boolean).join(', ')}
  FROM ${ctx.table(stage.input)} x${joins.length ? `\n  ${joins.join('\n  ')}` : ''}) x`;
  const judging = !flags.length
    ? [`CREATE OR REPLACE VIEW ${judged} AS SELECT ${[colList, ...inherited.map((m) => `x.${m}`)].filter(Boolean).join(', ')}, ${noReject} FROM ${ctx.table(stage.input)} x`]
    : ctx.materialize(stage.name)
      ? // flags first (they may hold subqueries), reasons over them in the outer SELECT
        [`CREATE OR REPLACE TABLE ${flagsTable} AS\n${flagged}`, `CREATE OR REPLACE VIEW ${judged} AS SELECT * FROM ${flagsTable}`]
      : [`CREATE OR REPLACE VIEW ${judged} AS\n${flagged}`];
  const lineage = keepLineage ? '_bb_src, _bb_file, _bb_row' : undefined;
  // a row is rejected exactly when a reject flag is true (its reason is then set): the flags, not the reason text, are what is filtered and counted on
  const rejected = flags.length ? `coalesce(${rejectFlags.join(' OR ')}, false)` : undefined;
  const [liveRow, rejectedRow] = rejected ? [`NOT ${rejected}`, rejected] : ['x._bb_reason IS NULL', 'x._bb_reason IS NOT NULL'];
  // one pass: the stage's counts and every row rule's failing rows (a stage that cannot reject passes its input's count on when it has nothing to count)
  const statsSql = counts.length || flags.length
    ? `SELECT count(*) AS rows_in, count(*) FILTER (WHERE ${liveRow}) AS rows_out, count(*) FILTER (WHERE ${rejectedRow}) AS rejected, CAST(0 AS BIGINT) AS filtered${counts.map((c) => `, ${c}`).join('')}
FROM ${judged} x${countJoins.length ? `\n${countJoins.join('\n')}` : ''}`
    : passthroughStats(stage.input);
  return {
    statements: [
      ...judging,
      ...stageViews(stage.name, cols, lineageOut ? lineage : undefined, judged, lineage, rejected),
      stageStats(stage.name, statsSql),
    ],
    stats: statsQuery(stage.name),
    lineage: lineageOut,
    hasRejects: true,
    rules: compiled,
  };
}

export const validateStage: StageModule<'validate'> = {
  kind: 'validate',
  label: 'Validate',
  inputs: (stage) => [stage.input, ...(stage.rules as Rule[]).flatMap((r) => ruleStageRefs(r).map((x) => x.stage))],
  propagate,
  compile: { duckdb: (stage, ctx) => compileValidateDuckdb(stage, ctx, ctx.statsOf), spark: compileValidateSpark, beam: compileValidateBeam },
};
