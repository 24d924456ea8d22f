import type { z } from 'zod';
import type { Expr, ExprKind } from '../../expr/ast.js';
import { FUNCTION_NAMES } from '../../expr/functions.js';
import { castAllowed } from '../../expr/typeRules.js';
import { walkExpr } from '../../expr/walk.js';
import { analyzeSpec, checkExpression } from '../../spec/analyze.js';
import { csvOptionsSchema, joinStageSchema, MEASURE_FUNCTIONS, outputStageSchema, sourceSchema, type PipelineSpec, type Stage } from '../../spec/schema.js';
import { STAGE_KINDS } from '../../stages/registry.js';
import { stepSchema, type CleanseStep } from '../../stages/cleanse/steps.js';
import { ruleSchema, TABLE_RULES, type Rule } from '../../stages/validate/rules.js';
import { isDecimal, type DataType, type Schema } from '../../types/dataType.js';

/**
 * Every construct a pipeline can use, listed from the registries themselves (stage modules, the
 * cleanse step and rule schemas with their option values, join types, measure functions, the
 * function catalog, the expression syntax, the castable type pairs). The support matrix
 * (supportMatrix.ts) probes each target with each construct, and the conformance corpus must use
 * each one (constructsOfSpec walks a spec and names what it uses), so a construct added to a
 * registry shows up in both without anyone editing a list.
 */
export type ConstructGroup = 'stage' | 'step' | 'rule' | 'join' | 'measure' | 'source' | 'output' | 'syntax' | 'function' | 'cast' | 'regex' | 'date_format';

export interface Construct {
  readonly id: string;
  readonly group: ConstructGroup;
  /** How the construct reads in the matrix, e.g. "cast — on_error: fail". */
  readonly label: string;
}

export const GROUP_TITLES: { readonly [G in ConstructGroup]: string } = {
  stage: 'Stage kinds',
  step: 'Cleanse steps and their options',
  rule: 'Validation rules, severities and actions',
  join: 'Join types',
  measure: 'Aggregate measures',
  source: 'Source formats and CSV options',
  output: 'Outputs',
  syntax: 'Expression syntax (operators, literals, parameters)',
  function: 'Expression functions',
  cast: 'CAST between types',
  regex: 'Regular-expression syntax (regexp_* functions and regex rules)',
  date_format: 'parse_date format codes',
};

/** The groups the conformance corpus must cover (regex syntax and format codes are matrix-only probes). */
export const CORPUS_GROUPS: readonly ConstructGroup[] = ['stage', 'step', 'rule', 'join', 'measure', 'source', 'output', 'syntax', 'function', 'cast'];

/** A zod field's own schema under .default() / .optional(). */
function inner(schema: z.ZodType): z.ZodType {
  let t = schema;
  while (t.def.type === 'default' || t.def.type === 'optional') t = (t.def as unknown as { innerType: z.ZodType }).innerType;
  return t;
}

/** The values an option may take when it is an enum or a boolean (undefined for free values). */
function optionValues(schema: z.ZodType): readonly string[] | undefined {
  const t = inner(schema);
  if (t.def.type === 'enum') return (t as unknown as { options: readonly string[] }).options;
  if (t.def.type === 'boolean') return ['true', 'false'];
  return undefined;
}

const STEP_SKIP = new Set(['step', 'enabled', 'note']);
const RULE_VARIANTS = ['severity', 'action'] as const;

/** The syntax node ids, one per expression form; the record makes a new node kind a compile error here. */
const SYNTAX: { readonly [K in ExprKind]: readonly string[] } = {
  column: [],
  param: ['$parameter'],
  literal: ['NULL', 'TRUE / FALSE', 'integer literal', 'decimal literal', 'double literal', 'string literal', 'DATE literal', 'TIMESTAMP literal'],
  unary: ['- (negation)', 'NOT'],
  binary: ['+', '-', '*', '/', '%', '||', '=', '<>', '<', '<=', '>', '>=', 'AND', 'OR'],
  in: ['IN', 'NOT IN'],
  between: ['BETWEEN', 'NOT BETWEEN'],
  like: ['LIKE', 'NOT LIKE', 'ILIKE', 'NOT ILIKE'],
  isnull: ['IS NULL', 'IS NOT NULL'],
  case: ['CASE WHEN', 'CASE x WHEN'],
  cast: ['CAST', 'TRY_CAST'],
  call: [],
};

