import { rejectsQuery } from '../../compile/duckdb/rejects.js';
import type { DuckdbPlan, PlannedStage } from '../../compile/duckdb/plan.js';
import { quoteIdent } from '../../compile/sql.js';
import type { PipelineSpec, Stage } from '../../spec/schema.js';
import { stageInputs } from '../../stages/registry.js';
import type { ExportFile } from '../exportFile.js';
import type { Marker } from '../markers.js';
import { dbtSql, jinjaEscape, jinjaPathExpr, jinjaString, sqlLiteralOf } from './dbtJinja.js';
import { STATEMENT_SEPARATOR } from './dbtMacros.js';

/** The dbt source group the raw files are declared in (models/sources.yml). */
export const SOURCE_GROUP = 'raw';

/** The model holding a stage's rejected rows in the run contract's shape. */
export function rejectsModel(stage: string): string {
  return `${stage}__rejected`;
}

/**
 * The model a stage's rule tests are attached to. It is a leaf (no model reads it) because dbt
 * build skips the children of whatever a failing error-severity test tests, while Batchbook
 * evaluates every rule over the whole day before deciding what to publish: a failing error rule
 * must fail the invocation, not skip the stages after it.
 */
export function rulesModel(stage: string): string {
  return `${stage}__rules`;
}

/** Jinja for each export marker: parameters and paths become dbt vars, quoted by bb_literal. */
export function dbtMarkerRenderer(spec: PipelineSpec): (m: Marker) => string {
  return (m) => {
    if (m.kind === 'param') return sqlLiteralOf(`var(${jinjaString(m.name)})`);
    const source = spec.sources[m.source];
    if (!source) throw new Error(`unknown source ${m.source}`);
    return sqlLiteralOf(jinjaPathExpr(source.path, m.kind === 'read' ? 'input_root' : undefined));
  };
}

function oneLine(text: string): string {
  return jinjaEscape(text.replace(/\s+/g, ' ').trim());
}

function header(lines: readonly string[], deps: readonly string[], materialized: string): string {
  return [`{{ config(materialized=${jinjaString(materialized)}) }}`, ...lines.map((l) => `-- ${oneLine(l)}`), ...deps.map((d) => `-- depends_on: ${d}`)].join('\n');
}

/** A model reference: a stage output (`settle.matched`) is built by its stage's model. */
export const ref = (name: string) => `{{ ref(${jinjaString(name.split('.')[0]!)}) }}`;

const SQL_LITERAL = /('(?:[^']|'')*')/;

/**
 * Reads each of `models` through `{{ ref() }}` where the SQL reads its relation by name (`FROM "x"`,
 * `JOIN "x"`); string literals are left alone. The ref renders to the same relation (the model's
 * view in the main schema), so the SQL stays the runner's while dbt sees the lineage in the code.
 * Returns the SQL and the models it now refs.
 */
export function refModels(sql: string, models: readonly string[]): { sql: string; refs: Set<string> } {
  // a stage output (`settle.matched`) is not its stage's relation: it stays a name, declared by depends_on
  const wanted = new Set(models.filter((m) => !m.includes('.')));
  const refs = new Set<string>();
  const parts = sql.split(SQL_LITERAL).map((part, i) =>
    i % 2 === 1
      ? part
      : part.replace(/\b(FROM|JOIN)(\s+)"((?:[^"]|"")+)"/g, (whole, kw: string, sp: string, quoted: string) => {
          const name = quoted.replace(/""/g, '"');
          if (!wanted.has(name)) return whole;
          refs.add(name);
          return `${kw}${sp}${ref(name)}`;
        }),
  );
  return { sql: parts.join(''), refs };
}

/** The dependencies a model declares in `-- depends_on:` comments: those its SQL does not ref(). */
function stageDeps(spec: PipelineSpec, stage: Stage, refd: ReadonlySet<string>): string[] {
  if (stage.kind === 'ingest') return [`{{ source(${jinjaString(SOURCE_GROUP)}, ${jinjaString(stage.source)}) }}`];
  return [...new Set(stageInputs(stage).map((i) => i.split('.')[0]!))].filter((i) => !refd.has(i)).map(ref);
}

/**
 * A stage model: Batchbook's compiled DuckDB statements for the stage, run in order by the
 * batchbook_stage materialization. The stage's inputs are read through `ref()`; inputs read in
 * a way ref() cannot stand for (a match output `settle.matched`, custom SQL) are declared with
 * dbt's `-- depends_on:` comments.
 */
