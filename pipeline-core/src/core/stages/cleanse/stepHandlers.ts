import type { Column, DataType, Schema } from '../../types/dataType.js';
import { duckdbType, parseDataType } from '../../types/dataType.js';
import { duckdbLiteral, quoteIdent, quoteString, RESERVED_PREFIX } from '../../compile/sql.js';
import type { SpecPath } from '../../spec/diagnostics.js';
import type { DuckdbContext, PropagateContext } from '../stageModule.js';
import type { CleanseStep, StepKind } from './steps.js';
import { strptimeLiterals, unknownStrptimeCode } from './strptimeCodes.js';

type StepOf<K extends StepKind> = Extract<CleanseStep, { step: K }>;

/**
 * One step's SQL over its input relation. Each output column is an expression over the
 * previous step's columns; `reason` (text or NULL) rejects a live row, `drop` filters it.
 */
export interface StepSql {
  readonly columns: readonly { readonly name: string; readonly sql: string }[];
  readonly reason?: string;
  readonly drop?: string;
  /**
   * Values computed once, in SELECTs before the step's own (in order, so one may use the ones
   * before it), that `columns` and `reason` refer to by name: a parsed value is used both as the
   * new column and to tell whether parsing failed.
   */
  readonly computed?: readonly { readonly name: string; readonly sql: string }[];
}

/** The quoted name of the step's n-th computed value. */
const computedName = (n: number) => quoteIdent(`_bb_v${n}`);

export interface StepHandler<K extends StepKind> {
  /** The schema after the step; problems are reported through ctx at `at` (the step's path). */
  propagate(step: StepOf<K>, input: Schema, ctx: PropagateContext, at: SpecPath): Schema;
  /** DuckDB SQL; the export engines keep their step compilers in cleanse/<engine>.ts, in tables keyed by step kind. */
  readonly compile: { readonly duckdb: (step: StepOf<K>, input: Schema, ctx: DuckdbContext) => StepSql };
}

const passThrough = (input: Schema) => input.map((c) => ({ name: c.name, sql: quoteIdent(c.name) }));

function replaceColumns(input: Schema, replace: ReadonlyMap<string, string>): StepSql['columns'] {
  return input.map((c) => ({ name: c.name, sql: replace.get(c.name) ?? quoteIdent(c.name) }));
}

/** Reports unknown columns and columns of the wrong type; returns the known ones. */
function requireColumns(
  names: readonly string[],
  input: Schema,
  ctx: PropagateContext,
  at: SpecPath,
  want?: { readonly type: DataType; readonly why: string },
): Column[] {
  const found: Column[] = [];
  names.forEach((name, i) => {
    const path = [...at, i];
    const type = ctx.column(path, name, input);
    if (type === undefined) return;
    if (want && type !== want.type) ctx.error(path, `'${name}' is ${type}, but ${want.why}`, want.type === 'string' ? `cast it to string first, or remove this step` : undefined);
    found.push({ name, type });
  });
  return found;
}

function requireNewName(name: string, ctx: PropagateContext, at: SpecPath): void {
  if (name.startsWith(RESERVED_PREFIX)) ctx.error(at, `column names starting with '${RESERVED_PREFIX}' are reserved`);
}

function rejectUnless(onError: 'reject' | 'null' | 'fail', failed: string, message: string): string | undefined {
  return onError === 'reject' ? `CASE WHEN ${failed} THEN ${message} END` : undefined;
}

function concatReasons(parts: readonly (string | undefined)[]): string | undefined {
  const real = parts.filter((p): p is string => p !== undefined);
  if (real.length === 0) return undefined;
  if (real.length === 1) return real[0];
  return `NULLIF(concat_ws('; ', ${real.join(', ')}), '')`;
}

/** `'amount: cannot read ''' || "amount" || ''' as decimal(12,2)'` */
function cannotRead(column: string, what: string): string {
  return `${quoteString(`${column}: cannot read '`)} || ${quoteIdent(column)} || ${quoteString(`' as ${what}`)}`;
}

