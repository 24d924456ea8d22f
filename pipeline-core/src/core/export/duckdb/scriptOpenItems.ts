import { quoteIdent, quoteString } from '../../compile/sql.js';
import type { PipelineSpec, StageOf } from '../../spec/schema.js';
import { openStateSql } from '../../stages/match/matchSql.js';
import { carryingStages, stateDir, stateFile } from '../../stages/match/openItemsState.js';
import type { OpenItems } from '../../stages/stageModule.js';
import { duckdbType, type Schema } from '../../types/dataType.js';
import { RUN_DATE } from '../layout.js';

/**
 * The exported DuckDB script keeps a match stage's open items as `batchbook run` keeps them in its
 * lake, under its own output root: `<output_root>/state/<stage>/run_date=<date>/open_{left,right}.parquet`.
 * When it runs for a date it lists the state folders, takes the latest date EARLIER than the run
 * date (never a later one), and the match stage reads those open items; after the outputs it
 * writes this date's. The SQL between is the runner's own (matchSql.ts).
 *
 * DuckDB cannot read an empty file list, and a first night has no state: so the relation a side
 * reads is a query text chosen when the script runs — the state file, or an empty relation with
 * the side's columns — run by `query(...)`.
 */
type Match = StageOf<'match'>;
type Side = 'left' | 'right';

const v = (name: string) => `getvariable(${quoteString(name)})`;
const fromVar = (stage: string) => `bb_state_from_${stage}`;
const relVar = (stage: string, side: Side) => `bb_open_${stage}_${side}`;
const stateRoot = (stage: string) => `${v('output_root')} || ${quoteString(`/state/${stage}/`)}`;

/** The open items each carrying match stage reads in the script (the variables set by scriptCarriedStatements). */
export function scriptOpenItems(spec: PipelineSpec): (stage: string) => OpenItems | undefined {
  const carrying = new Set(carryingStages(spec).map((s) => s.name));
  return (stage) => (carrying.has(stage) ? { left: `query(${v(relVar(stage, 'left'))})`, right: `query(${v(relVar(stage, 'right'))})` } : undefined);
}

/** An empty relation with the state's columns: what a first night reads. */
export function emptyState(schema: Schema): string {
  const cols = schema.map((c) => `CAST(NULL AS ${duckdbType(c.type)}) AS ${quoteIdent(c.name)}`);
  return `SELECT ${[...cols, 'CAST(NULL AS DATE) AS _bb_opened', 'CAST(NULL AS BIGINT) AS _bb_seq'].join(', ')} WHERE FALSE`;
}

/**
 * Statements run before the match stage: find the latest earlier date whose state has both files,
 * and set each side's query text. A state file lacking one of the side's columns stops the run
 * with a message naming the file and the column (the spec changed since that date).
 */
export function scriptCarriedStatements(stage: Match, schemaOf: (ref: string) => Schema): string[] {
  const both = `regexp_extract(file, 'run_date=([0-9]{4}-[0-9]{2}-[0-9]{2})/open_left[.]parquet$', 1)`;
  const statements = [
    `SET VARIABLE ${fromVar(stage.name)} = (SELECT max(d) FROM (SELECT ${both} AS d FROM glob(${stateRoot(stage.name)} || 'run_date=*/${stateFile('left')}')) WHERE d <> '' AND d < ${v(RUN_DATE)})`,
  ];
  for (const side of ['left', 'right'] as const) {
    const schema = schemaOf(stage[side]);
    const file = `${stateRoot(stage.name)} || 'run_date=' || ${v(fromVar(stage.name))} || ${quoteString(`/${stateFile(side)}`)}`;
    // the path as a SQL literal inside the query text: quotes doubled
    const read = `'SELECT * FROM read_parquet(''' || replace(${file}, '''', '''''') || ''')'`;
    statements.push(`SET VARIABLE ${relVar(stage.name, side)} = CASE WHEN ${v(fromVar(stage.name))} IS NULL THEN ${quoteString(emptyState(schema))} ELSE ${read} END`);
    statements.push(columnGuard(stage, side, schema, file));
  }
  return statements;
}

/** Stops the run when the carried state lacks a column the side has now, as the runner does. */
function columnGuard(stage: Match, side: Side, schema: Schema, file: string): string {
  const want = `[${schema.map((c) => quoteString(c.name.toLowerCase())).join(', ')}]`;
  const have = `SELECT lower(column_name) FROM (DESCRIBE SELECT * FROM query(${v(relVar(stage.name, side))}))`;
  const missing = `SELECT string_agg(c, ', ' ORDER BY c) AS missing FROM (SELECT unnest(${want}) AS c) WHERE c NOT IN (${have})`;
  return `SET VARIABLE _bb_guard = (SELECT CASE WHEN missing IS NOT NULL THEN error(${quoteString(`match stage '${stage.name}': the open items kept in `)} || ${file} || ${quoteString(' have no column ')} || missing || ${quoteString(`, which '${stage[side]}' has now: re-run the earlier dates with this spec so that their open items have it`)}) END FROM (${missing}))`;
}

/** Statements writing this run date's open items of each carrying stage (after the outputs' gate). */
export function scriptStateWrites(spec: PipelineSpec, schemaOf: (ref: string) => Schema): string[] {
  return carryingStages(spec).flatMap((stage) =>
    (['left', 'right'] as const).map(
      (side) =>
        `COPY (${openStateSql(stage.name, side, schemaOf(stage[side]))}) TO (${stateRoot(stage.name)} || 'run_date=' || ${v(RUN_DATE)} || ${quoteString(`/${stateFile(side)}`)}) (FORMAT parquet)`,
    ),
  );
}

/** The state folder of each carrying stage for a date (run.sh creates it: COPY does not). */
export function stateDirTemplates(spec: PipelineSpec): string[] {
  return carryingStages(spec).map((s) => stateDir(s.name, '{run_date}'));
}