const LITERAL_IDS: Readonly<Record<string, string>> = {
  null: 'NULL',
  boolean: 'TRUE / FALSE',
  integer: 'integer literal',
  decimal: 'decimal literal',
  double: 'double literal',
  string: 'string literal',
  date: 'DATE literal',
  timestamp: 'TIMESTAMP literal',
};

/** The types CAST pairs are listed over (every decimal counts as one type). */
export const CAST_TYPES: readonly DataType[] = ['string', 'integer', 'double', 'decimal(10,2)', 'boolean', 'date', 'timestamp'];
const typeKey = (t: DataType) => (isDecimal(t) ? 'decimal' : t);

/**
 * Regular-expression syntax probed in the matrix: what RE2 (DuckDB) reads, and where Python's
 * `re` or Java's regex differ. Probe inputs, not capabilities: the targets' own checks decide.
 */
export const REGEX_PROBES: readonly { readonly label: string; readonly pattern: string }[] = [
  { label: 'character classes \\d \\w \\s', pattern: '\\d+\\w\\s' },
  { label: 'anchors ^ $ and alternation', pattern: '^(a|b)$' },
  { label: 'word boundary \\b', pattern: '\\bword\\b' },
  { label: 'flags (?i)', pattern: '(?i)abc' },
  { label: 'lazy quantifier +?', pattern: 'a+?' },
  { label: 'counted repetition {2,3}', pattern: 'a{2,3}' },
  { label: 'quantifier {,n}', pattern: 'a{,3}' },
  { label: 'named group (?P<name>…)', pattern: '(?P<n>a)' },
  { label: 'named group (?<name>…)', pattern: '(?<n>a)' },
  { label: 'Unicode class \\p{L}', pattern: '\\p{L}+' },
  { label: 'POSIX class [[:alpha:]]', pattern: '[[:alpha:]]+' },
  { label: 'quoting \\Q…\\E', pattern: '\\Qa.b\\E' },
  { label: 'a pattern that matches the empty string (x*)', pattern: 'x*' },
];

/** strptime codes DuckDB's parse_date reads; each is probed against the targets. */
export const DATE_FORMAT_CODES: readonly string[] = ['Y', 'y', 'm', 'd', 'H', 'M', 'S', 'f', 'j', 'b', 'B', 'p', 'I', 'z', 'Z', 'a', 'A', 'w', 'g', 'n', 'U', 'W', 'c', 'x', 'X', '-d', '-m', '%'];

