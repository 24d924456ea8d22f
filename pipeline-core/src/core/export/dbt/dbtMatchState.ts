import type { PlannedStage } from '../../compile/duckdb/plan.js';
import type { PipelineSpec, StageOf } from '../../spec/schema.js';
import { openStateSql } from '../../stages/match/matchSql.js';
import { carryingStages } from '../../stages/match/openItemsState.js';
import type { OpenItems } from '../../stages/stageModule.js';
import type { Schema } from '../../types/dataType.js';
import { emptyState } from '../duckdb/scriptOpenItems.js';
import type { ExportFile } from '../exportFile.js';
import type { Marker } from '../markers.js';
import { dbtSql, jinjaEscape, jinjaString } from './dbtJinja.js';
import { singularTestConfig, uniqueTestName, type RuleMeta } from './dbtTests.js';
import { refModels, rulesModel } from './dbtModels.js';

/**
 * A match stage's open items in the dbt project: one incremental model per side,
 * `<stage>__open_left` / `<stage>__open_right`, keyed by `run_date` (delete+insert: running a date
 * again replaces that date's rows, and only those). A date's build appends the items the match
 * left open that night.
 *
 * The match stage's items models (`<stage>__l`, `<stage>__r`) read the open items of the latest run_date EARLIER than the one it
 * builds (never a later one) from those models' tables, as the previous invocations left them.
 * It cannot `ref()` them — they are built from its own results, and dbt refuses a cycle — so it
 * looks the table up with `adapter.get_relation` (none on the first night: nothing is carried).
 * The SQL between is the runner's own (matchSql.ts).
 */
type Match = StageOf<'match'>;
type Side = 'left' | 'right';

export function stateModel(stage: string, side: Side): string {
  return `${stage}__open_${side}`;
}

/** Placeholder relations the marked plan is compiled with; matchStageJinja replaces them. */
const placeholder = (stage: string, side: Side) => `__bb_carried_${stage}_${side}__`;

export function dbtOpenItems(spec: PipelineSpec): (stage: string) => OpenItems | undefined {
  const carrying = new Set(carryingStages(spec).map((s) => s.name));
  return (stage) => (carrying.has(stage) ? { left: placeholder(stage, 'left'), right: placeholder(stage, 'right') } : undefined);
}

const jinjaVar = (stage: string, side: Side) => `bb_${stage}_open_${side}`;

/**
 * Jinja for the top of the match stage model: each side's state table, if built before, and a
 * check that it has every column the side has now. State built by an older spec may lack one;
 * the model then stops with dbt's compilation error (naming this model) and a message naming the
 * state model and the columns, instead of a binder error deep in the match SQL.
 */
