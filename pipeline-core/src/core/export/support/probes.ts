import { quoteIdent } from '../../compile/sql.js';
import type { Expr } from '../../expr/ast.js';
import { FUNCTIONS } from '../../expr/functions.js';
import { parseExpression } from '../../expr/parse.js';
import { printExpression, printStringLiteral } from '../../expr/print.js';
import { typecheckExpression } from '../../expr/typecheck.js';
import type { PipelineSpec, StageKind } from '../../spec/schema.js';
import type { StepKind } from '../../stages/cleanse/steps.js';
import type { RuleKind } from '../../stages/validate/rules.js';
import { isDecimal } from '../../types/dataType.js';
import { REGEX_PROBES, type Construct, type ConstructGroup } from './constructs.js';
import type { SourceRelation } from '../../stages/stageModule.js';
import type { MarkedSourceRelation } from '../duckdb/duckdbTarget.js';

/**
 * Reader SQL of the right shape (every pinned column as text, the bookkeeping columns) that reads
 * nothing: enough for the DuckDB and dbt targets to compile a spec without sample files, as the
 * support matrix and the corpus tests do. Real exports get the runner's readers from the node side.
 */
export function syntheticSourceRelation(spec: PipelineSpec): MarkedSourceRelation {
  return (source: string): SourceRelation => {
    const s = spec.sources[source];
    if (!s) throw new Error(`unknown source ${source}`);
    const cols = s.schema.map((c) => `CAST(NULL AS VARCHAR) AS ${quoteIdent(c.name)}`);
    return {
      sql: `SELECT ${[...cols, 'CAST(0 AS INTEGER) AS _bb_file', 'CAST(NULL AS VARCHAR) AS _bb_error', 'CAST(1 AS BIGINT) AS _bb_row'].join(', ')} WHERE FALSE`,
      files: [],
      ...(s.format === 'csv' ? { lineOffset: 1 } : {}),
    };
  };
}

/**
 * Probes for the support matrix: for each construct of exportConstructs(), the smallest pipelines
 * that use it (as spec input, before defaults). The matrix compiles each for every target and
 * records what the target's own code says: written, refused (with its reason) or flagged.
 */
export interface Probe {
  /** Shown when a construct's probes disagree, e.g. 'arguments from columns'. */
  readonly label: string;
  readonly spec: Record<string, unknown>;
}

type Obj = Record<string, unknown>;

/** One column of each type; expressions and steps in probes read these. */
const COLUMNS: readonly { name: string; type: string }[] = [
  { name: 's', type: 'string' },
  { name: 'i', type: 'integer' },
  { name: 'd', type: 'double' },
  { name: 'n', type: 'decimal(10,2)' },
  { name: 'b', type: 'boolean' },
  { name: 'dt', type: 'date' },
  { name: 'ts', type: 'timestamp' },
];
const COLUMN_OF_TYPE: Readonly<Record<string, string>> = { string: 's', integer: 'i', double: 'd', decimal: 'n', boolean: 'b', date: 'dt', timestamp: 'ts' };

/** A pipeline reading one CSV source (raw, and raw2 for joins and unions), then `stages`, then an output of the last. */
export function probeSpec(stages: readonly Obj[], source: Obj = {}, output: Obj = {}): Obj {
  const last = (stages[stages.length - 1]?.['name'] as string | undefined) ?? 'raw';
  return {
    version: 1,
    name: 'probe',
    schedule: { cron: '0 2 * * *', timezone: 'UTC', window_hours: 2 },
    parameters: { k: { type: 'integer', default: 1 } },
    sources: { s: { format: 'csv', path: 's/s_{run_date}.csv', schema: COLUMNS, ...source } },
    stages: [
      { name: 'raw', kind: 'ingest', source: 's' },
      { name: 'raw2', kind: 'ingest', source: 's' },
      ...stages,
      { name: 'out', kind: 'output', input: last, format: 'parquet', path: 'out', ...output },
    ],
  };
}

