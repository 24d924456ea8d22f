import type { PlannedStage } from '../../compile/duckdb/plan.js';

/**
 * One dbt model cut from a stage's compiled DuckDB statements. Batchbook's compilers give each
 * stage a list of statements — `CREATE OR REPLACE TABLE|VIEW "<relation>" AS <select>` for each
 * relation it builds (`<stage>__all`, `<stage>__judged`, `<stage>`, `<stage>__rejects`,
 * `<stage>__stats`, a match stage's `<stage>__l` … and `<stage>.matched`), `SET VARIABLE` for the
 * session set-up of an ingest (its file list), and `UPDATE` / `INSERT INTO` finishing a table just
 * built (row numbers, reader errors, one-to-many pairs). Each CREATE becomes a plain dbt model of
 * the same materialization (table where the runner materialises, view where it fuses the stage
 * into its reader); the set-up runs as the model's pre-hooks and the finishing statements as its
 * post-hooks, on the same connection, so the model gives the runner's relation.
 */
export interface SplitModel {
  /** The dbt model name: the relation's name, with a stage output's `.` as `__` (`settle.matched` → `settle__matched`). */
  readonly name: string;
  /** The relation the runner's SQL names; an alias when it differs from the model name. */
  readonly relation: string;
  readonly materialized: 'table' | 'view';
  /** The SELECT (marked SQL, as compiled). */
  readonly select: string;
  /** Session set-up the SELECT or a post-hook needs (SET VARIABLE), run first on the model's connection. */
  readonly preHooks: readonly string[];
  /** Statements finishing the table after it is built (UPDATE / INSERT INTO it), run after its transaction commits. */
  readonly postHooks: readonly string[];
}

export interface SplitStage {
  readonly models: readonly SplitModel[];
  /** Statements no model can hold (none from Batchbook's compilers today): the export refuses the stage. */
  readonly unsupported: readonly string[];
}

const CREATE = /^CREATE OR REPLACE (TABLE|VIEW) "((?:[^"]|"")+)" AS\s+([\s\S]*)$/;
const FINISH = /^(?:UPDATE|INSERT INTO) "((?:[^"]|"")+)"/;
/** Session set-up: the file list in a variable, the reader-error tables of an earlier read dropped. */
const SETUP = /^(SET VARIABLE|DROP TABLE IF EXISTS) /;

/** The dbt model name of a relation the runner's SQL names. */
export function modelNameOf(relation: string): string {
  return relation.replace(/\./g, '__');
}

const unquote = (quoted: string) => quoted.replace(/""/g, '"');

export function splitStage(p: PlannedStage): SplitStage {
  const setup: string[] = [];
  // set-up not yet run by a model: the next model runs it (an ingest's first model, which reads the files)
  let pending = 0;
  const models: { name: string; relation: string; materialized: 'table' | 'view'; select: string; preHooks: string[]; postHooks: string[] }[] = [];
  const unsupported: string[] = [];
  for (const raw of p.compiled.statements) {
    const s = raw.trim();
    const create = CREATE.exec(s);
    const finish = FINISH.exec(s);
    if (SETUP.test(s)) pending = setup.push(s);
    else if (create) {
      const relation = unquote(create[2]!);
      const select = create[3]!;
      // a variable is read where the statement runs, so only a table may read one (a view would read it later, elsewhere)
      const needsSetup = usesVariables(select) || pending > 0;
      if (needsSetup && create[1] === 'VIEW') unsupported.push(s);
      models.push({ name: modelNameOf(relation), relation, materialized: create[1] === 'TABLE' ? 'table' : 'view', select, preHooks: needsSetup ? [...setup] : [], postHooks: [] });
      pending = 0;
    } else if (finish) {
      const target = models.find((m) => m.relation === unquote(finish[1]!) && m.materialized === 'table');
      if (!target) unsupported.push(s);
      else {
        target.postHooks.push(s);
        if (usesVariables(s) && !target.preHooks.length) target.preHooks.push(...setup);
      }
    } else unsupported.push(s);
  }
  return { models, unsupported };
}

function usesVariables(sql: string): boolean {
  return /\bgetvariable\(/i.test(sql);
}
