import { quoteString } from '../../compile/sql.js';
import type { PlannedStage } from '../../compile/duckdb/plan.js';
import type { SourceRelation } from '../../stages/stageModule.js';
import { paramMarker, readMarker, shownMarker } from '../markers.js';

/**
 * The runner reads the files it landed, one by one; an exported script only knows a source's
 * path template, which may be a glob matching several files a day (`extra/*_{run_date}.json`).
 * So the exported plan lists the files when it runs — into a DuckDB variable, sorted, as the
 * runner lists them — and reads that list: each file keeps its own index, so reader errors,
 * row numbers and the `source_file` of rejects are per file, as `batchbook run` reports them.
 *
 * The reader SQL comes from the runner's own readers with the export markers standing for the
 * one sample file they were made from (`[<read>]`, `VALUES (<read>, 0)`, `VALUES (0, <shown>)`);
 * those three shapes are rewritten here to the run-time list.
 */
export function filesVariable(source: string): string {
  return `bb_files_${source}`;
}

const list = (source: string) => `getvariable(${quoteString(filesVariable(source))})`;

/** path (as read), idx (0-based, the reader's file_index) and shown (input-root relative) of each file. */
function filesQuery(source: string): string {
  // the input root as each target spells it (a DuckDB variable, a dbt var): a marker literal
  const root = quoteString(`${paramMarker('input_root')}/`);
  return `SELECT path, idx, CASE WHEN starts_with(path, ${root}) THEN substr(path, length(${root}) + 1) ELSE path END AS shown FROM (SELECT unnest(l) AS path, CAST(generate_subscripts(l, 1) - 1 AS INTEGER) AS idx FROM (SELECT ${list(source)} AS l))`;
}

/** Statements listing a source's files (marked SQL: the read path is a marker) and stopping when none match. */
function listingStatements(source: string): string[] {
  const read = quoteString(readMarker(source));
  return [
    `SET VARIABLE ${filesVariable(source)} = (SELECT coalesce(list(file ORDER BY file), []) FROM glob(${read}))`,
    `SET VARIABLE _bb_guard = (SELECT CASE WHEN len(${list(source)}) = 0 THEN error(${quoteString(`source '${source}': no file matches `)} || ${read}) END)`,
  ];
}

function rewrite(sql: string, source: string): string {
  const read = quoteString(readMarker(source));
  const shown = quoteString(shownMarker(source));
  return sql
    .split(`[${read}]`)
    .join(list(source))
    .split(`(VALUES (${read}, 0)) f(path, idx)`)
    .join(`(SELECT path, idx FROM (${filesQuery(source)})) f(path, idx)`)
    .split(`(VALUES (0, ${shown})) f(file_index, path)`)
    .join(`(SELECT idx, shown FROM (${filesQuery(source)})) f(file_index, path)`);
}

/** A marked source relation reading the run-time file list instead of the one sample file. */
export function listedSourceRelation(source: string, rel: SourceRelation): SourceRelation {
  return {
    ...rel,
    sql: rewrite(rel.sql, source),
    ...(rel.readerErrors ? { readerErrors: rewrite(rel.readerErrors, source) } : {}),
    setup: [...listingStatements(source), ...(rel.setup ?? [])],
  };
}

/** An ingest stage's statements with its file table built from the run-time list. */
export function listedIngest(p: PlannedStage): PlannedStage {
  if (p.stage.kind !== 'ingest') return p;
  const source = p.stage.source;
  return { ...p, compiled: { ...p.compiled, statements: p.compiled.statements.map((s) => rewrite(s, source)) } };
}
