import { isNumeric, type Schema } from '../../types/dataType.js';
import type { PropagateContext } from '../stageModule.js';
import type { Rule } from './rules.js';

type Side = Extract<Rule, { rule: 'reconcile' }>['left'];

/** One side's measure: fn over a column, an expression (count_if: a condition), or the rows. */
export function checkSideMeasure(m: Side, at: (string | number)[], columns: Schema, ctx: PropagateContext): void {
  if (m.column !== undefined && m.expr !== undefined) ctx.error(at, 'give either column or expr, not both');
  let t;
  if (m.column !== undefined) t = ctx.column([...at, 'column'], m.column, columns);
  else if (m.expr !== undefined) t = ctx.expression([...at, 'expr'], m.expr, columns).type;
  else if (m.fn !== 'count') ctx.error(at, `${m.fn} needs a column or an expr`);
  const what = m.column !== undefined ? `'${m.column}'` : 'this';
  if (t && (m.fn === 'sum' || m.fn === 'avg') && !isNumeric(t)) ctx.error([...at, m.column !== undefined ? 'column' : 'expr'], `${m.fn} needs a number, but ${what} is ${t}`);
  if (t && m.fn === 'count_if' && t !== 'boolean') ctx.error([...at, m.column !== undefined ? 'column' : 'expr'], `count_if counts rows where a condition is true, but ${what} is ${t}`, "give a condition, e.g. expr: 'amount < 0'");
  if (t === 'boolean' && m.fn === 'count' && m.expr !== undefined) {
    ctx.warning([...at, 'fn'], 'count counts every non-NULL value, so this counts the rows where the condition is true and those where it is false', 'to count the rows where it is true, write fn: count_if');
  }
}
