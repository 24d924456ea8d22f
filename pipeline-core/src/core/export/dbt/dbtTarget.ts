import { stringify } from 'yaml';
import { DUCKDB_NATIVE_PRELUDE, type DuckdbPlan, type PlannedStage } from '../../compile/duckdb/plan.js';
import { carryingStages } from '../../stages/match/openItemsState.js';
import { duckdbLiteral } from '../../compile/sql.js';
import { analyzeSpec } from '../../spec/analyze.js';
import type { PipelineSpec, StageOf } from '../../spec/schema.js';
import type { Schema } from '../../types/dataType.js';
import { markedDuckdbPlan, type MarkedSourceRelation } from '../duckdb/duckdbTarget.js';
import type { ExportContext, ExportFile } from '../exportFile.js';
import { exportParams } from '../layout.js';
import { paramMarker, type Marker } from '../markers.js';
import { dbtOpenItems, hasCarried, matchRuleTests, matchStateLookups, stateModelFiles, stateModels, withCarriedRelations } from './dbtMatchState.js';
import { refusal, type ExportRefusal } from '../refusal.js';
import type { TargetResult } from '../targetResult.js';
import { builtinSqlLiteralOf, dbtSql, jinjaEscape, jinjaPathExpr } from './dbtJinja.js';
import { TEST_MACROS, UTIL_MACROS } from './dbtMacros.js';
import { dbtMarkerRenderer, modelNameClashes, outputModel, rejectsModel, rejectsModelFile, rulesModel, rulesModelFile, SOURCE_GROUP, stageModelFile, type SourceRead } from './dbtModels.js';
import { splitStage, type SplitModel } from './dbtSplit.js';
import { listedSourceRelation } from '../duckdb/sourceFiles.js';
import { publishMacro } from './dbtPublish.js';
import { ruleTests, type RuleMeta } from './dbtTests.js';
import { dbtReadme } from './dbtReadme.js';

/**
 * The dbt target (dbt-duckdb). It is not a separate engine in ENGINES: dbt-duckdb runs DuckDB,
 * so each stage model holds the statements Batchbook's own DuckDB compilers produce — the SQL
 * `batchbook run` executes — and nothing is re-derived per stage. What dbt adds is the project
 * around it: sources, one model per stage with lineage, docs, the rules as tests, rejects as
 * models, and the publish step of the run contract (see dbtPublish.ts).
 */
export function dbtTarget(ctx: ExportContext, sourceRelation: MarkedSourceRelation | undefined): TargetResult {
  if (!sourceRelation) throw new Error('the dbt export needs the source readers (exportPipeline option duckdbSources)');
  const spec = ctx.spec;
  const plan = markedDuckdbPlan(spec, sourceRelation, true, dbtOpenItems(spec));
  const refusals = dbtRefusals(spec, plan);
  if (refusals.length) return { files: [], refusals, flags: [], readme: '' };
  const analysis = analyzeSpec(spec);
  const render = dbtMarkerRenderer(spec);
  const paramValues = Object.fromEntries(exportParams(spec).map((p) => [p.name, p.type === 'integer' ? Number(p.value ?? 0) : paramMarker(p.name)]));
  const schemaOf = (ref: string) => plan.schemas.get(ref) ?? [];
  const paramSql = (name: string) => duckdbLiteral(paramValues[name] ?? null, analysis.paramTypes[name] ?? 'string');

  const split = plan.stages.map((p) => ({ p, ...splitStage(p) }));
  const relations = new Map(split.flatMap((x) => x.models.map((m) => [m.relation, m.name] as const)));
  const reads = sourceReads(spec, sourceRelation);
  const built = new Map<string, string>();

  const files: ExportFile[] = [];
  const schemaModels: Record<string, unknown>[] = [];
  const rules: RuleMeta[] = [];
  const testNames = new Set<string>();
  const builtModels: string[] = [];
  const addRulesModel = (p: PlannedStage, tests: Record<string, unknown>[]) => {
    files.push(rulesModelFile(p));
    builtModels.push(rulesModel(p.stage.name));
    schemaModels.push({
      name: rulesModel(p.stage.name),
      description: jinjaEscape(`The rows ${p.stage.name}'s rules are tested on (a leaf: a failing error-severity rule fails dbt build without skipping later stages).`),
      ...(tests.length ? { data_tests: tests } : {}),
    });
  };
  for (const { p, models } of split) {
    const schema = analysis.schemas.get(p.stage.name) ?? [];
    const read = p.stage.kind === 'ingest' ? reads.get(p.stage.source) : undefined;
    for (const m of models) {
      const finish = p.stage.kind === 'match' ? carried(spec, p.stage as StageOf<'match'>, schemaOf, render) : undefined;
      // a model reads only relations built before it (a name that is also a later relation's, say a column, is no dependency)
      files.push(stageModelFile(p, m, built, render, read, finish));
      built.set(m.relation, m.name);
      builtModels.push(m.name);
      schemaModels.push(m.name === p.stage.name ? { name: m.name, description: modelDescription(p.stage.kind, p.stage.description), columns: columnDocs(schema) } : { name: m.name, description: workingDescription(p.stage.name, m) });
    }
    if (p.stage.kind === 'output') {
      files.push(outputModel(p, relations, render));
      builtModels.push(p.stage.name);
      schemaModels.push({ name: p.stage.name, description: modelDescription(p.stage.kind, p.stage.description), columns: columnDocs(schema) });
    } else if (p.stage.kind === 'match') {
      const t = matchRuleTests(p, relations, render, testNames);
      files.push(...t.singular);
      rules.push(...t.rules);
      if (t.rules.length) addRulesModel(p, []);
    }
    if (p.stage.kind === 'validate') {
      const input = analysis.schemas.get(p.stage.input) ?? [];
      const t = ruleTests(p, { input, paramTypes: analysis.paramTypes, paramSql, render, relations }, testNames);
      files.push(...t.singular);
      rules.push(...t.rules);
      if (t.rules.length) addRulesModel(p, t.generic);
    }
    if (p.compiled.hasRejects) {
      files.push(rejectsModelFile(plan, p.stage.name, relations, render));
      builtModels.push(rejectsModel(p.stage.name));
      schemaModels.push({ name: rejectsModel(p.stage.name), description: jinjaEscape(`Rows ${p.stage.name} rejected, with the reason and their source file, row and line; published to rejects/<run_date>/${p.stage.name}.parquet.`) });
    }
  }
  files.push(...stateModelFiles(spec, schemaOf, relations, render));
  builtModels.push(...stateModels(spec));
  for (const m of stateModels(spec)) schemaModels.push({ name: m, description: jinjaEscape('Open items of a match stage per run_date (incremental): what each night left open, carried into the next night.') });
  files.push(
    { path: 'dbt_project.yml', content: projectYaml(ctx) },
    { path: 'profiles.yml', content: profilesYaml(spec) },
    { path: 'models/sources.yml', content: sourcesYaml(spec, reads, dbtMarkerRenderer(spec, builtinSqlLiteralOf)) },
    { path: 'models/schema.yml', content: yamlFile('Models (each relation of each stage), their columns and the validate stages’ rules as tests.', { version: 2, models: schemaModels }) },
    { path: 'macros/batchbook_util.sql', content: UTIL_MACROS },
    { path: 'macros/batchbook_tests.sql', content: TEST_MACROS },
    { path: 'macros/batchbook_publish.sql', content: publishMacro(plan, builtModels, rules, stateModels(spec)) },
    { path: '.gitignore', content: 'target/\nlogs/\n*.duckdb\n*.duckdb.wal\n.user.yml\n' },
  );
  return { files, refusals: [], flags: [], readme: dbtReadme(ctx, projectName(spec), rules.length) };
}

