import { z } from 'zod';
import { parseDataType, type DataType } from '../../types/dataType.js';

/**
 * Cleanse steps, in the order the analyst lists them. Each step is a small object with a `step`
 * discriminator so the designer can add, reorder, toggle (`enabled: false`) and delete them.
 * Kept free of the spec module so the spec schema can import it without a cycle.
 */
const column = z.string().min(1).max(255).regex(/^[^\u0000-\u001f"`]+$/, 'column names may not contain quotes or control characters');
const columns = z.array(column).min(1);
const typeName = z
  .string()
  .refine((t) => parseDataType(t) !== undefined, { message: 'unknown type: use string, integer, double, boolean, date, timestamp or decimal(p,s)' })
  .transform((t) => parseDataType(t) as DataType);
const onError = z.enum(['reject', 'null', 'fail']).default('reject');
const base = { enabled: z.boolean().optional(), note: z.string().optional() };

export const trimStep = z.strictObject({ ...base, step: z.literal('trim'), columns });
export const caseStep = z.strictObject({ ...base, step: z.literal('case'), columns, to: z.enum(['upper', 'lower']) });
export const castStep = z.strictObject({ ...base, step: z.literal('cast'), columns, type: typeName, on_error: onError });
export const parseDateStep = z.strictObject({
  ...base,
  step: z.literal('parse_date'),
  column,
  formats: z.array(z.string().min(1)).min(1).meta({ description: 'strftime formats tried in order, e.g. %Y-%m-%dT%H:%M:%S%z' }),
  timezone: z.string().optional().meta({ description: 'IANA zone of values without an offset; results are UTC' }),
  type: z.enum(['date', 'timestamp']).default('timestamp'),
  into: column.optional(),
  on_error: onError,
});
export const parseNumberStep = z.strictObject({
  ...base,
  step: z.literal('parse_number'),
  column,
  type: typeName.default('double'),
  thousands: z.enum([',', '.', ' ', "'", '']).default(','),
  decimal: z.enum(['.', ',']).default('.'),
  currency: z.boolean().default(true).meta({ description: 'strip currency symbols and codes such as €, $, EUR' }),
  into: column.optional(),
  on_error: onError,
});
export const dedupeStep = z.strictObject({
  ...base,
  step: z.literal('dedupe'),
  keys: columns,
  order_by: z
    .array(z.strictObject({ column, direction: z.enum(['asc', 'desc']).default('desc') }))
    .default([])
    .meta({ description: 'the first row in this order is kept (e.g. updated_at desc keeps the latest)' }),
});
export const filterStep = z.strictObject({
  ...base,
  step: z.literal('filter'),
  expr: z.string().min(1).meta({ description: 'rows where this is true are kept' }),
  on_false: z.enum(['drop', 'reject']).default('drop').meta({ description: 'drop: counted as filtered; reject: sent to rejects with a reason' }),
});
export const deriveStep = z.strictObject({ ...base, step: z.literal('derive'), column, expr: z.string().min(1) });
export const renameStep = z.strictObject({ ...base, step: z.literal('rename'), columns: z.record(column, column) });
export const dropStep = z.strictObject({ ...base, step: z.literal('drop'), columns });
export const fillNullStep = z.strictObject({
  ...base,
  step: z.literal('fill_null'),
  columns,
  value: z.union([z.string(), z.number(), z.boolean()]),
});
export const standardiseStep = z.strictObject({
  ...base,
  step: z.literal('standardise'),
  column,
  mapping: z.record(z.string(), z.string()).meta({ description: 'raw value -> standard value' }),
  ignore_case: z.boolean().default(true),
  unmapped: z.enum(['keep', 'null', 'reject']).default('keep'),
});

export const stepSchema = z.discriminatedUnion('step', [
  trimStep,
  caseStep,
  castStep,
  parseDateStep,
  parseNumberStep,
  dedupeStep,
  filterStep,
  deriveStep,
  renameStep,
  dropStep,
  fillNullStep,
  standardiseStep,
]);

export type CleanseStep = z.output<typeof stepSchema>;
export type StepKind = CleanseStep['step'];
export const STEP_KINDS: readonly StepKind[] = stepSchema.options.map((o) => o.shape.step.value);
