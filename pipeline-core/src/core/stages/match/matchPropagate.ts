import { isNumeric, isTemporal, type Schema } from '../../types/dataType.js';
import type { SpecPath } from '../../spec/diagnostics.js';
import type { PropagateContext, PropagateResult } from '../stageModule.js';
import { duplicateNames, matchKeyPair, matchOutputs, type Match } from './matchColumns.js';

/**
 * A match stage's checks: both inputs known, every key / amount / date column present on its
 * side with comparable types, options that only mean something together given together.
 * Its own schema is the matched pairs; its four outputs are addressed as `<stage>.<output>`.
 */
export function propagateMatch(stage: Match, ctx: PropagateContext): PropagateResult {
  const left = ctx.schemaOf(stage.left, [...ctx.path, 'left']);
  const right = ctx.schemaOf(stage.right, [...ctx.path, 'right']);
  if (!left || !right) return { schema: [] };
  checkKeys(stage, left, right, ctx);
  checkAmount(stage, left, right, ctx);
  checkDate(stage, left, right, ctx);
  const outputs = matchOutputs(stage, left, right);
  for (const name of duplicateNames(outputs.matched)) {
    ctx.error([...ctx.path, 'right'], `the matched rows would have two columns named '${name}'`, "rename the column on one side in a cleanse step (the right side's columns that clash take 'right_'; amount_diff, days_late, match_type, left_opened and right_opened are added)");
  }
  for (const side of ['unmatched_left', 'unmatched_right'] as const) {
    for (const name of duplicateNames(outputs[side])) ctx.error([...ctx.path, side === 'unmatched_left' ? 'left' : 'right'], `open items would have two columns named '${name}'`, "'opened' and 'age_days' are added to open items: rename that column in a cleanse step");
  }
  return { schema: outputs.matched, outputs };
}

function checkKeys(stage: Match, left: Schema, right: Schema, ctx: PropagateContext): void {
  stage.keys.forEach((key, i) => {
    const k = matchKeyPair(key);
    const at: SpecPath = [...ctx.path, 'keys', i];
    const lt = ctx.column(typeof key === 'string' ? at : [...at, 'left'], k.left, left);
    const rt = ctx.column(typeof key === 'string' ? at : [...at, 'right'], k.right, right);
    if (k.normalise.length && ((lt && lt !== 'string') || (rt && rt !== 'string'))) {
      ctx.error([...at, 'normalise'], `normalise applies to string keys; '${lt !== 'string' ? k.left : k.right}' is ${lt !== 'string' ? lt : rt}`, 'remove normalise, or cast the key to string in a cleanse step');
    } else if (lt && rt && lt !== rt && !(isNumeric(lt) && isNumeric(rt))) {
      ctx.error(at, `cannot match ${lt} '${k.left}' with ${rt} '${k.right}'`, 'cast one side in a cleanse step first');
    }
  });
}

function checkAmount(stage: Match, left: Schema, right: Schema, ctx: PropagateContext): void {
  if (!stage.amount) {
    if (stage.tolerance) ctx.error([...ctx.path, 'tolerance'], 'a tolerance needs amounts to compare', 'add amount: { left: <column>, right: <column> }');
    if (stage.cardinality === 'one_to_many') ctx.error([...ctx.path, 'cardinality'], 'one_to_many sums the left amounts, so it needs amount', 'add amount: { left: <column>, right: <column> }');
    return;
  }
  const at = [...ctx.path, 'amount'];
  for (const side of ['left', 'right'] as const) {
    const t = ctx.column([...at, side], stage.amount[side], side === 'left' ? left : right);
    if (t && !isNumeric(t)) ctx.error([...at, side], `the amount '${stage.amount[side]}' is ${t}, not a number`, 'parse it with a parse_number or cast step first');
  }
}

function checkDate(stage: Match, left: Schema, right: Schema, ctx: PropagateContext): void {
  if (!stage.date) return;
  const at = [...ctx.path, 'date'];
  for (const side of ['left', 'right'] as const) {
    const t = ctx.column([...at, side], stage.date[side], side === 'left' ? left : right);
    if (t && !isTemporal(t)) ctx.error([...at, side], `the date '${stage.date[side]}' is ${t}, not a date or timestamp`, 'parse it with a parse_date step first');
  }
}