export function stageModel(spec: PipelineSpec, p: PlannedStage, render: (m: Marker) => string): ExportFile {
  const inputs = p.stage.kind === 'ingest' ? [] : stageInputs(p.stage).filter((i) => i !== p.stage.name);
  const refd = new Set<string>();
  const statements = p.compiled.statements.map((s) => {
    const r = refModels(dbtSql(s.trim(), render), inputs);
    r.refs.forEach((x) => refd.add(x));
    return r.sql;
  });
  const desc = p.stage.description ? [p.stage.description] : [];
  const text = [
    header([`${p.stage.name} (${p.stage.kind} stage)`, ...desc, 'The statements below are what `batchbook run` executes for this stage (Batchbook DuckDB compiler).'], stageDeps(spec, p.stage, refd), 'batchbook_stage'),
    statements.join(`\n${STATEMENT_SEPARATOR}\n`),
  ].join('\n');
  return { path: `models/stages/${p.stage.name}.sql`, content: `${text}\n` };
}

/** The rejected rows of a stage, as `batchbook run` writes them to rejects/<run_date>/<stage>.parquet. */
export function rejectsModelFile(plan: DuckdbPlan, stage: string, render: (m: Marker) => string): ExportFile {
  const ingests = plan.stages.filter((x) => x.stage.kind === 'ingest' && x.stage.name !== stage).map((x) => ref(x.stage.name));
  const text = [
    header([`Rejected rows of ${stage}: the reason, where each row came from, then the row (batchbook run's rejects query).`], [ref(stage), ...ingests], 'view'),
    dbtSql(rejectsQuery(plan, stage), render),
  ].join('\n');
  return { path: `models/rejects/${rejectsModel(stage)}.sql`, content: `${text}\n` };
}

/** An output stage: the rows `batchbook run` writes, as a view; the publish step copies them to files. */
export function outputModel(p: PlannedStage, render: (m: Marker) => string): ExportFile {
  const w = p.compiled.write;
  if (!w || p.stage.kind !== 'output') throw new Error(`${p.stage.name} is not an output stage`);
  const body = refModels(dbtSql(w.select, render), [p.stage.input]);
  const text = [
    header([`${p.stage.name}: written to <output_root>/curated/${p.stage.path} (${w.format}${w.partitionBy.length ? `, partitioned by ${w.partitionBy.join(', ')}` : ''}) by the publish step`], body.refs.size ? [] : [ref(p.stage.input)], 'view'),
    body.sql,
  ].join('\n');
  return { path: `models/outputs/${p.stage.name}.sql`, content: `${text}\n` };
}

/**
 * The leaf model a stage's rule tests are attached to: for a validate stage every row it judged
 * (its input, rows it rejected included: the stage's `<stage>__judged` relation), so a test's
 * failure count is the 'failing' number of `batchbook run`; for a match stage the stage itself.
 */
export function rulesModelFile(p: PlannedStage): ExportFile {
  const stage = p.stage.name;
  const judged = p.stage.kind === 'validate';
  const text = [
    header(
      [
        judged
          ? `Every row ${stage} judged (its input, the rows it rejected included), for its rule tests.`
          : `The rows of ${stage}, for its rule tests.`,
        'A leaf: no model reads it, so a failing error-severity rule fails the build without skipping the stages after it.',
      ],
      judged ? [ref(stage)] : [],
      'view',
    ),
    judged ? `SELECT * FROM ${quoteIdent(`${stage}__judged`)}` : `SELECT * FROM ${ref(stage)}`,
  ].join('\n');
  return { path: `models/rules/${rulesModel(stage)}.sql`, content: `${text}\n` };
}

/** Names a dbt model would take that the project already uses (stage names vs. rejects and rules models). */
export function modelNameClashes(spec: PipelineSpec, withRejects: readonly string[], withRules: readonly string[] = []): { stage: string; clash: string }[] {
  const names = new Set(spec.stages.map((s) => s.name));
  return [
    ...withRejects.filter((s) => names.has(rejectsModel(s))).map((s) => ({ stage: rejectsModel(s), clash: s })),
    ...withRules.filter((s) => names.has(rulesModel(s))).map((s) => ({ stage: rulesModel(s), clash: s })),
  ];
}

/** Whether any compiled statement holds the separator line the materialization splits on. */
export function holdsSeparator(p: PlannedStage): boolean {
  return p.compiled.statements.some((s) => s.includes(STATEMENT_SEPARATOR));
}