const derive = (expr: string) => probeSpec([{ name: 'probe', kind: 'cleanse', input: 'raw', steps: [{ step: 'derive', column: 'x', expr }] }]);
const cleanse = (step: Obj) => probeSpec([{ name: 'probe', kind: 'cleanse', input: 'raw', steps: [step] }]);
const validate = (rule: Obj) => probeSpec([{ name: 'probe', kind: 'validate', input: 'raw', rules: [rule] }]);
const join = (type: string) => probeSpec([{ name: 'probe', kind: 'join', left: 'raw', right: 'raw2', type, on: ['s'], right_prefix: 'r_' }]);
const measures = (list: readonly Obj[]) => probeSpec([{ name: 'probe', kind: 'aggregate', input: 'raw', group_by: ['s'], measures: list }]);
const aggregate = (measure: Obj) => probeSpec([{ name: 'probe', kind: 'aggregate', input: 'raw', group_by: ['s'], measures: [{ name: 'm', ...measure }] }]);

const STAGE_PROBES: { readonly [K in StageKind]: Obj } = {
  ingest: probeSpec([]),
  cleanse: cleanse({ step: 'trim', columns: ['s'] }),
  join: join('inner'),
  aggregate: aggregate({ fn: 'count' }),
  union: probeSpec([{ name: 'probe', kind: 'union', inputs: ['raw', 'raw2'] }]),
  sql: probeSpec([{ name: 'probe', kind: 'sql', inputs: ['raw'], sql: 'SELECT s FROM raw', schema: [{ name: 's', type: 'string' }] }]),
  validate: validate({ rule: 'not_null', columns: ['s'] }),
  output: probeSpec([]),
  match: probeSpec([{ name: 'probe', kind: 'match', left: 'raw', right: 'raw2', keys: ['s'] }]),
};

const STEP_PROBES: { readonly [K in StepKind]: Obj } = {
  trim: { step: 'trim', columns: ['s'] },
  case: { step: 'case', columns: ['s'], to: 'upper' },
  cast: { step: 'cast', columns: ['s'], type: 'integer' },
  parse_date: { step: 'parse_date', column: 's', formats: ['%Y-%m-%d %H:%M:%S'], timezone: 'Europe/Berlin' },
  parse_number: { step: 'parse_number', column: 's', type: 'decimal(12,2)' },
  dedupe: { step: 'dedupe', keys: ['s'], order_by: [{ column: 'ts', direction: 'desc' }] },
  filter: { step: 'filter', expr: 'i > 0' },
  derive: { step: 'derive', column: 'x', expr: 'i + 1' },
  rename: { step: 'rename', columns: { s: 's2' } },
  drop: { step: 'drop', columns: ['s'] },
  fill_null: { step: 'fill_null', columns: ['s'], value: '-' },
  standardise: { step: 'standardise', column: 's', mapping: { a: 'A' } },
};

const RULE_PROBES: { readonly [K in RuleKind]: Obj } = {
  not_null: { rule: 'not_null', columns: ['s'] },
  unique: { rule: 'unique', columns: ['s'] },
  accepted_values: { rule: 'accepted_values', column: 's', values: ['a', 'b'] },
  range: { rule: 'range', column: 'i', min: 0, max: 10 },
  regex: { rule: 'regex', column: 's', pattern: '[a-z]+' },
  relationship: { rule: 'relationship', columns: ['s'], to: 'raw2' },
  expression: { rule: 'expression', expr: 'i > 0' },
  row_count: { rule: 'row_count', min: 1 },
  freshness: { rule: 'freshness', column: 'ts', max_age_hours: 24 },
  reconcile: { rule: 'reconcile', left: { fn: 'sum', column: 'd' }, right: { stage: 'raw2', fn: 'sum', column: 'd' } },
  conservation: { rule: 'conservation', stage: 'raw' },
};

