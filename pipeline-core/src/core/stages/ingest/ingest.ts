import { duckdbType, storedTypesTaken, type DataType } from '../../types/dataType.js';
import { quoteIdent, quoteString, RESERVED_PREFIX } from '../../compile/sql.js';
import type { StageOf } from '../../spec/schema.js';
import type { CompiledStage, DuckdbContext, PropagateContext, PropagateResult, StageModule } from '../stageModule.js';
import { allTable, createAll, stageStats, stageViews, statsFromAll, statsQuery } from '../stageTables.js';
import { compileIngestSpark } from './spark.js';
import { compileIngestBeam } from './beam.js';

type Ingest = StageOf<'ingest'>;

function propagate(stage: Ingest, ctx: PropagateContext): PropagateResult {
  const source = ctx.source(stage.source, [...ctx.path, 'source']);
  if (!source) return { schema: [] };
  const seen = new Set<string>();
  source.schema.forEach((c, i) => {
    const at = ['sources', stage.source, 'schema', i, 'name'];
    if (seen.has(c.name)) ctx.error(at, `column '${c.name}' is listed twice`);
    if (c.name.startsWith(RESERVED_PREFIX)) ctx.error(at, `column names starting with '${RESERVED_PREFIX}' are reserved for Batchbook's lineage columns`);
    seen.add(c.name);
  });
  return { schema: source.schema.map((c) => ({ name: c.name, type: c.type })) };
}

/**
 * Text columns are read as text and cast to their pinned types, and a value that does not fit
 * sends its row to rejects with the reason instead of failing the run; columns the reader already
 * delivers in their pinned type (typed Parquet) are read as they are. Lines the reader itself
 * cannot parse (ragged, badly encoded) join the rejects with their line number. One relation
 * holds every row read (a table for text sources, parsed once; a view over typed Parquet); the
 * stage's output and rejects are views over it.
 */