const trim: StepHandler<'trim'> = {
  propagate: (step, input, ctx, at) => {
    requireColumns(step.columns, input, ctx, [...at, 'columns'], { type: 'string', why: 'trim works on text' });
    return input;
  },
  compile: {
    duckdb: (step, input) => ({ columns: replaceColumns(input, new Map(step.columns.map((c) => [c, `trim(${quoteIdent(c)})`]))) }),
  },
};

const caseStep: StepHandler<'case'> = {
  propagate: (step, input, ctx, at) => {
    requireColumns(step.columns, input, ctx, [...at, 'columns'], { type: 'string', why: 'changing case works on text' });
    return input;
  },
  compile: {
    duckdb: (step, input) => ({
      columns: replaceColumns(input, new Map(step.columns.map((c) => [c, `${step.to}(${quoteIdent(c)})`]))),
    }),
  },
};

const cast: StepHandler<'cast'> = {
  propagate: (step, input, ctx, at) => {
    requireColumns(step.columns, input, ctx, [...at, 'columns']);
    return input.map((c) => (step.columns.includes(c.name) ? { ...c, type: step.type } : c));
  },
  compile: {
    duckdb: (step, input) => {
      const t = duckdbType(step.type);
      if (step.on_error === 'fail') {
        return { columns: replaceColumns(input, new Map(step.columns.map((c) => [c, `CAST(${quoteIdent(c)} AS ${t})`]))) };
      }
      const computed = step.columns.map((c, i) => ({ name: `_bb_v${i}`, sql: `TRY_CAST(${quoteIdent(c)} AS ${t})` }));
      return {
        computed,
        columns: replaceColumns(input, new Map(step.columns.map((c, i) => [c, computedName(i)]))),
        reason: concatReasons(
          step.columns.map((c, i) => rejectUnless(step.on_error, `${quoteIdent(c)} IS NOT NULL AND ${computedName(i)} IS NULL`, cannotRead(c, step.type))),
        ),
      };
    },
  },
};

const TZ_FORMAT = /%z|%Z/;

/**
 * try_strptime, tried only where the text holds every character the format requires literally
 * (strptimeLiterals): elsewhere it could only fail, and in DuckDB-WASM a failing try_strptime
 * costs ~30× a successful one (12–20 µs a value), which a second format tried on half the rows
 * pays in full. The result is the same NULL either way.
 */
export function guardedStrptime(text: string, format: string): string {
  const parsed = `try_strptime(${text}, ${quoteString(format)})`;
  const needs = strptimeLiterals(format).map((c) => `contains(${text}, ${quoteString(c)})`);
  return needs.length ? `CASE WHEN ${needs.join(' AND ')} THEN ${parsed} END` : parsed;
}

/**
 * A trailing 'Z' or 'z' read as '+00:00' (what `regexp_replace(t, '[Zz]$', '+00:00')` does;
 * RE2's `$` is the end of the text, not before a final newline) with string functions: the
 * regex cost a tenth of a second per 100k values in DuckDB-WASM.
 */
export function zuluAsOffset(t: string): string {
  return `CASE WHEN suffix(${t}, 'Z') OR suffix(${t}, 'z') THEN substring(${t}, 1, length(${t}) - 1) || '+00:00' ELSE ${t} END`;
}

