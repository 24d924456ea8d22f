import { stringify } from 'yaml';
import type { DuckdbPlan, PlannedStage } from '../../compile/duckdb/plan.js';
import { carryingStages } from '../../stages/match/openItemsState.js';
import { duckdbLiteral } from '../../compile/sql.js';
import { analyzeSpec } from '../../spec/analyze.js';
import type { PipelineSpec, StageOf } from '../../spec/schema.js';
import type { Schema } from '../../types/dataType.js';
import { markedDuckdbPlan, type MarkedSourceRelation } from '../duckdb/duckdbTarget.js';
import type { ExportContext, ExportFile } from '../exportFile.js';
import { exportParams } from '../layout.js';
import { paramMarker, type Marker } from '../markers.js';
import { dbtOpenItems, matchRuleTests, matchStateLookups, stateModelFiles, stateModels, withCarriedRelations } from './dbtMatchState.js';
import { refusal, type ExportRefusal } from '../refusal.js';
import type { TargetResult } from '../targetResult.js';
import { jinjaEscape, jinjaPathExpr } from './dbtJinja.js';
import { STAGE_MATERIALIZATION, TEST_MACROS, UTIL_MACROS } from './dbtMacros.js';
import { dbtMarkerRenderer, holdsSeparator, modelNameClashes, outputModel, rejectsModel, rejectsModelFile, rulesModel, rulesModelFile, SOURCE_GROUP, stageModel } from './dbtModels.js';
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

  const files: ExportFile[] = [];
  const schemaModels: Record<string, unknown>[] = [];
  const rules: RuleMeta[] = [];
  const testNames = new Set<string>();
  const stageModels: string[] = [];
  const addRulesModel = (p: PlannedStage, tests: Record<string, unknown>[]) => {
    files.push(rulesModelFile(p));
    stageModels.push(rulesModel(p.stage.name));
    schemaModels.push({
      name: rulesModel(p.stage.name),
      description: jinjaEscape(`The rows ${p.stage.name}'s rules are tested on (a leaf: a failing error-severity rule fails dbt build without skipping later stages).`),
      ...(tests.length ? { data_tests: tests } : {}),
    });
  };
  for (const p of plan.stages) {
    const schema = analysis.schemas.get(p.stage.name) ?? [];
    const entry: Record<string, unknown> = { name: p.stage.name, description: modelDescription(p.stage.kind, p.stage.description), columns: columnDocs(schema) };
    schemaModels.push(entry);
    if (p.stage.kind === 'output') {
      files.push(outputModel(p, render));
    } else if (p.stage.kind === 'match') {
      files.push(matchStageModel(spec, p, render, schemaOf));
      stageModels.push(p.stage.name);
      const t = matchRuleTests(p, render, testNames);
      files.push(...t.singular);
      rules.push(...t.rules);
      if (t.rules.length) addRulesModel(p, []);
    } else {
      files.push(stageModel(spec, p, render));
      stageModels.push(p.stage.name);
    }
    if (p.stage.kind === 'validate') {
      const input = analysis.schemas.get(p.stage.input) ?? [];
      const t = ruleTests(p, { input, paramTypes: analysis.paramTypes, paramSql, render }, testNames);
      files.push(...t.singular);
      rules.push(...t.rules);
      if (t.rules.length) addRulesModel(p, t.generic);
    }
    if (p.compiled.hasRejects) {
      files.push(rejectsModelFile(plan, p.stage.name, render));
      stageModels.push(rejectsModel(p.stage.name));
      schemaModels.push({ name: rejectsModel(p.stage.name), description: jinjaEscape(`Rows ${p.stage.name} rejected, with the reason and their source file, row and line; published to rejects/<run_date>/${p.stage.name}.parquet.`) });
    }
  }
  files.push(...stateModelFiles(spec, schemaOf, render));
  stageModels.push(...stateModels(spec));
  for (const m of stateModels(spec)) schemaModels.push({ name: m, description: jinjaEscape('Open items of a match stage per run_date (incremental): what each night left open, carried into the next night.') });
  files.push(
    { path: 'dbt_project.yml', content: projectYaml(ctx) },
    { path: 'profiles.yml', content: profilesYaml(spec) },
    { path: 'models/sources.yml', content: sourcesYaml(spec) },
    { path: 'models/schema.yml', content: yamlFile('Models (one per stage), their columns and the validate stages’ rules as tests.', { version: 2, models: schemaModels }) },
    { path: 'macros/batchbook_stage.sql', content: STAGE_MATERIALIZATION },
    { path: 'macros/batchbook_util.sql', content: UTIL_MACROS },
    { path: 'macros/batchbook_tests.sql', content: TEST_MACROS },
    { path: 'macros/batchbook_publish.sql', content: publishMacro(plan, stageModels, rules, stateModels(spec)) },
    { path: '.gitignore', content: 'target/\nlogs/\n*.duckdb\n*.duckdb.wal\n.user.yml\n' },
  );
  return { files, refusals: [], flags: [], readme: dbtReadme(ctx, projectName(spec), rules.length) };
}

/** The match stage's model: the runner's statements, reading the open items its state models kept (dbtMatchState.ts). */
function matchStageModel(spec: PipelineSpec, p: PlannedStage, render: (m: Marker) => string, schemaOf: (ref: string) => Schema): ExportFile {
  const file = stageModel(spec, p, render);
  const stage = p.stage as StageOf<'match'>;
  if (!carryingStages(spec).some((s) => s.name === stage.name)) return file;
  const [config, ...rest] = file.content.split('\n');
  const content = [config, ...matchStateLookups(stage, schemaOf), ...rest].join('\n');
  return { ...file, content: withCarriedRelations(content, stage, schemaOf, render) };
}

function dbtRefusals(spec: PipelineSpec, plan: DuckdbPlan): ExportRefusal[] {
  const out: ExportRefusal[] = [];
  const withRejects = plan.stages.filter((p) => p.compiled.hasRejects).map((p) => p.stage.name);
  const withRules = plan.stages.filter((p) => p.compiled.rules?.length).map((p) => p.stage.name);
  for (const c of modelNameClashes(spec, withRejects, withRules)) {
    const what = c.stage === rulesModel(c.clash) ? 'rules' : 'rejects';
    out.push(refusal('dbt', c.stage, `the stage name '${c.stage}'`, `dbt names the ${what} model of stage '${c.clash}' so; rename the stage`));
  }
  for (const p of plan.stages.filter(holdsSeparator)) out.push(refusal('dbt', p.stage.name, 'a statement holding the line "-- batchbook: next statement"', 'remove that comment from the custom SQL'));
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

function sourcesYaml(spec: PipelineSpec): string {
  const tables = Object.entries(spec.sources).map(([name, s]) => ({
    name,
    description: jinjaEscape(`${s.description ?? `${s.format} files`} — read by the ingest model with Batchbook's reader: every value as text, then typed; bad rows become rejects.`),
    meta: {
      format: s.format,
      path: jinjaEscape(s.path),
      // dbt-duckdb: source() reads the files directly (DuckDB's own type detection, for ad-hoc use)
      external_location: `{{ ${jinjaPathExpr(s.path, 'input_root')} }}`,
    },
    columns: s.schema.map((c) => ({ name: jinjaEscape(c.name), data_type: c.type, ...(c.description ? { description: jinjaEscape(c.description) } : {}) })),
  }));
  return yamlFile('the raw files, under the input_root variable (the project inbox layout).', {
    version: 2,
    sources: [{ name: SOURCE_GROUP, description: 'Raw files as delivered (the project inbox), below var("input_root").', tables }],
  });
}