export function matchStateLookups(stage: Match, schemaOf: (ref: string) => Schema): string[] {
  return (['left', 'right'] as const).flatMap((side) => {
    const t = jinjaVar(stage.name, side);
    const want = `[${schemaOf(stage[side]).map((c) => jinjaString(c.name.toLowerCase())).join(', ')}, "_bb_opened", "_bb_seq"]`;
    const message = `${jinjaString(`match stage '${stage.name}': the open items kept in ${stateModel(stage.name, side)} have no column `)} ~ (missing | join(', ')) ~ ${jinjaString(
      `, which '${stage[side]}' has now (state built by an earlier version of the pipeline): rebuild the state with this version, \`dbt build --full-refresh\` on the first date, then each later date in order`,
    )}`;
    return [
      `{%- set ${t} = adapter.get_relation(database=this.database, schema=this.schema, identifier=${jinjaString(stateModel(stage.name, side))}) -%}`,
      `{%- if execute and ${t} is not none -%}`,
      `  {%- set have = adapter.get_columns_in_relation(${t}) | map(attribute='name') | map('lower') | list -%}`,
      `  {%- set missing = ${want} | reject('in', have) | list -%}`,
      `  {%- if missing -%}{{ exceptions.raise_compiler_error(${message}) }}{%- endif -%}`,
      `{%- endif -%}`,
    ];
  });
}

/** Whether a model's SQL reads the open items carried into the match stage (its items models `<stage>__l`, `<stage>__r`). */
export function hasCarried(sql: string, stage: Match): boolean {
  return (['left', 'right'] as const).some((side) => sql.includes(placeholder(stage.name, side)));
}

/** The stage model's SQL with each placeholder replaced by the latest earlier date's rows (or an empty relation). */
export function withCarriedRelations(sql: string, stage: Match, schemaOf: (ref: string) => Schema, render: (m: Marker) => string): string {
  const runDate = `CAST(${render({ kind: 'param', name: 'run_date' })} AS DATE)`;
  return (['left', 'right'] as const).reduce((text, side) => {
    const t = jinjaVar(stage.name, side);
    const carried = `{% if ${t} is not none %}(SELECT * FROM {{ ${t} }} WHERE run_date = (SELECT max(run_date) FROM {{ ${t} }} WHERE run_date < ${runDate})){% else %}(${jinjaEscape(emptyState(schemaOf(stage[side])))}){% endif %}`;
    return text.split(placeholder(stage.name, side)).join(carried);
  }, sql);
}

/** The incremental models holding each carrying match stage's open items per run date. */
export function stateModelFiles(spec: PipelineSpec, schemaOf: (ref: string) => Schema, relations: ReadonlyMap<string, string>, render: (m: Marker) => string): ExportFile[] {
  const runDate = `CAST(${render({ kind: 'param', name: 'run_date' })} AS DATE)`;
  return carryingStages(spec).flatMap((stage) =>
    (['left', 'right'] as const).map((side) => {
      const text = [
        `{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='run_date') }}`,
        `-- ${jinjaEscape(`Open ${side} items of match stage ${stage.name} per run date: what each night left open, read back by the next night's ${stage.name} model (the latest earlier run_date).`)}`,
        `-- depends_on: {{ ref(${jinjaString(stage.name)}) }}`,
        `SELECT *, ${runDate} AS run_date FROM (${refModels(dbtSql(openStateSql(stage.name, side, schemaOf(stage[side])), render), relations).sql})`,
      ].join('\n');
      return { path: `models/state/${stateModel(stage.name, side)}.sql`, content: `${text}\n` };
    }),
  );
}

/** The names of the state models (the publish step requires them built, and drops a held-back date's rows). */
export function stateModels(spec: PipelineSpec): string[] {
  return carryingStages(spec).flatMap((s) => [stateModel(s.name, 'left'), stateModel(s.name, 'right')]);
}

/** A match stage's rules (open_items_age) as singular tests running Batchbook's own check query. */
export function matchRuleTests(p: PlannedStage, relations: ReadonlyMap<string, string>, render: (m: Marker) => string, usedNames: Set<string>): { singular: ExportFile[]; rules: RuleMeta[] } {
  const singular: ExportFile[] = [];
  const rules: RuleMeta[] = [];
  for (const compiled of p.compiled.rules ?? []) {
    const meta: RuleMeta = { stage: p.stage.name, name: compiled.name, rule: compiled.rule.rule, severity: compiled.rule.severity, action: compiled.rule.action };
    const testName = uniqueTestName(p.stage.name, compiled.name, usedNames);
    rules.push(meta);
    const text = [
      singularTestConfig(meta),
      `-- ${jinjaEscape(`${p.stage.name}.${compiled.name}: ${compiled.reason ?? 'match rule'} (severity ${meta.severity}, action ${meta.action})`)}`,
      // the leaf rules model: a failing error-severity rule must not skip the state models after the stage
      `-- depends_on: {{ ref(${jinjaString(rulesModel(p.stage.name))}) }}`,
      `-- depends_on: {{ ref(${jinjaString(p.stage.name)}) }}`,
      refModels(dbtSql(compiled.check, render), relations).sql,
    ].join('\n');
    singular.push({ path: `tests/${testName}.sql`, content: `${text}\n` });
  }
  return { singular, rules };
}
