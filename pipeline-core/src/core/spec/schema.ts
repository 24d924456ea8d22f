import { z } from 'zod';
import { parseDataType, type DataType } from '../types/dataType.js';
import { stepSchema } from '../stages/cleanse/steps.js';
import { ruleSchema } from '../stages/validate/rules.js';
import { checkCostSources, costScenarioSchema } from '../cost/scenarioSchema.js';
import { alertsSchema } from '../ops/alertsSchema.js';
import { matchStageFields, stageRef } from '../stages/match/matchSchema.js';

/**
 * Pipeline spec v1: the single source of truth that the designer edits, the runner executes and
 * every exporter compiles. Plain, serialisable data; the published JSON Schema is generated from
 * these zod schemas (`npm run schema` writes pipeline-core/schema/pipeline.schema.json).
 */
export const SPEC_VERSION = 1;

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const nameSchema = z
  .string()
  .regex(NAME_RE, 'names start with a letter or _ and hold only letters, digits and _')
  .max(63);

/** What a stage reads: another stage's name, or `stage.output` for one of a match stage's outputs. */
export const stageRefSchema = stageRef;

/** Column names: what real files carry, minus characters that have no business in a name. */
export const columnNameSchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[^\u0000-\u001f"`]+$/, 'column names may not contain quotes or control characters');

export const dataTypeSchema = z
  .string()
  .refine((t) => parseDataType(t) !== undefined, {
    message: 'unknown type: use string, integer, double, boolean, date, timestamp or decimal(p,s)',
  })
  .transform((t) => parseDataType(t) as DataType)
  .meta({ description: 'string | integer | double | boolean | date | timestamp | decimal(p,s)' });

export const columnSchema = z.strictObject({
  name: columnNameSchema,
  type: dataTypeSchema,
  position: z.number().int().min(1).max(100_000).optional().meta({
    description: "source columns only: read the file's column at this position (1 = first) whatever its header says — for empty, quoted or duplicate header names",
  }),
  description: z.string().optional(),
});

/** Expressions are kept as text in the spec; they are parsed and type-checked on load. */
export const exprSchema = z.string().min(1).meta({ description: 'an expression in the portable expression language' });

export const parameterSchema = z.strictObject({
  type: z.enum(['date', 'string', 'integer']),
  default: z.union([z.string(), z.number()]).optional(),
  description: z.string().optional(),
});

const RELATIVE_PATH_RE = /^(?![/\\])(?![A-Za-z]:)[^\u0000-\u001f]*$/;

export const relativePathSchema = z
  .string()
  .min(1)
  .regex(RELATIVE_PATH_RE, 'paths are relative to the project (no leading / or drive letter)')
  .refine((p) => !p.split(/[/\\]/).includes('..'), { message: "paths may not contain '..': they must stay inside their zone" });

export const csvOptionsSchema = z.strictObject({
  delimiter: z.string().length(1).optional(),
  quote: z.string().max(1).optional(),
  escape: z.string().max(1).optional(),
  header: z.boolean().optional(),
  encoding: z.enum(['utf-8', 'latin-1', 'utf-16']).optional(),
  skip_rows: z.number().int().min(0).optional(),
  null_values: z.array(z.string()).optional(),
});

/** Limits on rejected rows: above either, the run fails instead of publishing a mostly-rejected day. */
const rejectLimits = {
  max_rejects: z.number().int().min(0).optional().meta({ description: 'the run fails when more rows than this are rejected' }),
  max_reject_ratio: z.number().min(0).max(1).optional().meta({ description: 'the run fails when more than this share (0..1) of the rows read is rejected' }),
};

export const sourceSchema = z.strictObject({
  format: z.enum(['csv', 'json', 'ndjson', 'parquet']),
  path: relativePathSchema.meta({
    description: "glob relative to the project's inbox folder, with {param} placeholders, e.g. pos/orders_{run_date}.csv",
  }),
  options: csvOptionsSchema.optional(),
  schema: z.array(columnSchema).min(1).default([]).meta({ description: 'the columns read; a Parquet source may leave it out: the CLI reads the types from the file' }),
  // `on_missing: null` unquoted is YAML's null: it means what the user wrote
  on_missing: z.union([z.enum(['error', 'null']), z.null().transform(() => 'null' as const)]).optional().meta({
    description: 'a declared column missing from a file: error (the default) stops the run naming the column and the file; null reads it as NULL',
  }),
  max_line_bytes: z.number().int().min(1024).max(1 << 30).optional().meta({
    description: 'csv and ndjson: the longest line the reader accepts (default 2000000, as DuckDB max_line_size); a longer line is a reject',
  }),
  follow_links: z.boolean().optional().meta({ description: 'land files and folders of the inbox that are symbolic links (refused by default)' }),
  ...rejectLimits,
  description: z.string().optional(),
});

const common = {
  name: nameSchema,
  description: z.string().optional(),
  ...rejectLimits,
};

export const ingestStageSchema = z.strictObject({ ...common, kind: z.literal('ingest'), source: nameSchema });

export const cleanseStageSchema = z.strictObject({
  ...common,
  kind: z.literal('cleanse'),
  input: stageRefSchema,
  steps: z.array(stepSchema),
});

export const joinKeySchema = z.union([
  columnNameSchema,
  z.strictObject({ left: columnNameSchema, right: columnNameSchema }),
]);

export const joinStageSchema = z.strictObject({
  ...common,
  kind: z.literal('join'),
  left: stageRefSchema,
  right: stageRefSchema,
  type: z.enum(['inner', 'left', 'full', 'anti']),
  on: z.array(joinKeySchema).min(1),
  right_columns: z.array(columnNameSchema).min(1).optional().meta({
    description: 'the right-side columns to keep (default: all of them); right keys named like their left key are never repeated',
  }),
  right_prefix: z.string().regex(/^[A-Za-z0-9_]*$/).optional(),
  right_prefix_mode: z.enum(['clashes', 'all']).optional().meta({
    description: "which right columns take right_prefix: 'clashes' (default) only those whose name the left side already has, 'all' every right column",
  }),
});

export const MEASURE_FUNCTIONS = ['sum', 'count', 'count_if', 'count_distinct', 'min', 'max', 'avg'] as const;

export const measureSchema = z.strictObject({
  name: columnNameSchema,
  fn: z.enum(MEASURE_FUNCTIONS).optional().meta({
    description: 'the aggregate function; leave it out for a measure computed by expr from the group columns and the measures listed before it',
  }),
  column: columnNameSchema.optional(),
  expr: exprSchema.optional().meta({ description: "with fn: the value aggregated, per input row (count_if: a condition); without fn: computed after the aggregation, e.g. 'late / flights'" }),
  round: z.number().int().min(-38).max(38).optional().meta({ description: "round the measure's value to this many decimal places (half away from zero, as round())" }),
});

export const aggregateStageSchema = z.strictObject({
  ...common,
  kind: z.literal('aggregate'),
  input: stageRefSchema,
  group_by: z.array(columnNameSchema),
  measures: z.array(measureSchema).min(1),
});

export const unionStageSchema = z.strictObject({
  ...common,
  kind: z.literal('union'),
  inputs: z.array(stageRefSchema).min(2),
});

export const sqlStageSchema = z.strictObject({
  ...common,
  kind: z.literal('sql'),
  inputs: z.array(stageRefSchema),
  sql: z.string().min(1).meta({ description: 'DuckDB SQL; refer to inputs by their stage names' }),
  schema: z.array(columnSchema).min(1).meta({ description: 'the declared output columns, checked when it runs' }),
});

export const validateStageSchema = z.strictObject({
  ...common,
  kind: z.literal('validate'),
  input: stageRefSchema,
  rules: z.array(ruleSchema).min(1),
});

export const outputStageSchema = z.strictObject({
  ...common,
  kind: z.literal('output'),
  input: stageRefSchema,
  format: z.enum(['parquet', 'csv']),
  path: relativePathSchema.meta({ description: 'folder in the curated zone, with {param} placeholders' }),
  partition_by: z.array(columnNameSchema).optional(),
});

export const matchStageSchema = z.strictObject({ ...common, ...matchStageFields });

export const stageSchema = z.discriminatedUnion('kind', [
  ingestStageSchema,
  cleanseStageSchema,
  joinStageSchema,
  aggregateStageSchema,
  unionStageSchema,
  sqlStageSchema,
  validateStageSchema,
  outputStageSchema,
  matchStageSchema,
]);

export const scheduleSchema = z.strictObject({
  cron: z.string().min(1).meta({ description: 'five-field cron, e.g. "0 2 * * *"' }),
  timezone: z.string().min(1).meta({ description: 'IANA time zone, e.g. Europe/Berlin' }),
  window_hours: z.number().positive().max(24 * 7),
  retries: z.number().int().min(0).max(20).optional(),
});

export const pipelineSchema = z.strictObject({
  version: z.literal(SPEC_VERSION),
  name: nameSchema,
  description: z.string().optional(),
  parameters: z.record(nameSchema, parameterSchema).optional(),
  sources: z.record(nameSchema, sourceSchema),
  stages: z.array(stageSchema).min(1),
  schedule: scheduleSchema.optional(),
  cost: costScenarioSchema.optional().meta({ description: 'the cost scenario: volumes, peaks, services, ops assumptions; see docs/cost-model.md' }),
  alerts: alertsSchema.optional().meta({ description: 'notify on failure / warnings: a webhook (Slack, Teams or plain JSON) and/or a command; see docs/operations.md' }),
}).superRefine(checkCostSources);

type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

export type PipelineSpec = DeepReadonly<z.output<typeof pipelineSchema>>;
export type Stage = PipelineSpec['stages'][number];
export type StageKind = Stage['kind'];
export type StageOf<K extends StageKind> = Extract<Stage, { kind: K }>;
export type Source = PipelineSpec['sources'][string];
export type Parameter = NonNullable<PipelineSpec['parameters']>[string];
export type Schedule = NonNullable<PipelineSpec['schedule']>;
export type CostSection = NonNullable<PipelineSpec['cost']>;
export type Alerts = NonNullable<PipelineSpec['alerts']>;
export type Measure = StageOf<'aggregate'>['measures'][number];
export type JoinKey = StageOf<'join'>['on'][number];

/** The JSON Schema published for editors (YAML language server, VS Code). */
export function pipelineJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(pipelineSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    $id: 'https://batchbook.dev/schema/pipeline.schema.json',
    title: 'Batchbook pipeline spec v1',
    ...schema,
  };
}
