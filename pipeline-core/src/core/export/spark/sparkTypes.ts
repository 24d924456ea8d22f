import type { PipelineSpec } from '../../spec/schema.js';
import type { DataType, Schema } from '../../types/dataType.js';
import { decimalShape, isDecimal, isNumeric } from '../../types/dataType.js';
import type { Rule } from '../../stages/validate/rules.js';
import { sparkIdentifier, sparkStringLiteral, sparkType } from '../../expr/emit/spark.js';

/** What a stage's Spark compiler may ask. Views are Spark temp views named after the stages. */
export interface SparkContext {
  readonly spec: PipelineSpec;
  schemaOf(stage: string): Schema;
  stepSchemas(stage: string): readonly Schema[];
  hasLineage(stage: string): boolean;
  /** Spark SQL for an expression; parameters become __bb_param_<name>__ tokens the job replaces. */
  expr(text: string, columns: Schema, qualify?: string): string;
  /** The type of an expression (already validated). */
  exprType(text: string, columns: Schema): DataType;
  statsOf(stage: string): string;
}

export interface SparkRule {
  readonly rule: Rule;
  readonly name: string;
  /** One row: failing (BIGINT). */
  readonly check: string;
  /**
   * A row rule: the boolean column of `view` flagging failing rows. The job counts every row
   * rule of a stage in one query (one Spark job instead of one per rule); `check` says the same.
   */
  readonly flag?: { readonly view: string; readonly column: string };
}

/**
 * A stage compiled for Spark: temp views created in order (the job caches the stage's first
 * one, so window numbering is computed once), the counts, the rules, and for ingest
 * the source the job reads first (into view `<stage>__read`), for outputs what to write.
 */
export interface SparkStage {
  /**
   * The source an ingest stage reads first; for a Parquet source, `nativeSql` is the stage's
   * `__all` view over columns that arrive already typed, used when every pinned column's Parquet
   * type is one the reader can pass through losslessly (no text round trip, nothing to reject).
   */
  readonly read?: { readonly source: string; readonly nativeSql?: string };
  readonly views: readonly SparkView[];
  readonly stats: string;
  readonly lineage: boolean;
  /** View with _bb_reason, _bb_src, _bb_file, _bb_row, _bb_line, _bb_raw and the row's columns. */
  readonly rejects?: { readonly view: string; readonly columns: readonly string[] };
  readonly rules?: readonly SparkRule[];
  readonly write?: { readonly view: string; readonly format: 'parquet' | 'csv'; readonly partitionBy: readonly string[]; readonly path: string };
  /** Things an engineer must look at (custom SQL in DuckDB dialect…). */
  readonly flags?: readonly string[];
  /** A match stage that carries its open items from the latest earlier run date to the next (see sparkOpenItemsPy.ts). */
  readonly openItems?: SparkOpenItems;
}

/**
 * A temp view of a stage. `cache`: materialise it once (read by several later views). `greedy`:
 * `sql` gives candidate pairs (lid, rid and these columns) and the view is the one-to-one pairs
 * the job picks from them in that order (greedySql.ts's algorithm, run as rounds of DataFrames:
 * Spark SQL has no recursive query).
 */
export interface SparkView {
  readonly name: string;
  readonly sql: string;
  readonly cache?: boolean;
  readonly greedy?: readonly string[];
  /**
   * Written to a work folder under the output root and read back: later views then read a plain
   * Parquet scan instead of the whole plan before it. A match stage reads its items and pairs in
   * many later views, and Spark inlines a view's plan at every read: without this cut, the plan of
   * a night's last views (their inputs' reads and numbering, copied a few times per step) ran the
   * driver out of memory. Caching does not cut plans, and localCheckpoint is not kept on Spark
   * Connect and serverless executors.
   */
  readonly materialise?: boolean;
}

/** Per side of a carrying match stage: the view the stage reads the carried items from, and what it keeps. */
export interface SparkOpenItems {
  readonly stage: string;
  /** The view name the stage's SQL reads the side's carried items from. */
  readonly carried: { readonly left: string; readonly right: string };
  /** A first night's carried items: no rows, the side's columns plus _bb_opened and _bb_seq. */
  readonly empty: { readonly left: string; readonly right: string };
  /** The columns a side's state must have (the side's own, lower-cased) to be read. */
  readonly columns: { readonly left: readonly string[]; readonly right: readonly string[] };
  /** This run date's open items, written to state/<stage>/run_date=<date>/open_<side>.parquet. */
  readonly state: { readonly left: string; readonly right: string };
}

