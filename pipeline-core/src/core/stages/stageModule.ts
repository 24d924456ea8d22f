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
}

/** How a source's rows reach the engine: the engine adapter decides (native file readers, or tables the browser loaded). */
export interface SourceRelation {
  /**
   * SQL relation with every pinned column as VARCHAR plus _bb_file (INTEGER), _bb_error (VARCHAR
   * or NULL) and, unless rowNumbers is 'insertion', _bb_row (BIGINT, 1-based row or line in its file).
   */
  readonly sql: string;
  /**
   * 'insertion': the relation has no _bb_row; rows arrive in file order, so the row number is
   * taken from the materialised table's insertion order (cheaper than a window). Default 'column'.
   */
  readonly rowNumbers?: 'column' | 'insertion';
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
  /** DuckDB SQL for an expression (already validated), with parameters bound as literals; `qualify` prefixes column references with a table alias. */
  expr(text: string, columns: Schema, qualify?: string): string;
  sourceRelation(source: string): SourceRelation;
  /** The stats query of an earlier stage (for conservation rules). */
  statsOf(stage: string): string;
  /** Substitutes {param} placeholders in a zone-relative path. */
  path(template: string): string;
}

export interface CompiledRule {
  readonly rule: Rule;
  readonly name: string;
  /** One row: failing (BIGINT) — the number of failing rows or groups (0 = pass). */
  readonly check: string;
  /** Failing rows / groups to show (already limited). */
  readonly samples: string;
  /** For row rules: a boolean SQL predicate over the input row that is true when the row fails. */
  readonly failsRow?: string;
  readonly reason?: string;
}

export interface CompiledStage {
  /** Statements that create the stage's tables, in order. */
  readonly statements: readonly string[];
  /** One row: rows_in, rows_out, rejected, filtered (BIGINTs). */
  readonly stats: string;
  readonly lineage: boolean;
  readonly hasRejects: boolean;
  readonly rules?: readonly CompiledRule[];
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
