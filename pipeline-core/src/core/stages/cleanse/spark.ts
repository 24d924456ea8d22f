import type { StageOf } from '../../spec/schema.js';
import type { Schema } from '../../types/dataType.js';
import { RefusalError } from '../../export/refusal.js';
import { allView, LINEAGE, q, s, sparkLiteral, sparkTextCast, sparkValueCast, sparkValueText, type SparkContext, type SparkStage } from '../../export/spark/sparkTypes.js';
import { sparkStageViews, sparkStats } from '../../export/spark/sparkViews.js';
import { numberText } from './stepHandlers.js';
import type { CleanseStep, StepKind } from './steps.js';

type StepOf<K extends StepKind> = Extract<CleanseStep, { step: K }>;
interface SparkStepSql {
  readonly columns: readonly { readonly name: string; readonly sql: string }[];
  readonly reason?: string;
  readonly drop?: string;
}
type SparkStep<K extends StepKind> = (step: StepOf<K>, input: Schema, ctx: SparkContext) => SparkStepSql;

const pass = (input: Schema) => input.map((c) => ({ name: c.name, sql: q(c.name) }));
const replaceCols = (input: Schema, m: ReadonlyMap<string, string>) => input.map((c) => ({ name: c.name, sql: m.get(c.name) ?? q(c.name) }));
function setColumn(input: Schema, name: string, sql: string): SparkStepSql['columns'] {
  const cols = input.map((c) => ({ name: c.name, sql: c.name === name ? sql : q(c.name) }));
  return input.some((c) => c.name === name) ? cols : [...cols, { name, sql }];
}
function concatReasons(parts: readonly (string | undefined)[]): string | undefined {
  const real = parts.filter((p): p is string => p !== undefined);
  if (real.length === 0) return undefined;
  return real.length === 1 ? real[0] : `NULLIF(concat_ws('; ', ${real.join(', ')}), '')`;
}
const cannotRead = (column: string, what: string) => `${s(`${column}: cannot read '`)} || ${q(column)} || ${s(`' as ${what}`)}`;
const rejectUnless = (onError: string, failed: string, message: string) => (onError === 'reject' ? `CASE WHEN ${failed} THEN ${message} END` : undefined);

/** strftime (DuckDB's strptime) → Java DateTimeFormatter pattern, lenient on digit counts like DuckDB. */
export function javaPattern(format: string): string {
  const codes: Record<string, string> = { Y: 'yyyy', y: 'yy', m: 'M', d: 'd', H: 'H', M: 'm', S: 's', f: 'SSSSSS', j: 'D', b: 'MMM', B: 'MMMM', p: 'a', I: 'h', z: '[XXX][XX][X]' };
  let out = '';
  let literal = '';
  const flush = () => {
    if (literal) out += `'${literal.replaceAll("'", "''")}'`;
    literal = '';
  };
  for (let i = 0; i < format.length; i++) {
    const ch = format[i]!;
    if (ch !== '%') {
      literal += ch;
      continue;
    }
    const code = format[++i];
    if (code === '%') {
      literal += '%';
      continue;
    }
    const java = code ? codes[code] : undefined;
    if (!java) throw new RefusalError(`parse_date format code %${code ?? ''}`, 'Spark has no equivalent; use %Y %m %d %H %M %S %f %j %b %B %p %I %z');
    flush();
    out += java;
  }
  flush();
  return out;
}

const TZ = /%z|%Z/;

/**
 * A wall time in a zone as UTC, the way the runner (DuckDB's ICU) reads it: in a DST gap the
 * offset before the change (what Java does too), in an overlap the LATER instant (Java takes the
 * earlier one, so a candidate one hour — or, for Lord Howe, half an hour — later wins when it
 * shows the same wall time).
 */
function localToUtc(wall: string, zone: string): string {
  const z = s(zone);
  const earlier = `to_utc_timestamp(${wall}, ${z})`;
  const later = (shift: string) => `${earlier} + INTERVAL ${shift}`;
  return `CASE WHEN from_utc_timestamp(${later('1 HOUR')}, ${z}) = ${wall} THEN ${later('1 HOUR')} WHEN from_utc_timestamp(${later('30 MINUTES')}, ${z}) = ${wall} THEN ${later('30 MINUTES')} ELSE ${earlier} END`;
}

