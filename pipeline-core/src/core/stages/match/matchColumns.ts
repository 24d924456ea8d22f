import type { Column, DataType, Schema } from '../../types/dataType.js';
import { decimalShape, decimalType, isDecimal } from '../../types/dataType.js';
import type { StageOf } from '../../spec/schema.js';
import type { Rule } from '../validate/rules.js';
import type { MatchOutput } from './matchSchema.js';

export type Match = StageOf<'match'>;

/** A key as a left/right pair, whether the spec names one column for both sides or two. */
export function matchKeyPair(key: Match['keys'][number]): { left: string; right: string; normalise: readonly string[] } {
  return typeof key === 'string' ? { left: key, right: key, normalise: [] } : { left: key.left, right: key.right, normalise: key.normalise ?? [] };
}

/** The type amount differences are computed in: exact decimals when both sides are decimal. */
export function diffType(left: DataType, right: DataType): DataType {
  const l = decimalShape(left);
  const r = decimalShape(right);
  if (isDecimal(left) && isDecimal(right) && l && r) return decimalType(38, Math.max(l.scale, r.scale));
  if (left === 'integer' && right === 'integer') return 'integer';
  return 'double';
}

/** A matched or mismatched pair's columns after both sides' own: why and how they were paired. */
export function pairExtras(stage: Match, left: Schema, right: Schema): Column[] {
  const extras: Column[] = [];
  if (stage.amount) {
    const lt = left.find((c) => c.name === stage.amount!.left)?.type ?? 'double';
    const rt = right.find((c) => c.name === stage.amount!.right)?.type ?? 'double';
    extras.push({ name: 'amount_diff', type: diffType(lt, rt) });
  }
  if (stage.date) extras.push({ name: 'days_late', type: 'integer' });
  extras.push({ name: 'match_type', type: 'string' }, { name: 'left_opened', type: 'date' }, { name: 'right_opened', type: 'date' });
  return extras;
}

/** An open item's columns after its side's own: the run date it first appeared, and its age then. */
export const OPEN_EXTRAS: readonly Column[] = [
  { name: 'opened', type: 'date' },
  { name: 'age_days', type: 'integer' },
];

/** Right columns as they appear beside the left ones: a name the left side has takes 'right_'. */
export function rightNames(left: Schema, right: Schema): { column: Column; from: string }[] {
  const taken = new Set(left.map((c) => c.name.toLowerCase()));
  return right.map((c) => ({ column: { name: taken.has(c.name.toLowerCase()) ? `right_${c.name}` : c.name, type: c.type }, from: c.name }));
}

/** The schema of each output (see MATCH_OUTPUTS). */
export function matchOutputs(stage: Match, left: Schema, right: Schema): Record<MatchOutput, Schema> {
  const pair = [...left, ...rightNames(left, right).map((r) => r.column), ...pairExtras(stage, left, right)];
  return {
    matched: pair,
    mismatched: pair,
    unmatched_left: [...left, ...OPEN_EXTRAS],
    unmatched_right: [...right, ...OPEN_EXTRAS],
  };
}

/** Names that occur twice in a schema. */
export function duplicateNames(schema: Schema): string[] {
  const seen = new Set<string>();
  const dupes = new Set<string>();
  for (const c of schema) (seen.has(c.name.toLowerCase()) ? dupes : seen).add(c.name.toLowerCase());
  return [...dupes];
}

/** The rule an open item older than max_age_days fails, as the run report and validation results name it (every engine). */
export function openItemsAgeRule(maxAge: number, severity: Rule['severity']): Rule {
  return { rule: 'expression', name: 'open_items_age', expr: `age_days <= ${maxAge}`, severity, action: 'warn' };
}