const parseDate: StepHandler<'parse_date'> = {
  propagate: (step, input, ctx, at) => {
    requireColumns([step.column], input, ctx, [...at, 'column'], { type: 'string', why: 'parse_date reads text' });
    if (step.timezone !== undefined && !isTimeZone(step.timezone)) ctx.error([...at, 'timezone'], `unknown time zone '${step.timezone}'`, 'use an IANA name such as Europe/Berlin or UTC');
    step.formats.forEach((f, i) => {
      const unknown = unknownStrptimeCode(f);
      if (unknown) ctx.error([...at, 'formats', i], `'${unknown}' in format '${f}' is not a date format code`, 'codes include %Y %m %d %H %M %S %f %z %b %j; write %% for a literal %');
      else if (!/%[YymdHMSfjbBpIzZ]/.test(f)) ctx.error([...at, 'formats', i], `format '${f}' has no date fields`, 'use strftime codes such as %Y-%m-%d %H:%M:%S');
    });
    return withColumn(input, step.into ?? step.column, step.type, ctx, [...at, 'into']);
  },
  compile: {
    duckdb: (step, input) => {
      const col = quoteIdent(step.column);
      const anyZone = step.formats.some((f) => TZ_FORMAT.test(f));
      const text = computedName(0);
      const attempts = step.formats.map((f) => {
        const parsed = guardedStrptime(text, f);
        if (step.type === 'date') return `CAST(${parsed} AS DATE)`;
        if (TZ_FORMAT.test(f)) return `CAST(${parsed} AS TIMESTAMP)`;
        return step.timezone && step.timezone !== 'UTC' ? `bb_local_to_utc(${parsed}, ${quoteString(step.timezone)})` : `CAST(${parsed} AS TIMESTAMP)`;
      });
      const value = attempts.length === 1 ? attempts[0]! : `coalesce(${attempts.join(', ')})`;
      const target = step.into ?? step.column;
      return {
        computed: [
          { name: '_bb_v0', sql: anyZone ? zuluAsOffset(`trim(${col})`) : `trim(${col})` },
          { name: '_bb_v1', sql: value },
        ],
        columns: setColumn(input, target, computedName(1)),
        reason: rejectUnless(step.on_error, `${col} IS NOT NULL AND trim(${col}) <> '' AND ${computedName(1)} IS NULL`, cannotRead(step.column, `a ${step.type} (${step.formats.join(' | ')})`)),
      };
    },
  },
};

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Text with leading characters other than [0-9+-.,] and trailing ones other than [0-9.,] removed
 * (currency symbols and codes), then trimmed. Most values start and end with a character the
 * regex keeps, so it would remove nothing: those skip it (a code point test on each end), and
 * the regex runs only on the rest — it cost a fifth of a second per 100k values in DuckDB-WASM.
 * ascii() is the first code point: 43–57 but 47 is + , - . and the digits; 44, 46, 48–57 is , . and the digits.
 */
export function withoutCurrency(t: string): string {
  const last = `ascii(right(${t}, 1))`;
  const keepsEnds = `ascii(${t}) BETWEEN 43 AND 57 AND ascii(${t}) <> 47 AND (${last} BETWEEN 48 AND 57 OR ${last} IN (44, 46))`;
  return `CASE WHEN ${keepsEnds} THEN ${t} ELSE trim(regexp_replace(${t}, '^[^0-9+\\-.,]*|[^0-9.,]*$', '', 'g')) END`;
}

/** The cleaned numeric text of a parse_number step and the regex its shape must match. */
export function numberText(step: StepOf<'parse_number'>): { text: string; shape: string } {
  const col = quoteIdent(step.column);
  const stripped = step.currency ? withoutCurrency(`trim(${col})`) : `trim(${col})`;
  const d = escapeRegex(step.decimal);
  const grouped = step.thousands === '' ? '' : `|\\d{1,3}(${escapeRegex(step.thousands)}\\d{3})+`;
  return { text: stripped, shape: `^[+-]?(\\d+${grouped})(${d}\\d+)?$` };
}