function compileDuckdb(stage: Ingest, ctx: DuckdbContext): CompiledStage {
  const source = ctx.spec.sources[stage.source];
  if (!source) throw new Error(`unknown source ${stage.source}`);
  const rel = ctx.sourceRelation(stage.source);
  const all = allTable(stage.name);
  const files = quoteIdent(`${stage.name}__files`);
  const typedAlready = new Set(rel.typed ?? []);
  const native = new Set(rel.nativeTyped ?? []);
  const castFree = (c: { name: string; type: string }) => c.type === 'string' || typedAlready.has(c.name);
  // raw columns are renamed so the typed columns can take the real names in the same SELECT
  const raw = (i: number) => `_bb_c${i}`;
  const asText = (c: { name: string }, i: number) => (typedAlready.has(c.name) || native.has(c.name) ? `CAST(${raw(i)} AS VARCHAR)` : raw(i));
  // a column in the file's own type is taken as it is when that type is the declared one (a constant once bound)
  const storedAsDeclared = (c: { name: string; type: DataType }, i: number) =>
    native.has(c.name) ? `typeof(${raw(i)}) IN (${storedTypesTaken(c.type).map(quoteString).join(', ')})` : undefined;
  const reasons = source.schema.flatMap((c, i) => {
    if (castFree(c)) return [];
    const text = asText(c, i);
    const msg = `${quoteString(`${c.name}: cannot read '`)} || ${text} || ${quoteString(`' as ${c.type}`)}`;
    const fails = `${text} IS NOT NULL AND TRY_CAST(${text} AS ${duckdbType(c.type)}) IS NULL`;
    const asIs = storedAsDeclared(c, i);
    return [`CASE WHEN ${asIs ? `NOT (${asIs}) AND ` : ''}${fails} THEN ${msg} END`];
  });
  const reason = reasons.length ? `coalesce(_bb_error, NULLIF(concat_ws('; ', ${reasons.join(', ')}), ''))` : '_bb_error';
  const typed = source.schema.map((c, i) => {
    if (castFree(c)) return `${raw(i)} AS ${quoteIdent(c.name)}`;
    const cast = `TRY_CAST(${asText(c, i)} AS ${duckdbType(c.type)})`;
    const asIs = storedAsDeclared(c, i);
    return `${asIs ? `CASE WHEN ${asIs} THEN CAST(${raw(i)} AS ${duckdbType(c.type)}) ELSE ${cast} END` : cast} AS ${quoteIdent(c.name)}`;
  });
  const rawLine = `concat_ws(',', ${source.schema.map((c, i) => `coalesce(${asText(c, i)}, '')`).join(', ')})`;
  const renamed = source.schema.map((c, i) => `${quoteIdent(c.name)} AS ${raw(i)}`).join(', ');
  const numbering = rel.rowNumbers ?? 'column';
  // a column named rowid hides DuckDB's own (identifiers ignore case): such a source's rows are
  // numbered as they are read instead (a window in the same order, slower)
  const hidesRowid = source.schema.some((c) => c.name.toLowerCase() === 'rowid');
  const byInsertion = numbering === 'insertion' && !hidesRowid;
  const numberHere = numbering === 'insertion' && hidesRowid;
  // Numbered by insertion: the table is written in file order, so a row's number is its position,
  // rowid + 1, read where the row is (a view's projection costs nothing; storing it took an UPDATE
  // of every row: 3.7 of 12.9 s on 10M CSV rows). The reader's rejects, appended after the rows, have
  // a line and no row number. rowid is only stable once the table is committed: every reader of it
  // runs after the CREATE commits (the runner and the script run each statement on its own; dbt
  // reads it from other models).
  const rowOf = byInsertion ? '(CASE WHEN _bb_line IS NULL THEN rowid + 1 END)' : '_bb_row';
  const materialize = ctx.materialize(stage.name) || numbering === 'insertion' || rel.readerErrors !== undefined;
  const canReject = reasons.length > 0 || rel.readerErrors !== undefined || !rel.errorFree;

  const fileRows = rel.files.map((f, i) => `(${i}, ${quoteString(f)})`).join(', ') || "(0, '')";
  const firstRows =
    numbering === 'file'
      ? ''
      : `\nLEFT JOIN (SELECT _bb_file, min(${rowOf}) AS first_row FROM ${all} WHERE _bb_line IS NULL GROUP BY _bb_file) w ON w._bb_file = f.file_index`;
  const cols = source.schema.map((c) => quoteIdent(c.name)).join(', ');
  const lineage = `${quoteString(stage.source)} AS _bb_src, _bb_file, ${rowOf} AS _bb_row`;
  const statements = [
    ...(rel.setup ?? []),
    createAll(
      stage.name,
      materialize,
      `SELECT ${typed.join(', ')}, _bb_file, ${byInsertion ? '' : '_bb_row, '}CAST(NULL AS BIGINT) AS _bb_line, _bb_reason, CASE WHEN _bb_reason IS NOT NULL THEN ${rawLine} END AS _bb_raw, FALSE AS _bb_dropped
FROM (SELECT *, ${reason} AS _bb_reason FROM (SELECT ${renamed}, _bb_file${byInsertion ? '' : numberHere ? ', row_number() OVER () AS _bb_row' : ', _bb_row'}, _bb_error FROM (${rel.sql}) r0) r1) r2`,
    ),
    ...(rel.readerErrors ? [`INSERT INTO ${all} (_bb_file, _bb_line, _bb_reason, _bb_raw, _bb_dropped) SELECT _bb_file, _bb_line, _bb_reason, _bb_raw, FALSE FROM (${rel.readerErrors}) e`] : []),
    // For each line the reader rejected: how many records of its file come before it, so a
    // record's line is its row + the header + the rejected lines before it.
    rel.readerErrors
      ? `CREATE OR REPLACE TABLE ${quoteIdent(`${stage.name}__errlines`)} AS
SELECT _bb_file AS file_index, _bb_line - ${rel.lineOffset ?? 0} - row_number() OVER (PARTITION BY _bb_file ORDER BY _bb_line) AS records_before FROM ${all} WHERE _bb_line IS NOT NULL`
      : `CREATE OR REPLACE TABLE ${quoteIdent(`${stage.name}__errlines`)} AS SELECT CAST(NULL AS INTEGER) AS file_index, CAST(NULL AS BIGINT) AS records_before WHERE FALSE`,
    `CREATE OR REPLACE TABLE ${files} AS
SELECT f.file_index, f.path, ${numbering === 'file' ? `CAST(${rel.firstRow ?? 1} AS BIGINT)` : 'coalesce(w.first_row, 1)'} AS first_row, CAST(${rel.lineOffset ?? 'NULL'} AS BIGINT) AS line_offset
FROM (VALUES ${fileRows}) f(file_index, path)${firstRows}`,
    ...stageViews(stage.name, cols, ctx.needsLineage(stage.name) ? lineage : undefined, all, lineage),
    // typed Parquet cannot reject: its counts are the files' row counts (from their metadata)
    stageStats(stage.name, canReject ? statsFromAll(all) : `SELECT count(*) AS rows_in, count(*) AS rows_out, CAST(0 AS BIGINT) AS rejected, CAST(0 AS BIGINT) AS filtered FROM (${rel.sql}) r`),
  ];
  return { statements, stats: statsQuery(stage.name), lineage: ctx.needsLineage(stage.name), hasRejects: true };
}

export const ingestStage: StageModule<'ingest'> = {
  kind: 'ingest',
  label: 'Ingest',
  inputs: () => [],
  propagate,
  compile: { duckdb: compileDuckdb, spark: compileIngestSpark, beam: compileIngestBeam },
};