/** Every construct, in matrix order. */
export function exportConstructs(): Construct[] {
  const out: Construct[] = [];
  const add = (group: ConstructGroup, id: string, label: string) => out.push({ id, group, label });
  for (const k of STAGE_KINDS) add('stage', `stage:${k}`, k);
  for (const option of stepSchema.options) {
    const kind = option.shape.step.value;
    add('step', `step:${kind}`, kind);
    for (const [field, schema] of Object.entries(option.shape)) {
      if (STEP_SKIP.has(field)) continue;
      for (const v of optionValues(schema as z.ZodType) ?? []) add('step', `step:${kind}:${field}=${v}`, `${kind} — ${field}: ${JSON.stringify(v)}`);
    }
  }
  for (const option of ruleSchema.options) {
    const kind = option.shape.rule.value;
    add('rule', `rule:${kind}`, kind);
    for (const field of RULE_VARIANTS) {
      for (const v of optionValues(option.shape[field] as z.ZodType) ?? []) {
        // a table rule judges the whole dataset: the spec refuses action reject for it
        if (!(field === 'action' && v === 'reject' && (TABLE_RULES as readonly string[]).includes(kind))) add('rule', `rule:${kind}:${field}=${v}`, `${kind} — ${field}: ${v}`);
      }
    }
  }
  for (const t of joinStageSchema.shape.type.options) add('join', `join:${t}`, t);
  add('join', 'join:right_columns', 'right_columns (a choice of right-side columns)');
  add('join', 'join:right_prefix_mode=all', 'right_prefix_mode: all (every right column prefixed)');
  for (const fn of MEASURE_FUNCTIONS) add('measure', `measure:${fn}`, `${fn}(column)`);
  add('measure', 'measure:count(*)', 'count() of rows');
  add('measure', 'measure:expr', 'a measure over an expression');
  add('measure', 'measure:computed', 'a measure computed from other measures (no fn)');
  add('measure', 'measure:round', 'round: on a measure');
  for (const f of sourceSchema.shape.format.options) add('source', `source:${f}`, f);
  for (const [opt, schema] of Object.entries(csvOptionsSchema.shape)) {
    add('source', `source:csv:${opt}`, `csv option ${opt}`);
    for (const v of optionValues(schema as z.ZodType) ?? []) if (opt !== 'header') add('source', `source:csv:${opt}=${v}`, `csv option ${opt}: ${v}`);
  }
  for (const f of outputStageSchema.shape.format.options) add('output', `output:${f}`, f);
  add('output', 'output:partition_by', 'partition_by');
  for (const ids of Object.values(SYNTAX)) for (const id of ids) add('syntax', `syntax:${id}`, id);
  for (const fn of FUNCTION_NAMES) add('function', `function:${fn}`, `${fn}()`);
  for (const from of CAST_TYPES) {
    for (const to of CAST_TYPES) if (from !== to && castAllowed(from, to)) add('cast', `cast:${typeKey(from)}->${typeKey(to)}`, `${typeKey(from)} → ${typeKey(to)}`);
  }
  for (const r of REGEX_PROBES) add('regex', `regex:${r.label}`, r.label);
  for (const c of DATE_FORMAT_CODES) add('date_format', `date_format:%${c}`, `%${c}`);
  return out;
}

/** The syntax and function ids an expression uses, with the type pairs of its casts. */
export function constructsOfExpression(text: string, columns: Schema, params: Readonly<Record<string, DataType>>): string[] {
  const checked = checkExpression(text, columns, params);
  if (!checked.expr) return [];
  const ids: string[] = [];
  for (const e of walkExpr(checked.expr)) ids.push(...nodeConstructs(e, checked.types));
  return ids;
}

function nodeConstructs(e: Expr, types: ReadonlyMap<Expr, DataType> | undefined): string[] {
  const s = (id: string) => `syntax:${id}`;
  switch (e.k) {
    case 'column':
      return [];
    case 'param':
      return [s('$parameter')];
    case 'literal':
      return [s(LITERAL_IDS[e.lit.type] ?? e.lit.type)];
    case 'unary':
      return [s(e.op === '-' ? '- (negation)' : 'NOT')];
    case 'binary':
      return [s(e.op)];
    case 'in':
      return [s(e.negated ? 'NOT IN' : 'IN')];
    case 'between':
      return [s(e.negated ? 'NOT BETWEEN' : 'BETWEEN')];
    case 'like':
      return [s(`${e.negated ? 'NOT ' : ''}${e.caseInsensitive ? 'ILIKE' : 'LIKE'}`)];
    case 'isnull':
      return [s(e.negated ? 'IS NOT NULL' : 'IS NULL')];
    case 'case':
      return [s(e.operand ? 'CASE x WHEN' : 'CASE WHEN')];
    case 'cast': {
      const from = types?.get(e.arg);
      const pair = from && typeKey(from) !== typeKey(e.type) ? [`cast:${typeKey(from)}->${typeKey(e.type)}`] : [];
      return [s(e.safe ? 'TRY_CAST' : 'CAST'), ...pair];
    }
    case 'call':
      return [`function:${e.fn}`];
  }
}