/** Each source's reader SQL as the ingest statements hold it: the ingest models read it through source(). */
function sourceReads(spec: PipelineSpec, sourceRelation: MarkedSourceRelation): Map<string, SourceRead> {
  return new Map(Object.keys(spec.sources).map((source) => [source, { source, readerSql: listedSourceRelation(source, sourceRelation(source)).sql }]));
}

/** A match stage's items models read the open items its state models kept (dbtMatchState.ts). */
function carried(spec: PipelineSpec, stage: StageOf<'match'>, schemaOf: (ref: string) => Schema, render: (m: Marker) => string): ((sql: string) => string) | undefined {
  if (!carryingStages(spec).some((s) => s.name === stage.name)) return undefined;
  return (sql) => (hasCarried(sql, stage) ? [keepLines(matchStateLookups(stage, schemaOf)), withCarriedRelations(sql, stage, schemaOf, render)].join('\n') : sql);
}

/**
 * Jinja lines whose tags trim the whitespace around them, made to keep the line break before the
 * first and after the last: a `--` comment before them must not swallow the SQL after them.
 */
function keepLines(lines: readonly string[]): string {
  return lines.join('\n').replace(/^\{%-/, '{%').replace(/-%\}$/, '%}');
}

function workingDescription(stage: string, m: SplitModel): string {
  return jinjaEscape(`${stage}'s working relation ${m.relation} (${m.materialized}), as \`batchbook run\` builds it.`);
}

function dbtRefusals(spec: PipelineSpec, plan: DuckdbPlan): ExportRefusal[] {
  const out: ExportRefusal[] = [];
  const split = plan.stages.map((p) => ({ p, ...splitStage(p) }));
  for (const { p, unsupported } of split) {
    for (const s of unsupported) out.push(refusal('dbt', p.stage.name, `the statement '${s.split('\n')[0]!.slice(0, 80)}'`, 'no dbt model can hold it; report it to Batchbook'));
  }
  const names = [
    ...split.flatMap(({ p, models }) => models.map((m) => ({ name: m.name, stage: p.stage.name }))),
    ...plan.stages.filter((p) => p.stage.kind === 'output').map((p) => ({ name: p.stage.name, stage: p.stage.name })),
    ...plan.stages.filter((p) => p.compiled.hasRejects).map((p) => ({ name: rejectsModel(p.stage.name), stage: p.stage.name })),
    ...plan.stages.filter((p) => p.compiled.rules?.length).map((p) => ({ name: rulesModel(p.stage.name), stage: p.stage.name })),
    ...carryingStages(spec).flatMap((s) => stateModels({ ...spec, stages: [s] }).map((name) => ({ name, stage: s.name }))),
  ];
  for (const c of modelNameClashes(names)) {
    const culprit = spec.stages.some((s) => s.name === c.name) ? c.name : c.stage;
    out.push(refusal('dbt', culprit, `the stage name '${culprit}'`, `dbt would name two models '${c.name}' (stages '${c.other}' and '${c.stage}'); rename the stage`));
  }
  for (const name of ['input_root', 'output_root']) {
    if (spec.parameters?.[name]) out.push(refusal('dbt', spec.stages[0]?.name ?? '', `the parameter name '${name}'`, 'the dbt project uses it as a variable of its own; rename the parameter'));
  }
  return out;
}