/** An expression using each syntax form (constructs.ts lists the forms). */
export const SYNTAX_PROBES: Readonly<Record<string, string>> = {
  $parameter: 'i + $k',
  NULL: 'coalesce(s, NULL)',
  'TRUE / FALSE': 'b = TRUE',
  'integer literal': 'i + 1',
  'decimal literal': 'n + 1.5',
  'double literal': 'd * 1e2',
  'string literal': "s || 'x'",
  'DATE literal': "dt > DATE '2026-01-01'",
  'TIMESTAMP literal': "ts > TIMESTAMP '2026-01-01 00:00:00'",
  '- (negation)': '-i',
  NOT: 'NOT b',
  '+': 'i + i',
  '-': 'i - i',
  '*': 'i * i',
  '/': 'i / i',
  '%': 'i % i',
  '||': 's || s',
  '=': 'i = i',
  '<>': 'i <> i',
  '<': 'i < i',
  '<=': 'i <= i',
  '>': 'i > i',
  '>=': 'i >= i',
  AND: 'b AND b',
  OR: 'b OR b',
  IN: 'i IN (1, 2)',
  'NOT IN': 'i NOT IN (1, 2)',
  BETWEEN: 'i BETWEEN 1 AND 2',
  'NOT BETWEEN': 'i NOT BETWEEN 1 AND 2',
  LIKE: "s LIKE 'a%'",
  'NOT LIKE': "s NOT LIKE 'a%'",
  ILIKE: "s ILIKE 'a%'",
  'NOT ILIKE': "s NOT ILIKE 'a%'",
  'IS NULL': 's IS NULL',
  'IS NOT NULL': 's IS NOT NULL',
  'CASE WHEN': 'CASE WHEN b THEN 1 ELSE 2 END',
  'CASE x WHEN': "CASE s WHEN 'a' THEN 1 END",
  CAST: 'CAST(i AS string)',
  TRY_CAST: 'TRY_CAST(s AS integer)',
};

const CSV_OPTION_PROBES: Readonly<Record<string, unknown>> = { delimiter: ';', quote: "'", escape: '\\', header: false, encoding: 'latin-1', skip_rows: 1, null_values: ['NA'] };
const MEASURE_COLUMNS: Readonly<Record<string, string>> = { sum: 'd', avg: 'n', min: 'dt', max: 'ts', count: 's', count_if: 'b', count_distinct: 's' };

/** The example call of a catalog function with every non-constant argument read from a column of its type. */
function fromColumns(name: string): string | undefined {
  const def = FUNCTIONS[name as keyof typeof FUNCTIONS];
  const parsed = parseExpression(def.example[0]);
  if (!parsed.ok || parsed.expr.k !== 'call') return undefined;
  const { types } = typecheckExpression(parsed.expr, { columns: [], params: {} });
  const call = parsed.expr;
  const args = call.args.map((a, i): Expr => {
    const param = def.params[Math.min(i, def.params.length - 1)];
    const t = types.get(a);
    const col = t ? COLUMN_OF_TYPE[isDecimal(t) ? 'decimal' : t] : undefined;
    return param?.constant || !col ? a : { k: 'column', name: col };
  });
  return printExpression({ ...call, args });
}

const value = (v: string): unknown => (v === 'true' ? true : v === 'false' ? false : v);

function stepVariant(kind: StepKind, field: string, v: string): Obj {
  const step: Obj = { ...STEP_PROBES[kind], [field]: value(v) };
  // the thousands separator and the decimal mark must differ
  if (step['step'] === 'parse_number' && (step['thousands'] ?? ',') === (step['decimal'] ?? '.')) {
    if (field === 'decimal') step['thousands'] = '.';
    else step['decimal'] = ',';
  }
  return step;
}