export const q = sparkIdentifier;
export const s = sparkStringLiteral;
export const allView = (stage: string) => q(`${stage}__all`);
export const LINEAGE = '_bb_src, _bb_file, _bb_row';
export const NO_LINEAGE = 'CAST(NULL AS STRING) AS _bb_src, CAST(NULL AS STRING) AS _bb_file, CAST(NULL AS BIGINT) AS _bb_row';

/** A typed Spark literal for a spec value (fill values, rule bounds, accepted values). */
export function sparkLiteral(value: string | number | boolean | null, type: DataType): string {
  if (value === null) return `CAST(NULL AS ${sparkType(type)})`;
  switch (type) {
    case 'string':
      return s(String(value));
    case 'boolean':
      return value === true || String(value).toLowerCase() === 'true' ? 'TRUE' : 'FALSE';
    case 'date':
      return `DATE ${s(String(value))}`;
    case 'timestamp':
      return `TIMESTAMP ${s(String(value))}`;
    default:
      if (isNumeric(type) || isDecimal(type)) return `CAST(${s(String(value))} AS ${sparkType(type)})`;
      return s(String(value));
  }
}

const NUMBER = '^\\s*[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?\\s*$';
const SPECIAL = '^\\s*[+-]?(inf|infinity|nan)\\s*$';

/**
 * TRY_CAST of text the way DuckDB does it (the runner reads every value as text, then types
 * it): integers round half away from zero from decimal text ('12.5' → 13), booleans are not
 * trimmed, a timestamp's offset suffix is ignored, anything else that Spark would accept but
 * DuckDB would not (Java's '1d', hex…) is NULL.
 */
export function sparkTextCast(col: string, type: DataType): string {
  const t = sparkType(type);
  switch (type) {
    case 'string':
      return col;
    case 'integer':
      return `CASE WHEN ${col} RLIKE ${s(NUMBER)} THEN try_cast(round(try_cast(trim(${col}) AS DECIMAL(38,6)), 0) AS BIGINT) END`;
    case 'double':
      return `CASE WHEN ${col} RLIKE ${s(NUMBER)} OR lower(${col}) RLIKE ${s(SPECIAL)} THEN try_cast(trim(${col}) AS DOUBLE) END`;
    case 'boolean':
      return `CASE WHEN ${col} = trim(${col}) THEN try_cast(${col} AS BOOLEAN) END`;
    case 'date':
      return `try_cast(${col} AS DATE)`;
    case 'timestamp':
      return `CASE WHEN ${col} = trim(${col}) THEN try_cast(regexp_replace(${col}, '(Z|[+-][0-9]{2}(:?[0-9]{2})?)$', '') AS TIMESTAMP) END`;
    default:
      return `CASE WHEN ${col} RLIKE ${s(NUMBER)} THEN try_cast(trim(${col}) AS ${t}) END`;
  }
}

/**
 * TRY_CAST of a typed value the way DuckDB does it (a cleanse cast step, a union's widening):
 * text as sparkTextCast reads it, a double to an integer rounding half to even, a decimal to an
 * integer half away from zero, a double to a decimal by rounding x·10^s half away from zero in
 * double arithmetic (so 2.675 → 2.68 and 1.005 → 1.00, as DuckDB), NaN and infinities to NULL.
 */
export function sparkValueCast(col: string, from: DataType, to: DataType): string {
  if (from === to) return col;
  if (from === 'string') return sparkTextCast(col, to);
  const t = sparkType(to);
  const finite = (code: string) => `CASE WHEN isnan(${col}) OR abs(${col}) = CAST('Infinity' AS DOUBLE) THEN NULL ELSE ${code} END`;
  if (to === 'integer' && from === 'double') return finite(`try_cast(bround(${col}, 0) AS BIGINT)`);
  if (to === 'integer' && isDecimal(from)) return `try_cast(round(${col}, 0) AS BIGINT)`;
  if (isDecimal(to) && from === 'double') {
    const scale = decimalShape(to)?.scale ?? 0;
    return finite(`try_cast(try_cast(round(${col} * 1e${scale}D, 0) AS DECIMAL(38,0)) / CAST(1e${scale} AS DECIMAL(38,0)) AS ${t})`);
  }
  return `try_cast(${col} AS ${t})`;
}

/** CAST(x AS STRING) the way DuckDB writes values into reject reasons. */
export function sparkValueText(col: string): string {
  return `coalesce(CAST(${col} AS STRING), 'NULL')`;
}