/** dbt project names: lower-case letters, digits and underscores. */
export function projectName(spec: PipelineSpec): string {
  const n = spec.name.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  return /^[a-z_]/.test(n) ? n : `p_${n}`;
}

function modelDescription(kind: string, description: string | undefined): string {
  return jinjaEscape(`${kind} stage${description ? `: ${description}` : ''}`);
}

function columnDocs(schema: Schema): Record<string, unknown>[] {
  return schema.map((c) => ({ name: jinjaEscape(c.name), data_type: c.type }));
}

function yamlFile(comment: string, value: unknown): string {
  return `# Generated by Batchbook: ${comment}\n${stringify(value, { lineWidth: 0 })}`;
}

function projectYaml(ctx: ExportContext): string {
  const spec = ctx.spec;
  const vars: Record<string, string> = {};
  for (const p of exportParams(spec, ctx.params)) vars[p.name] = jinjaEscape(p.value ?? '');
  vars['input_root'] = 'data';
  vars['output_root'] = 'out';
  return yamlFile(`${spec.name}, exported by Batchbook ${ctx.toolVersion}. Change the pipeline in Batchbook and export again rather than editing these files.`, {
    name: projectName(spec),
    version: '1.0.0',
    'config-version': 2,
    'require-dbt-version': ['>=1.10.0', '<2.0.0'],
    profile: `batchbook_${projectName(spec)}`,
    'model-paths': ['models'],
    'macro-paths': ['macros'],
    'test-paths': ['tests'],
    'clean-targets': ['target', 'logs'],
    vars,
    // the session set-up every Batchbook DuckDB adapter runs first (bb_local_to_utc); the time zone is the profile's
    'on-run-start': DUCKDB_NATIVE_PRELUDE.filter((st) => !st.startsWith('SET ')),
    'on-run-end': ['{{ batchbook_publish(results) }}'],
  });
}

function profilesYaml(spec: PipelineSpec): string {
  const name = projectName(spec);
  return yamlFile('a dbt-duckdb profile; the database file is created in the folder dbt runs from (set BATCHBOOK_DBT_DATABASE to put it elsewhere).', {
    [`batchbook_${name}`]: {
      target: 'local',
      outputs: {
        local: {
          type: 'duckdb',
          path: `{{ env_var('BATCHBOOK_DBT_DATABASE', '${name}.duckdb') }}`,
          schema: 'main',
          // one dbt thread: the stages build in order on one DuckDB connection, as the runner does
          threads: 1,
          settings: { TimeZone: 'UTC' },
        },
      },
    },
  });
}

/**
 * The raw files as dbt sources. dbt-duckdb renders `{{ source('raw', '<name>') }}` as the
 * source's `external_location`; here that is Batchbook's reader (every value as text, each file
 * keeping its index), so the ingest model reads its files through source() and still gets the
 * runner's rows and reject reasons. The reader reads the file list the ingest model's pre-hook
 * put in a session variable (its glob of `path` below `input_root`), so source() is for the
 * ingest models; for ad-hoc queries read `meta.path` with DuckDB directly. `formatter: oldstyle`
 * because the reader SQL holds `{}` (struct literals) and `$` (JSON paths): only `%` is doubled.
 */
function sourcesYaml(spec: PipelineSpec, reads: ReadonlyMap<string, SourceRead>, render: (m: Marker) => string): string {
  const tables = Object.entries(spec.sources).map(([name, s]) => ({
    name,
    description: jinjaEscape(`${s.description ?? `${s.format} files`} — read by the ingest model with Batchbook's reader: every value as text, then typed; bad rows become rejects.`),
    meta: {
      format: s.format,
      path: `{{ ${jinjaPathExpr(s.path, 'input_root')} }}`,
      formatter: 'oldstyle',
      external_location: `(${dbtSql(reads.get(name)!.readerSql, render)})`.replace(/%/g, '%%'),
    },
    columns: s.schema.map((c) => ({ name: jinjaEscape(c.name), data_type: c.type, ...(c.description ? { description: jinjaEscape(c.description) } : {}) })),
  }));
  return yamlFile('the raw files, under the input_root variable (the project inbox layout), read by Batchbook\'s readers.', {
    version: 2,
    sources: [{ name: SOURCE_GROUP, description: 'Raw files as delivered (the project inbox), below var("input_root").', tables }],
  });
}
