import { z } from 'zod';

/**
 * Validation rules. Row rules find failing rows (which may be rejected); table rules judge the
 * whole bounded dataset (row counts, freshness, cross-source reconciliation, conservation).
 * severity decides the run's exit status (an error-severity failure exits 3);
 * action decides what happens to data: fail = nothing is published, reject = failing rows go to
 * rejects and the rest flows on, warn = rows flow on untouched.
 */
const column = z.string().min(1).max(255);
const columns = z.array(column).min(1);
const stageName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/);
const base = {
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).optional(),
  severity: z.enum(['error', 'warn']).default('error'),
  action: z.enum(['fail', 'reject', 'warn']).default('fail'),
  description: z.string().optional(),
};

export const notNullRule = z.strictObject({ ...base, rule: z.literal('not_null'), columns });
export const uniqueRule = z.strictObject({ ...base, rule: z.literal('unique'), columns });
export const acceptedValuesRule = z.strictObject({
  ...base,
  rule: z.literal('accepted_values'),
  column,
  values: z.array(z.union([z.string(), z.number(), z.boolean()])).min(1),
});
export const rangeRule = z.strictObject({
  ...base,
  rule: z.literal('range'),
  column,
  min: z.union([z.number(), z.string()]).optional(),
  max: z.union([z.number(), z.string()]).optional(),
});
export const regexRule = z.strictObject({ ...base, rule: z.literal('regex'), column, pattern: z.string().min(1) });
export const relationshipRule = z.strictObject({
  ...base,
  rule: z.literal('relationship'),
  columns,
  to: stageName,
  to_columns: columns.optional(),
});
export const expressionRule = z.strictObject({
  ...base,
  rule: z.literal('expression'),
  expr: z.string().min(1).meta({ description: 'rows where this is false fail (NULL passes, as in SQL CHECK)' }),
});
export const rowCountRule = z.strictObject({
  ...base,
  rule: z.literal('row_count'),
  min: z.number().int().min(0).optional(),
  max: z.number().int().min(0).optional(),
});
export const freshnessRule = z.strictObject({
  ...base,
  rule: z.literal('freshness'),
  column,
  max_age_hours: z.number().positive(),
});
const measureRef = z.strictObject({
  stage: stageName.optional(),
  fn: z.enum(['sum', 'count', 'count_if', 'count_distinct', 'min', 'max', 'avg']),
  column: column.optional(),
  expr: z.string().min(1).optional().meta({ description: "the value measured per row instead of a column (count_if: a condition, e.g. 'amount < 0')" }),
  group_by: z.array(column).default([]),
});
export const reconcileRule = z.strictObject({
  ...base,
  rule: z.literal('reconcile'),
  left: measureRef,
  right: measureRef,
  tolerance: z
    .strictObject({ absolute: z.number().min(0).optional(), relative: z.number().min(0).optional() })
    .default({ absolute: 0 }),
});
export const conservationRule = z.strictObject({ ...base, rule: z.literal('conservation'), stage: stageName.optional() });

export const ruleSchema = z.discriminatedUnion('rule', [
  notNullRule,
  uniqueRule,
  acceptedValuesRule,
  rangeRule,
  regexRule,
  relationshipRule,
  expressionRule,
  rowCountRule,
  freshnessRule,
  reconcileRule,
  conservationRule,
]);

export type Rule = z.output<typeof ruleSchema>;
export type RuleKind = Rule['rule'];
export const ROW_RULES = ['not_null', 'unique', 'accepted_values', 'range', 'regex', 'relationship', 'expression'] as const;
export const TABLE_RULES = ['row_count', 'freshness', 'reconcile', 'conservation'] as const;
export function isRowRule(rule: Rule): boolean {
  return (ROW_RULES as readonly string[]).includes(rule.rule);
}
