import type { Expr } from '../expr/ast.js';
import type { DataType, Schema } from '../types/dataType.js';
import type { SpecPath } from '../spec/diagnostics.js';
import type { PipelineSpec, Source, StageKind, StageOf } from '../spec/schema.js';
import type { Rule } from './validate/rules.js';
import type { ExportRefusal } from '../export/refusal.js';
import type { SparkContext, SparkStage } from '../export/spark/sparkTypes.js';
import type { BeamContext, BeamStage } from '../export/beam/beamTypes.js';

/**
 * The engines a stage compiles to. Adding an engine here makes every stage module fail to
 * compile until it handles the engine (or explicitly refuses it).
 */
export const ENGINES = ['duckdb', 'spark', 'beam'] as const;
export type Engine = (typeof ENGINES)[number];

/** What a stage may ask while its output schema is worked out (nothing runs). */
export interface PropagateContext {
  readonly spec: PipelineSpec;
  /** Where this stage sits in the document, e.g. ['stages', 3]. */
  readonly path: SpecPath;
  readonly params: Readonly<Record<string, DataType>>;
  /** Output schema of an earlier stage, or undefined (and an error is reported) when unknown. */
  schemaOf(stage: string, at: SpecPath): Schema | undefined;
  source(name: string, at: SpecPath): Source | undefined;
  error(at: SpecPath, message: string, hint?: string): void;
  warning(at: SpecPath, message: string, hint?: string): void;
  /** Parses and type-checks an expression against columns; errors are located inside the string. */
  expression(at: SpecPath, text: string, columns: Schema): { expr?: Expr; type?: DataType };
  /** Checks that a column exists, reporting a did-you-mean hint when it does not. */
  column(at: SpecPath, name: string, columns: Schema): DataType | undefined;
}

export interface PropagateResult {
  readonly schema: Schema;
  /** Cleanse stages: the schema before each active step and after the last. */
  readonly stepSchemas?: readonly Schema[];
  /** Further outputs later stages read as `<stage>.<output>` (a match stage's categories). */
  readonly outputs?: Readonly<Record<string, Schema>>;
}

/** How a source's rows reach the engine: the engine adapter decides (native file readers, or tables the browser loaded). */
export interface SourceRelation {
  /**
   * SQL relation with every pinned column as VARCHAR (or, for the columns listed in `typed`,
   * already in its pinned type) plus _bb_file (INTEGER), _bb_error (VARCHAR or NULL) and, unless
   * rowNumbers is 'insertion', _bb_row (BIGINT).
   */
  readonly sql: string;
  /**
   * Columns the reader already delivers in their pinned type (a Parquet column whose stored type
   * is the declared one): read as they are, no cast that could fail, so no reject reason.
   */
  readonly typed?: readonly string[];
  /**
   * Columns delivered in the file's own stored type, which the compiler does not know (an export
   * compiled without the files): the ingest checks each column's type where the plan runs
   * (`typeof`, which DuckDB folds to a constant when it binds the file), reading it as it is when
   * it is the declared type and as text cast like a CSV value otherwise. A column stored in its
   * declared type then costs what a typed column costs.
   */
  readonly nativeTyped?: readonly string[];
  /** True when _bb_error is always NULL (the reader cannot report a bad record, as for Parquet). */
  readonly errorFree?: boolean;
  /**
   * How _bb_row numbers rows. 'column' (default): 1-based across the relation, in file order.
   * 'file': numbered within each file from `firstRow` (Parquet's file_row_number: 0, which lets a
   * row range be pushed into the reader as a filter on file_row_number itself).
   * 'insertion': the relation has no _bb_row; rows arrive in file order, so the row number is
   * taken from the materialised table's insertion order (rowid, cheaper than a window).
   */
  readonly rowNumbers?: 'column' | 'file' | 'insertion';
  /** With rowNumbers 'file': the number of each file's first row (default 1). */
  readonly firstRow?: 0 | 1;
  /**
   * Lines before a file's first record (a CSV header: 1), when records are lines; then a row's
   * line number can be told (skipping lines the reader rejected). Undefined for Parquet / JSON.
   */
  readonly lineOffset?: number;
  /** SQL relation of rows the reader itself could not parse: _bb_file, _bb_line, _bb_reason, _bb_raw. */
  readonly readerErrors?: string;
  /** Statements to run before the relation is read (e.g. dropping leftover reject tables). */
  readonly setup?: readonly string[];
  /** The files read, in _bb_file order (paths as the report should show them). */
  readonly files: readonly string[];
}

