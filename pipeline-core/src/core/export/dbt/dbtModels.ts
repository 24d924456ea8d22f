import { rejectsQuery } from '../../compile/duckdb/rejects.js';
import type { DuckdbPlan, PlannedStage } from '../../compile/duckdb/plan.js';
import type { PipelineSpec, Stage } from '../../spec/schema.js';
import { stageInputs } from '../../stages/registry.js';
import type { ExportFile } from '../exportFile.js';
import type { Marker } from '../markers.js';
import { dbtSql, jinjaEscape, jinjaPathExpr, jinjaString, sqlLiteralOf } from './dbtJinja.js';
import type { SplitModel } from './dbtSplit.js';

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
export function dbtMarkerRenderer(spec: PipelineSpec, literal: (jinjaExpr: string) => string = sqlLiteralOf): (m: Marker) => string {
  return (m) => {
    if (m.kind === 'param') return literal(`var(${jinjaString(m.name)})`);
    const source = spec.sources[m.source];
    if (!source) throw new Error(`unknown source ${m.source}`);
    return literal(jinjaPathExpr(source.path, m.kind === 'read' ? 'input_root' : undefined));
  };
}

function oneLine(text: string): string {
  return jinjaEscape(text.replace(/\s+/g, ' ').trim());
}

/** A model's config() call: materialization, alias and hooks (each hook a Jinja string dbt renders when the model runs). */
export interface ModelConfig {
  readonly materialized: string;
  readonly alias?: string;
  readonly preHooks?: readonly string[];
  /** Run after the model's transaction commits (a table's row ids are final only then). */
  readonly postHooks?: readonly string[];
  readonly extra?: string;
}

function configCall(c: ModelConfig): string {
  const args = [`materialized=${jinjaString(c.materialized)}`];
  if (c.alias) args.push(`alias=${jinjaString(c.alias)}`);
  if (c.preHooks?.length) args.push(`pre_hook=[${c.preHooks.map(jinjaString).join(', ')}]`);
  if (c.postHooks?.length) args.push(`post_hook=[${c.postHooks.map((h) => `{"sql": ${jinjaString(h)}, "transaction": False}`).join(', ')}]`);
  if (c.extra) args.push(c.extra);
  return `{{ config(${args.join(', ')}) }}`;
}

function header(lines: readonly string[], deps: readonly string[], config: ModelConfig | string): string {
  const c = typeof config === 'string' ? { materialized: config } : config;
  return [configCall(c), ...lines.map((l) => `-- ${oneLine(l)}`), ...deps.map((d) => `-- depends_on: ${d}`)].join('\n');
}

/** A model reference by model name. */
export const ref = (model: string) => `{{ ref(${jinjaString(model)}) }}`;

const SQL_LITERAL = /('(?:[^']|'')*')/;

/** Applies `f` to the SQL outside string literals. */
function outsideLiterals(sql: string, f: (part: string) => string): string {
  return sql
    .split(SQL_LITERAL)
    .map((part, i) => (i % 2 === 1 ? part : f(part)))
    .join('');
}

/**
 * Reads each relation of `relations` (relation name → model name) through `{{ ref() }}` where
 * the SQL reads it by name (`FROM "x"`, `JOIN "x"`); string literals are left alone. The ref
 * renders to the same relation (the model's table or view in the main schema, under its alias),
 * so the SQL stays the runner's while dbt sees the lineage in the code. Returns the SQL, the
 * models it now refs and the models it names elsewhere (to declare with `-- depends_on`).
 */
export function refModels(sql: string, relations: ReadonlyMap<string, string>): { sql: string; refs: Set<string>; named: Set<string> } {
  const refs = new Set<string>();
  const named = new Set<string>();
  const out = outsideLiterals(sql, (part) => {
    const refd = part.replace(/\b(FROM|JOIN)(\s+)"((?:[^"]|"")+)"/g, (whole, kw: string, sp: string, quoted: string) => {
      const model = relations.get(quoted.replace(/""/g, '"'));
      if (!model) return whole;
      refs.add(model);
      return `${kw}${sp}${ref(model)}`;
    });
    for (const m of refd.matchAll(/"((?:[^"]|"")+)"/g)) {
      const model = relations.get(m[1]!.replace(/""/g, '"'));
      if (model) named.add(model);
    }
    return refd;
  });
  return { sql: out, refs, named: new Set([...named].filter((m) => !refs.has(m))) };
}