const STEPS: { readonly [K in StepKind]: SparkStep<K> } = {
  trim: (step, input) => ({ columns: replaceCols(input, new Map(step.columns.map((c) => [c, `trim(${q(c)})`]))) }),
  case: (step, input) => ({ columns: replaceCols(input, new Map(step.columns.map((c) => [c, `${step.to}(${q(c)})`]))) }),
  cast: (step, input) => {
    if (step.on_error === 'fail') throw new RefusalError("cast with on_error: fail", "Spark's ANSI casts fail with a different error; use reject or null");
    const from = (c: string) => input.find((x) => x.name === c)?.type ?? 'string';
    const conv = (c: string) => sparkValueCast(q(c), from(c), step.type);
    return {
      columns: replaceCols(input, new Map(step.columns.map((c) => [c, conv(c)]))),
      reason: concatReasons(step.columns.map((c) => rejectUnless(step.on_error, `${q(c)} IS NOT NULL AND (${conv(c)}) IS NULL`, cannotRead(c, step.type)))),
    };
  },
  parse_date: (step, input) => {
    if (step.on_error === 'fail') throw new RefusalError('parse_date with on_error: fail', 'use reject or null');
    const col = q(step.column);
    const anyZone = step.formats.some((f) => TZ.test(f));
    const text = anyZone ? `regexp_replace(trim(${col}), '[Zz]$', '+00:00')` : `trim(${col})`;
    const attempts = step.formats.map((f) => {
      const parsed = `try_to_timestamp(${text}, ${s(javaPattern(f))})`;
      if (step.type === 'date') return `CAST(${parsed} AS DATE)`;
      if (TZ.test(f)) return parsed;
      return step.timezone && step.timezone !== 'UTC' ? localToUtc(parsed, step.timezone) : parsed;
    });
    const value = attempts.length === 1 ? attempts[0]! : `coalesce(${attempts.join(', ')})`;
    return {
      columns: setColumn(input, step.into ?? step.column, value),
      reason: rejectUnless(step.on_error, `${col} IS NOT NULL AND trim(${col}) <> '' AND (${value}) IS NULL`, cannotRead(step.column, `a ${step.type} (${step.formats.join(' | ')})`)),
    };
  },
  parse_number: (step, input) => {
    if (step.on_error === 'fail') throw new RefusalError('parse_number with on_error: fail', 'use reject or null');
    const { shape } = numberText(step);
    const col0 = q(step.column);
    const sparkText = step.currency ? `trim(regexp_replace(trim(${col0}), ${s('^[^0-9+\\-.,]*|[^0-9.,]*$')}, ''))` : `trim(${col0})`;
    const normalised = `replace(${step.thousands === '' ? sparkText : `replace(${sparkText}, ${s(step.thousands)}, '')`}, ${s(step.decimal)}, '.')`;
    const value = `CASE WHEN ${sparkText} RLIKE ${s(shape)} THEN ${sparkTextCast(normalised, step.type)} END`;
    const col = q(step.column);
    return {
      columns: setColumn(input, step.into ?? step.column, value),
      reason: rejectUnless(step.on_error, `${col} IS NOT NULL AND trim(${col}) <> '' AND (${value}) IS NULL`, cannotRead(step.column, `a number (thousands '${step.thousands}', decimal '${step.decimal}')`)),
    };
  },
  dedupe: (step, input) => {
    const keys = step.keys.map(q).join(', ');
    const order = [...step.order_by.map((o) => `${q(o.column)} ${o.direction.toUpperCase()} NULLS LAST`), '_bb_seq'].join(', ');
    const keyText = step.keys.map((k) => `${s(`${k}=`)} || ${sparkValueText(q(k))}`).join(` || ', ' || `);
    return {
      columns: pass(input),
      reason: `CASE WHEN row_number() OVER (PARTITION BY ${keys}, (_bb_reason IS NULL AND NOT _bb_dropped) ORDER BY ${order}) > 1 THEN 'duplicate of a kept row with ' || ${keyText} END`,
    };
  },
  filter: (step, input, ctx) => {
    const keep = `coalesce((${ctx.expr(step.expr, input)}), FALSE)`;
    return step.on_false === 'drop' ? { columns: pass(input), drop: `NOT ${keep}` } : { columns: pass(input), reason: `CASE WHEN NOT ${keep} THEN ${s(`filter not true: ${step.expr}`)} END` };
  },
  derive: (step, input, ctx) => ({ columns: setColumn(input, step.column, ctx.expr(step.expr, input)) }),
  rename: (step, input) => ({ columns: input.map((c) => ({ name: step.columns[c.name] ?? c.name, sql: q(c.name) })) }),
  drop: (step, input) => ({ columns: pass(input.filter((c) => !step.columns.includes(c.name))) }),
  fill_null: (step, input) => ({
    columns: replaceCols(input, new Map(input.filter((c) => step.columns.includes(c.name)).map((c) => [c.name, `coalesce(${q(c.name)}, ${sparkLiteral(step.value, c.type)})`]))),
  }),
  standardise: (step, input) => {
    const col = q(step.column);
    const key = (k: string) => s(step.ignore_case ? k.trim().toLowerCase() : k.trim());
    const probe = step.ignore_case ? `lower(trim(${col}))` : `trim(${col})`;
    const whens = Object.entries(step.mapping).map(([from, to]) => `WHEN ${key(from)} THEN ${s(to)}`).join(' ');
    const matched = `${probe} IN (${Object.keys(step.mapping).map(key).join(', ')})`;
    return {
      columns: replaceCols(input, new Map([[step.column, `CASE ${probe} ${whens} ELSE ${step.unmapped === 'null' ? 'NULL' : col} END`]])),
      reason: step.unmapped === 'reject' ? `CASE WHEN ${col} IS NOT NULL AND NOT (${matched}) THEN ${s(`${step.column}: '`)} || ${col} || ${s(`' is not a known value`)} END` : undefined,
    };
  },
};