const parseNumber: StepHandler<'parse_number'> = {
  propagate: (step, input, ctx, at) => {
    requireColumns([step.column], input, ctx, [...at, 'column'], { type: 'string', why: 'parse_number reads text' });
    if (step.thousands === step.decimal) ctx.error([...at, 'decimal'], 'the thousands separator and the decimal mark must differ');
    const t = parseDataType(step.type);
    if (t === undefined || !(t === 'integer' || t === 'double' || t.startsWith('decimal('))) ctx.error([...at, 'type'], `parse_number produces integer, double or decimal(p,s), not ${step.type}`);
    return withColumn(input, step.into ?? step.column, step.type, ctx, [...at, 'into']);
  },
  compile: {
    duckdb: (step, input) => {
      const { text, shape } = numberText(step);
      const t = computedName(0);
      const noThousands = step.thousands === '' ? t : `replace(${t}, ${quoteString(step.thousands)}, '')`;
      const normalised = step.decimal === '.' ? noThousands : `replace(${noThousands}, ${quoteString(step.decimal)}, '.')`;
      const value = `CASE WHEN regexp_full_match(${t}, ${quoteString(shape)}) THEN TRY_CAST(${normalised} AS ${duckdbType(step.type)}) END`;
      const col = quoteIdent(step.column);
      return {
        // the cleaned text once, then the value from it
        computed: [
          { name: '_bb_v0', sql: text },
          { name: '_bb_v1', sql: value },
        ],
        columns: setColumn(input, step.into ?? step.column, computedName(1)),
        reason: rejectUnless(
          step.on_error,
          `${col} IS NOT NULL AND trim(${col}) <> '' AND ${computedName(1)} IS NULL`,
          cannotRead(step.column, `a number (thousands '${step.thousands}', decimal '${step.decimal}')`),
        ),
      };
    },
  },
};

const dedupe: StepHandler<'dedupe'> = {
  propagate: (step, input, ctx, at) => {
    requireColumns(step.keys, input, ctx, [...at, 'keys']);
    step.order_by.forEach((o, i) => ctx.column([...at, 'order_by', i, 'column'], o.column, input));
    return input;
  },
  compile: {
    duckdb: (step, input) => {
      const keys = step.keys.map(quoteIdent).join(', ');
      const order = [...step.order_by.map((o) => `${quoteIdent(o.column)} ${o.direction.toUpperCase()} NULLS LAST`), '_bb_seq'].join(', ');
      const keyText = step.keys.map((k) => `${quoteString(`${k}=`)} || coalesce(CAST(${quoteIdent(k)} AS VARCHAR), 'NULL')`).join(` || ', ' || `);
      return {
        columns: passThrough(input),
        reason: `CASE WHEN row_number() OVER (PARTITION BY ${keys}, (_bb_reason IS NULL AND NOT _bb_dropped) ORDER BY ${order}) > 1 THEN 'duplicate of a kept row with ' || ${keyText} END`,
      };
    },
  },
};

const filter: StepHandler<'filter'> = {
  propagate: (step, input, ctx, at) => {
    const { type } = ctx.expression([...at, 'expr'], step.expr, input);
    if (type !== undefined && type !== 'boolean') ctx.error([...at, 'expr'], `a filter must be true or false, but this is ${type}`);
    return input;
  },
  compile: {
    duckdb: (step, input, ctx) => {
      const keep = `coalesce((${ctx.expr(step.expr, input)}), FALSE)`;
      return step.on_false === 'drop'
        ? { columns: passThrough(input), drop: `NOT ${keep}` }
        : { columns: passThrough(input), reason: `CASE WHEN NOT ${keep} THEN ${quoteString(`filter not true: ${step.expr}`)} END` };
    },
  },
};

const derive: StepHandler<'derive'> = {
  propagate: (step, input, ctx, at) => {
    const { type } = ctx.expression([...at, 'expr'], step.expr, input);
    requireNewName(step.column, ctx, [...at, 'column']);
    return setSchemaColumn(input, step.column, type ?? 'string');
  },
  compile: { duckdb: (step, input, ctx) => ({ columns: setColumn(input, step.column, ctx.expr(step.expr, input)) }) },
};

const rename: StepHandler<'rename'> = {
  propagate: (step, input, ctx, at) => {
    const entries = Object.entries(step.columns);
    for (const [from, to] of entries) {
      ctx.column([...at, 'columns', from], from, input);
      requireNewName(to, ctx, [...at, 'columns', from]);
      if (input.some((c) => c.name === to) && !entries.some(([f]) => f === to)) ctx.error([...at, 'columns', from], `cannot rename '${from}' to '${to}': a column '${to}' already exists`);
    }
    return input.map((c) => ({ ...c, name: step.columns[c.name] ?? c.name }));
  },
  compile: {
    duckdb: (step, input) => ({ columns: input.map((c) => ({ name: step.columns[c.name] ?? c.name, sql: quoteIdent(c.name) })) }),
  },
};

