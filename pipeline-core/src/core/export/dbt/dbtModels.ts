import { rejectsQuery } from '../../compile/duckdb/rejects.js';
import type { DuckdbPlan, PlannedStage } from '../../compile/duckdb/plan.js';
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
const ref = (name: string) => `{{ ref(${jinjaString(name.split('.')[0]!)}) }}`;

function stageDeps(spec: PipelineSpec, stage: Stage): string[] {
  if (stage.kind === 'ingest') return [`{{ source(${jinjaString(SOURCE_GROUP)}, ${jinjaString(stage.source)}) }}`];
  return [...new Set(stageInputs(stage))].map(ref);
}

/**
 * A stage model: Batchbook's compiled DuckDB statements for the stage, run in order by the
 * batchbook_stage materialization. Dependencies are declared with dbt's `-- depends_on:`
 * comments because the runner's SQL reads earlier stages by their (unqualified) names.
 */
export function stageModel(spec: PipelineSpec, p: PlannedStage, render: (m: Marker) => string): ExportFile {
  const statements = p.compiled.statements.map((s) => dbtSql(s.trim(), render));
  const desc = p.stage.description ? [p.stage.description] : [];
  const text = [
    header([`${p.stage.name} (${p.stage.kind} stage)`, ...desc, 'The statements below are what `batchbook run` executes for this stage (Batchbook DuckDB compiler).'], stageDeps(spec, p.stage), 'batchbook_stage'),
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
  const text = [
    header([`${p.stage.name}: written to <output_root>/curated/${p.stage.path} (${w.format}${w.partitionBy.length ? `, partitioned by ${w.partitionBy.join(', ')}` : ''}) by the publish step`], [ref(p.stage.input)], 'view'),
    dbtSql(w.select, render),
  ].join('\n');
  return { path: `models/outputs/${p.stage.name}.sql`, content: `${text}\n` };
}

/** Names a dbt model would take that the project already uses (stage names vs. rejects models). */
export function modelNameClashes(spec: PipelineSpec, withRejects: readonly string[]): { stage: string; clash: string }[] {
  const names = new Set(spec.stages.map((s) => s.name));
  return withRejects.filter((s) => names.has(rejectsModel(s))).map((s) => ({ stage: rejectsModel(s), clash: s }));
}

/** Whether any compiled statement holds the separator line the materialization splits on. */
export function holdsSeparator(p: PlannedStage): boolean {
  return p.compiled.statements.some((s) => s.includes(STATEMENT_SEPARATOR));
}