/** Stage inputs custom SQL names without quotes (`FROM orders`): declared, since ref() cannot stand in for them. */
function unquotedInputs(stage: Stage, sql: string): string[] {
  if (stage.kind === 'ingest') return [];
  const words = new Set(outsideLiterals(sql, (part) => part.replace(/"(?:[^"]|"")*"/g, ' ')).match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []);
  return [...new Set(stageInputs(stage).map((i) => i.split('.')[0]!))].filter((i) => words.has(i));
}

/** What a stage's models read through source(): its reader's SQL (as the statements hold it) and the source. */
export interface SourceRead {
  readonly readerSql: string;
  readonly source: string;
}

/**
 * One model of a stage (see dbtSplit.ts): the runner's SELECT for one relation, reading the
 * relations before it through `ref()` and an ingest's files through `source()`; relations named
 * another way (custom SQL, hooks) are declared with dbt's `-- depends_on:` comments.
 */
export function stageModelFile(
  p: PlannedStage,
  m: SplitModel,
  relations: ReadonlyMap<string, string>,
  render: (m: Marker) => string,
  read?: SourceRead,
  finish: (sql: string) => string = (sql) => sql,
): ExportFile {
  const others = new Map([...relations].filter(([, model]) => model !== m.name));
  const sourceJinja = read ? `{{ source(${jinjaString(SOURCE_GROUP)}, ${jinjaString(read.source)}) }}` : '';
  const pieces = read ? m.select.split(`(${read.readerSql})`) : [m.select];
  const body = refModels(pieces.map((x) => dbtSql(x, render)).join(sourceJinja), others);
  const self = (hook: string) => hook.replace(/^(UPDATE|INSERT INTO) "(?:[^"]|"")+"/, '$1 {{ this }}');
  const hookNamed = [...m.preHooks, ...m.postHooks].flatMap((h) => {
    const r = refModels(h, others);
    return [...r.refs, ...r.named];
  });
  const deps = [
    // a model listing the files without the reader (the ingest's file table) still reads the source
    ...(read && pieces.length === 1 && m.preHooks.length ? [sourceJinja] : []),
    ...[...new Set([...body.named, ...hookNamed, ...unquotedInputs(p.stage, m.select)])].filter((d) => !body.refs.has(d) && d !== m.name).map(ref),
  ];
  const kind = m.materialized === 'table' ? 'a table (the runner materialises it)' : 'a view (as in the runner)';
  const text = [
    header(
      [`${m.relation}: ${p.stage.name} (${p.stage.kind} stage), ${kind}.`, ...(m.name === p.stage.name && p.stage.description ? [p.stage.description] : []), 'The SQL is what `batchbook run` executes for it (Batchbook DuckDB compiler).'],
      deps,
      {
        materialized: m.materialized,
        ...(m.relation !== m.name ? { alias: m.relation } : {}),
        preHooks: m.preHooks.map((h) => dbtSql(h, render)),
        postHooks: m.postHooks.map((h) => self(dbtSql(h, render))),
      },
    ),
    finish(body.sql),
  ].join('\n');
  return { path: `models/stages/${p.stage.name}/${m.name}.sql`, content: `${text}\n` };
}

/** The rejected rows of a stage, as `batchbook run` writes them to rejects/<run_date>/<stage>.parquet. */
export function rejectsModelFile(plan: DuckdbPlan, stage: string, relations: ReadonlyMap<string, string>, render: (m: Marker) => string): ExportFile {
  const body = refModels(dbtSql(rejectsQuery(plan, stage), render), relations);
  const text = [header([`Rejected rows of ${stage}: the reason, where each row came from, then the row (batchbook run's rejects query).`], [...body.named].map(ref), 'view'), body.sql].join('\n');
  return { path: `models/rejects/${rejectsModel(stage)}.sql`, content: `${text}\n` };
}

/** An output stage: the rows `batchbook run` writes, as a view; the publish step copies them to files. */
export function outputModel(p: PlannedStage, relations: ReadonlyMap<string, string>, render: (m: Marker) => string): ExportFile {
  const w = p.compiled.write;
  if (!w || p.stage.kind !== 'output') throw new Error(`${p.stage.name} is not an output stage`);
  const body = refModels(dbtSql(w.select, render), relations);
  const text = [
    header([`${p.stage.name}: written to <output_root>/curated/${p.stage.path} (${w.format}${w.partitionBy.length ? `, partitioned by ${w.partitionBy.join(', ')}` : ''}) by the publish step`], [...body.named].map(ref), 'view'),
    body.sql,
  ].join('\n');
  return { path: `models/outputs/${p.stage.name}.sql`, content: `${text}\n` };
}

/**
 * The leaf model a stage's rule tests are attached to: for a validate stage every row it judged
 * (its input, rows it rejected included: the stage's `<stage>__judged` model), so a test's
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
      [],
      'view',
    ),
    `SELECT * FROM ${ref(judged ? `${stage}__judged` : stage)}`,
  ].join('\n');
  return { path: `models/rules/${rulesModel(stage)}.sql`, content: `${text}\n` };
}

/** Model names the project would hold twice (a stage named like another stage's working relation, rejects or rules model), each with the stage to rename. */
export function modelNameClashes(models: readonly { name: string; stage: string }[]): { name: string; stage: string; other: string }[] {
  const seen = new Map<string, string>();
  const out: { name: string; stage: string; other: string }[] = [];
  for (const m of models) {
    const other = seen.get(m.name);
    if (other !== undefined) out.push({ name: m.name, stage: m.stage, other });
    else seen.set(m.name, m.stage);
  }
  return out;
}