export interface DuckdbContext {
  readonly spec: PipelineSpec;
  readonly params: Readonly<Record<string, string | number>>;
  /** Quoted table holding a stage's output rows. */
  table(stage: string): string;
  schemaOf(stage: string): Schema;
  /** For a cleanse stage: the schema before each active step and after the last. */
  stepSchemas(stage: string): readonly Schema[];
  hasLineage(stage: string): boolean;
  /**
   * Whether the stage's output must carry lineage (_bb_src, _bb_file, _bb_row): it can reject
   * rows itself, or a later row-preserving stage can. Elsewhere lineage is dropped (narrow rows).
   */
  needsLineage(stage: string): boolean;
  /**
   * Whether the stage's `<stage>__all` relation is a table (materialised once: reused, expensive
   * to recompute, or asked for by the preview) or a view fused into whatever reads it.
   */
  materialize(stage: string): boolean;
  /** The later stage that writes this stage's counts (a join counted by the aggregate reading it), if any. */
  countedBy(stage: string): string | undefined;
  /** The stages whose counts this stage writes (the joins it aggregates). */
  counts(stage: string): readonly string[];
  /** DuckDB SQL for an expression (already validated), with parameters bound as literals; `qualify` prefixes column references with a table alias. */
  expr(text: string, columns: Schema, qualify?: string): string;
  sourceRelation(source: string): SourceRelation;
  /** The stats query of an earlier stage (for conservation rules): it reads that stage's one-row `__stats` table. */
  statsOf(stage: string): string;
  /** Substitutes {param} placeholders in a zone-relative path. */
  path(template: string): string;
  /**
   * The open items a match stage carries in from the latest earlier run date: SQL relations with
   * the side's columns plus _bb_opened (DATE) and _bb_seq (BIGINT). Undefined on a first night,
   * in the preview, or where the engine keeps no state.
   */
  openItems(stage: string): OpenItems | undefined;
}

export interface OpenItems {
  readonly left: string;
  readonly right: string;
}

export interface CompiledRule {
  readonly rule: Rule;
  readonly name: string;
  /** One row: failing (BIGINT) — the number of failing rows or groups (0 = pass). */
  readonly check: string;
  /** Failing rows / groups to show (already limited). */
  readonly samples: string;
  /**
   * For row rules over rows that carry their row numbers: the first failing ones, by number. `first`
   * reads the first failing row's number (counted in the stage's single pass); `select` is every
   * failing row with its lineage (_bb_src, _bb_file, _bb_row), unlimited, for the executor to read
   * in row ranges from there on: the samples are then the same on every run, and reads of row
   * ranges (which the Parquet reader and table zone maps skip to) instead of a scan stopped by a LIMIT.
   */
  readonly firstFailing?: { readonly first: string; readonly select: string };
  /** For row rules: a boolean SQL predicate over the input row that is true when the row fails. */
  readonly failsRow?: string;
  readonly reason?: string;
}

export interface CompiledStage {
  /** Statements that create the stage's tables, in order. */
  readonly statements: readonly string[];
  /**
   * One row: rows_in, rows_out, rejected, filtered (BIGINTs). Every stage's statements end by
   * writing them to its one-row `<stage>__stats` table (stageStats), so this is a cheap read and
   * later stages derive their counts from it instead of scanning again.
   */
  readonly stats: string;
  readonly lineage: boolean;
  readonly hasRejects: boolean;
  readonly rules?: readonly CompiledRule[];
  /**
   * Set when a later stage writes this stage's counts (see DuckdbContext.countedBy): its stats
   * are read, and its stage_end reported, once that stage has run.
   */
  readonly statsAfter?: string;
  /** For output stages: the rows to write, deterministic order, and how. */
  readonly write?: { readonly select: string; readonly format: 'parquet' | 'csv'; readonly partitionBy: readonly string[]; readonly path: string };
}

export interface StageModule<K extends StageKind> {
  readonly kind: K;
  readonly label: string;
  /** Names of the stages this stage reads. */
  inputs(stage: StageOf<K>): readonly string[];
  /** The output schema, reporting every problem found on the way. */
  propagate(stage: StageOf<K>, ctx: PropagateContext): PropagateResult;
  readonly compile: { readonly [E in Engine]: (stage: StageOf<K>, ctx: EngineContext[E]) => EngineOutput[E] };
}

export interface EngineContext {
  readonly duckdb: DuckdbContext;
  readonly spark: SparkContext;
  readonly beam: BeamContext;
}

/** What each engine's stage compiler returns; the export engines may refuse a construct instead. */
export interface EngineOutput {
  readonly duckdb: CompiledStage;
  readonly spark: SparkStage | ExportRefusal;
  readonly beam: BeamStage | ExportRefusal;
}