/** The same chain of SELECTs as the DuckDB compiler (cleanse.ts), in Spark SQL. */
export function compileCleanseSpark(stage: StageOf<'cleanse'>, ctx: SparkContext): SparkStage {
  const lineage = ctx.hasLineage(stage.input);
  const meta = lineage ? ['_bb_src', '_bb_file', '_bb_row'] : [];
  const schemas = ctx.stepSchemas(stage.name);
  let schema = schemas[0]!;
  const seq = lineage ? '_bb_row' : 'monotonically_increasing_id()';
  const ctes = [`s0 AS (SELECT ${[...schema.map((c) => q(c.name)), ...meta].join(', ')}, ${seq} AS _bb_seq, CAST(NULL AS STRING) AS _bb_reason, FALSE AS _bb_dropped FROM ${q(stage.input)})`];
  const steps = stage.steps.filter((st) => st.enabled !== false) as CleanseStep[];
  steps.forEach((step, i) => {
    const sql = (STEPS[step.step] as SparkStep<typeof step.step>)(step as never, schema, ctx);
    const alive = '(_bb_reason IS NULL AND NOT _bb_dropped)';
    const reason = sql.reason ? `CASE WHEN ${alive} THEN ${sql.reason} ELSE _bb_reason END` : '_bb_reason';
    const dropped = sql.drop ? `_bb_dropped OR (${alive} AND (${sql.drop}))` : '_bb_dropped';
    const cols = sql.columns.map((c) => `${c.sql} AS ${q(c.name)}`);
    ctes.push(`s${ctes.length} AS (SELECT ${[...cols, ...meta, '_bb_seq'].join(', ')}, ${reason} AS _bb_reason, ${dropped} AS _bb_dropped FROM s${ctes.length - 1})`);
    schema = schemas[i + 1]!;
  });
  const outCols = schema.map((c) => q(c.name)).join(', ');
  return {
    views: [
      {
        name: `${stage.name}__all`,
        sql: `WITH ${ctes.join(',\n')}\nSELECT ${[outCols, ...meta, '_bb_reason', '_bb_dropped', 'CAST(NULL AS BIGINT) AS _bb_line', 'CAST(NULL AS STRING) AS _bb_raw'].filter(Boolean).join(', ')} FROM s${ctes.length - 1}`,
      },
      ...sparkStageViews(stage.name, outCols, lineage ? LINEAGE : undefined),
    ],
    stats: sparkStats(allView(stage.name)),
    lineage,
    rejects: { view: `${stage.name}__rejects`, columns: schema.map((c) => c.name) },
  };
}