/** The probes of one construct (at least one for every construct exportConstructs() lists). */
export function probesFor(c: Construct): Probe[] {
  const [group, rest = ''] = [c.id.slice(0, c.id.indexOf(':')), c.id.slice(c.id.indexOf(':') + 1)];
  const one = (spec: Obj | undefined) => (spec ? [{ label: c.label, spec }] : []);
  switch (group as ConstructGroup) {
    case 'stage':
      return one(STAGE_PROBES[rest as StageKind]);
    case 'step': {
      const [kind, variant] = rest.split(':') as [StepKind, string | undefined];
      if (!variant) return one(cleanse(STEP_PROBES[kind]));
      const [field, v] = variant.split('=') as [string, string];
      return one(cleanse(stepVariant(kind, field, v)));
    }
    case 'rule': {
      const [kind, variant] = rest.split(':') as [RuleKind, string | undefined];
      if (!variant) return one(validate(RULE_PROBES[kind]));
      const [field, v] = variant.split('=') as [string, string];
      return one(validate({ ...RULE_PROBES[kind], [field]: v }));
    }
    case 'join':
      if (rest === 'right_columns') return one(probeSpec([{ name: 'probe', kind: 'join', left: 'raw', right: 'raw2', type: 'left', on: ['s'], right_columns: ['i', 'd'], right_prefix: 'r_' }]));
      if (rest === 'right_prefix_mode=all') return one(probeSpec([{ name: 'probe', kind: 'join', left: 'raw', right: 'raw2', type: 'inner', on: ['s'], right_prefix: 'r_', right_prefix_mode: 'all' }]));
      return one(join(rest));
    case 'measure':
      if (rest === 'count(*)') return one(aggregate({ fn: 'count' }));
      if (rest === 'expr') return one(aggregate({ fn: 'sum', expr: 'i * 2' }));
      if (rest === 'computed') return one(measures([{ name: 'n', fn: 'count' }, { name: 'total', fn: 'sum', column: 'd' }, { name: 'm', expr: 'total / n' }]));
      if (rest === 'round') return one(measures([{ name: 'm', fn: 'avg', column: 'n', round: 2 }, { name: 'm2', fn: 'sum', column: 'n', round: -1 }]));
      return one(aggregate({ fn: rest, column: MEASURE_COLUMNS[rest] }));
    case 'source': {
      const [format, option] = rest.split(':') as [string, string | undefined];
      if (!option) return one(probeSpec([], { format }));
      const [opt, v] = option.split('=') as [string, string | undefined];
      return one(probeSpec([], { options: { [opt]: v ?? CSV_OPTION_PROBES[opt] } }));
    }
    case 'output':
      return one(probeSpec([], {}, rest === 'partition_by' ? { partition_by: ['s'] } : { format: rest }));
    case 'syntax':
      return one(SYNTAX_PROBES[rest] === undefined ? undefined : derive(SYNTAX_PROBES[rest]));
    case 'function': {
      const def = FUNCTIONS[rest as keyof typeof FUNCTIONS];
      const columns = fromColumns(rest);
      return [{ label: 'literal arguments', spec: derive(def.example[0]) }, ...(columns && columns !== def.example[0] ? [{ label: 'arguments from columns', spec: derive(columns) }] : [])];
    }
    case 'cast': {
      const [from, to] = rest.split('->') as [string, string];
      return one(derive(`CAST(${COLUMN_OF_TYPE[from]} AS ${to === 'decimal' ? 'decimal(12,2)' : to})`));
    }
    case 'regex': {
      const r = REGEX_PROBES.find((x) => x.label === rest);
      if (!r) return [];
      const lit = printStringLiteral(r.pattern);
      return [
        { label: 'in regexp_matches', spec: derive(`regexp_matches(s, ${lit})`) },
        { label: 'in regexp_replace', spec: derive(`regexp_replace(s, ${lit}, 'x')`) },
        { label: 'in a regex rule', spec: validate({ rule: 'regex', column: 's', pattern: r.pattern }) },
      ];
    }
    case 'date_format':
      return one(cleanse({ step: 'parse_date', column: 's', formats: [`%Y-%m-%d ${rest}`], on_error: 'null' }));
  }
}