const drop: StepHandler<'drop'> = {
  propagate: (step, input, ctx, at) => {
    requireColumns(step.columns, input, ctx, [...at, 'columns']);
    const out = input.filter((c) => !step.columns.includes(c.name));
    if (out.length === 0) ctx.error([...at, 'columns'], 'this would drop every column');
    return out;
  },
  compile: { duckdb: (step, input) => ({ columns: passThrough(input.filter((c) => !step.columns.includes(c.name))) }) },
};

const fillNull: StepHandler<'fill_null'> = {
  propagate: (step, input, ctx, at) => {
    for (const c of requireColumns(step.columns, input, ctx, [...at, 'columns'])) {
      try {
        duckdbLiteral(step.value, c.type);
      } catch {
        ctx.error([...at, 'value'], `${JSON.stringify(step.value)} is not a valid ${c.type} for '${c.name}'`);
      }
    }
    return input;
  },
  compile: {
    duckdb: (step, input) => ({
      columns: replaceColumns(
        input,
        new Map(
          input.filter((c) => step.columns.includes(c.name)).map((c) => [c.name, `coalesce(${quoteIdent(c.name)}, ${duckdbLiteral(step.value, c.type)})`]),
        ),
      ),
    }),
  },
};

const standardise: StepHandler<'standardise'> = {
  propagate: (step, input, ctx, at) => {
    requireColumns([step.column], input, ctx, [...at, 'column'], { type: 'string', why: 'standardise maps text values' });
    if (Object.keys(step.mapping).length === 0) ctx.error([...at, 'mapping'], 'the mapping is empty');
    return input;
  },
  compile: {
    duckdb: (step, input) => {
      const col = quoteIdent(step.column);
      const probe = step.ignore_case ? `lower(trim(${col}))` : `trim(${col})`;
      const whens = Object.entries(step.mapping)
        .map(([from, to]) => `WHEN ${quoteString(step.ignore_case ? from.trim().toLowerCase() : from.trim())} THEN ${quoteString(to)}`)
        .join(' ');
      const matched = `${probe} IN (${Object.keys(step.mapping).map((k) => quoteString(step.ignore_case ? k.trim().toLowerCase() : k.trim())).join(', ')})`;
      const otherwise = step.unmapped === 'null' ? 'NULL' : col;
      return {
        columns: replaceColumns(input, new Map([[step.column, `CASE ${probe} ${whens} ELSE ${otherwise} END`]])),
        reason:
          step.unmapped === 'reject'
            ? `CASE WHEN ${col} IS NOT NULL AND NOT (${matched}) THEN ${quoteString(`${step.column}: '`)} || ${col} || ${quoteString(`' is not a known value`)} END`
            : undefined,
      };
    },
  },
};

export const STEP_HANDLERS: { readonly [K in StepKind]: StepHandler<K> } = {
  trim,
  case: caseStep,
  cast,
  parse_date: parseDate,
  parse_number: parseNumber,
  dedupe,
  filter,
  derive,
  rename,
  drop,
  fill_null: fillNull,
  standardise,
};

function setSchemaColumn(input: Schema, name: string, type: DataType): Schema {
  return input.some((c) => c.name === name) ? input.map((c) => (c.name === name ? { name, type } : c)) : [...input, { name, type }];
}

function withColumn(input: Schema, name: string, type: DataType | string, ctx: PropagateContext, at: SpecPath): Schema {
  requireNewName(name, ctx, at);
  return setSchemaColumn(input, name, (parseDataType(String(type)) ?? 'string') as DataType);
}

function setColumn(input: Schema, name: string, sql: string): StepSql['columns'] {
  const cols = input.map((c) => ({ name: c.name, sql: c.name === name ? sql : quoteIdent(c.name) }));
  return input.some((c) => c.name === name) ? cols : [...cols, { name, sql }];
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