function stepConstructs(step: CleanseStep): string[] {
  const shape = stepSchema.options.find((o) => o.shape.step.value === step.step)?.shape as Record<string, z.ZodType> | undefined;
  const ids = [`step:${step.step}`];
  for (const [field, value] of Object.entries(step)) {
    if (!STEP_SKIP.has(field) && shape?.[field] && optionValues(shape[field])) ids.push(`step:${step.step}:${field}=${String(value)}`);
  }
  return ids;
}

function ruleConstructs(rule: Rule): string[] {
  return [`rule:${rule.rule}`, `rule:${rule.rule}:severity=${rule.severity}`, `rule:${rule.rule}:action=${rule.action}`];
}

/**
 * Every construct id a spec uses (enabled steps only): what the corpus coverage test checks
 * against exportConstructs(). Expressions are type-checked against the analysed schemas.
 */
export function constructsOfSpec(spec: PipelineSpec): Set<string> {
  const analysis = analyzeSpec(spec);
  const ids = new Set<string>();
  const schema = (name: string): Schema => analysis.schemas.get(name) ?? [];
  const expr = (text: string, columns: Schema) => constructsOfExpression(text, columns, analysis.paramTypes).forEach((id) => ids.add(id));
  const usedSources = new Set(spec.stages.flatMap((s) => (s.kind === 'ingest' ? [s.source] : [])));
  for (const [name, source] of Object.entries(spec.sources)) {
    if (!usedSources.has(name)) continue;
    ids.add(`source:${source.format}`);
    for (const [opt, value] of Object.entries(source.options ?? {})) {
      ids.add(`source:csv:${opt}`);
      if (typeof value === 'string' && optionValues(csvOptionsSchema.shape[opt as keyof typeof csvOptionsSchema.shape] as z.ZodType)) ids.add(`source:csv:${opt}=${value}`);
    }
  }
  for (const stage of spec.stages) {
    ids.add(`stage:${stage.kind}`);
    stageConstructs(stage, analysis.stepSchemas.get(stage.name) ?? [], schema, expr).forEach((id) => ids.add(id));
  }
  return ids;
}

function stageConstructs(stage: Stage, stepSchemas: readonly Schema[], schema: (name: string) => Schema, expr: (text: string, columns: Schema) => void): string[] {
  switch (stage.kind) {
    case 'cleanse': {
      const steps = (stage.steps as readonly CleanseStep[]).filter((s) => s.enabled !== false);
      steps.forEach((s, i) => {
        if (s.step === 'filter' || s.step === 'derive') expr(s.expr, stepSchemas[i] ?? []);
      });
      return steps.flatMap(stepConstructs);
    }
    case 'join':
      return [`join:${stage.type}`, ...(stage.right_columns ? ['join:right_columns'] : []), ...(stage.right_prefix_mode === 'all' ? ['join:right_prefix_mode=all'] : [])];
    case 'aggregate': {
      const out = schema(stage.name);
      return stage.measures.flatMap((m, i) => {
        const rounded = m.round !== undefined ? ['measure:round'] : [];
        if (m.fn === undefined) {
          if (m.expr !== undefined) expr(m.expr, out.slice(0, stage.group_by.length + i));
          return ['measure:computed', ...rounded];
        }
        if (m.expr !== undefined) expr(m.expr, schema(stage.input));
        return [m.column === undefined && m.expr === undefined ? 'measure:count(*)' : `measure:${m.fn}`, ...(m.expr !== undefined ? ['measure:expr'] : []), ...rounded];
      });
    }
    case 'validate':
      return (stage.rules as readonly Rule[]).flatMap((r) => {
        if (r.rule === 'expression') expr(r.expr, schema(stage.input));
        return ruleConstructs(r);
      });
    case 'output':
      return [`output:${stage.format}`, ...(stage.partition_by?.length ? ['output:partition_by'] : [])];
    default:
      return [];
  }
}
