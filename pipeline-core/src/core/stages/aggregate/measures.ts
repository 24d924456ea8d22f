import type { Expr } from '../../expr/ast.js';
import { parseExpression } from '../../expr/parse.js';
import { printExpression } from '../../expr/print.js';
import { typecheckExpression } from '../../expr/typecheck.js';
import type { PipelineSpec, StageOf } from '../../spec/schema.js';
import type { Column, DataType, Schema } from '../../types/dataType.js';
import { measureType } from './measureType.js';

/**
 * How an aggregate's measures are computed, the same for every engine: one GROUP BY computes the
 * group columns and every measure with an `fn`; then, in list order, each measure without `fn`
 * (computed by its expression from the group columns and the measures listed before it) and
 * each `round:` is one projection step over the columns so far. Old specs have no steps, and
 * compile exactly as before.
 */
export interface MeasureStep {
  readonly name: string;
  /** An expression in the language, over `columns`. */
  readonly expr: string;
  /** The columns the step reads (the previous step's output). */
  readonly columns: Schema;
  /** A rounded aggregated measure replaces its own column; a computed one is added. */
  readonly replaces: boolean;
}

export interface MeasurePlan {
  /** What the GROUP BY outputs: the group columns, then the aggregated measures. */
  readonly aggregated: Schema;
  readonly steps: readonly MeasureStep[];
  /** The stage's output columns, in spec order. */
  readonly output: Schema;
}

type Aggregate = StageOf<'aggregate'>;
export type ExprTypeOf = (text: string, columns: Schema) => DataType | undefined;

/** The expression of a `round: digits` over an expression. */
export function roundedExpr(expr: Expr, digits: number): Expr {
  const lit: Expr = { k: 'literal', lit: { type: 'integer', value: String(Math.abs(digits)) } };
  return { k: 'call', fn: 'round', args: [expr, digits < 0 ? { k: 'unary', op: '-', arg: lit } : lit] };
}

function parsed(text: string): Expr {
  const p = parseExpression(text);
  if (!p.ok) throw new Error(`aggregate: '${text}' does not parse; validate the spec before compiling it`);
  return p.expr;
}

/** The text of a computed measure (rounded when asked), or of rounding an aggregated one. */
export function stepExpr(m: Aggregate['measures'][number]): string | undefined {
  if (m.fn === undefined) return m.expr === undefined ? undefined : m.round === undefined ? m.expr : printExpression(roundedExpr(parsed(m.expr), m.round));
  return m.round === undefined ? undefined : printExpression(roundedExpr({ k: 'column', name: m.name }, m.round));
}

/** The plan of a valid aggregate; `typeOf` types an (already checked) expression. */
export function planMeasures(stage: Aggregate, input: Schema, typeOf: ExprTypeOf): MeasurePlan {
  const groups = stage.group_by.map((g): Column => ({ name: g, type: input.find((c) => c.name === g)?.type ?? 'string' }));
  const aggregated: Column[] = [...groups];
  for (const m of stage.measures) {
    if (m.fn === undefined) continue;
    const arg = m.column !== undefined ? input.find((c) => c.name === m.column)?.type : m.expr !== undefined ? typeOf(m.expr, input) : undefined;
    aggregated.push({ name: m.name, type: measureType(m.fn, arg) });
  }
  const steps: MeasureStep[] = [];
  let columns: Column[] = [...aggregated];
  for (const m of stage.measures) {
    const expr = stepExpr(m);
    if (expr === undefined) continue;
    const type = typeOf(expr, columns) ?? 'double';
    const replaces = m.fn !== undefined;
    steps.push({ name: m.name, expr, columns, replaces });
    columns = replaces ? columns.map((c) => (c.name === m.name ? { name: m.name, type } : c)) : [...columns, { name: m.name, type }];
  }
  const output = [...groups, ...stage.measures.map((m) => columns.find((c) => c.name === m.name) ?? { name: m.name, type: 'double' as DataType })];
  return { aggregated, steps, output };
}

/** Types expressions the way the spec's analysis does: columns, and the parameters with run_date. */
export function specExprTypeOf(spec: PipelineSpec): ExprTypeOf {
  const params: Record<string, DataType> = { run_date: 'date' };
  for (const [name, p] of Object.entries(spec.parameters ?? {})) params[name] = p.type;
  return (text, columns) => {
    const p = parseExpression(text);
    return p.ok ? typecheckExpression(p.expr, { columns, params }).type : undefined;
  };
}

/**
 * SQL applying the steps over the GROUP BY's SQL (DuckDB and Spark SQL alike): one projection per
 * step, then the output columns in spec order. Without steps the GROUP BY's SQL is returned as is.
 */
export function measureStepsSql(groupBySql: string, plan: MeasurePlan, quote: (name: string) => string, emit: (text: string, columns: Schema) => string, carry: readonly string[] = []): string {
  if (plan.steps.length === 0) return groupBySql;
  // `carry`: bookkeeping columns of the GROUP BY (e.g. a group's row count) kept to the end
  let names = [...plan.aggregated.map((c) => c.name), ...carry];
  let sql = groupBySql;
  plan.steps.forEach((s, i) => {
    const value = `${emit(s.expr, s.columns)} AS ${quote(s.name)}`;
    const list = s.replaces ? names.map((n) => (n === s.name ? value : quote(n))) : [...names.map(quote), value];
    if (!s.replaces) names = [...names, s.name];
    sql = `SELECT ${list.join(', ')} FROM (${sql}) AS _bb_m${i}`;
  });
  return `SELECT ${[...plan.output.map((c) => c.name), ...carry].map(quote).join(', ')} FROM (${sql}) AS _bb_m`;
}
