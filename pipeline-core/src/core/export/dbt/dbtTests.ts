import type { PlannedStage } from '../../compile/duckdb/plan.js';
import { quoteIdent } from '../../compile/sql.js';
import { emitDuckdb } from '../../expr/emit/duckdb.js';
import { checkExpression } from '../../spec/analyze.js';
import type { StageOf } from '../../spec/schema.js';
import { ruleStageRefs } from '../../stages/validate/validate.js';
import type { Rule } from '../../stages/validate/rules.js';
import { duckdbType, type DataType, type Schema } from '../../types/dataType.js';
import type { ExportFile } from '../exportFile.js';
import type { Marker } from '../markers.js';
import { dbtSql, jinjaEscape, jinjaString } from './dbtJinja.js';
import { refModels, rulesModel } from './dbtModels.js';
import { modelNameOf } from './dbtSplit.js';

/** What each rule test carries in its meta, so the publish step can write the rule outcomes. */
export interface RuleMeta {
  readonly stage: string;
  readonly name: string;
  readonly rule: string;
  readonly severity: string;
  readonly action: string;
}

export interface DbtRuleTests {
  /** Generic tests for the entry of the stage's rules model in models/schema.yml. */
  readonly generic: Record<string, unknown>[];
  /** Singular tests (table rules): files under tests/. */
  readonly singular: ExportFile[];
  readonly rules: RuleMeta[];
}

export interface RuleTestContext {
  readonly input: Schema;
  readonly paramTypes: Readonly<Record<string, DataType>>;
  /** SQL literal of a parameter as the marked plan compiled it (a marker, or a fixed integer). */
  readonly paramSql: (name: string) => string;
  readonly render: (m: Marker) => string;
  /** Relation name → model name: check queries read the stage's relations (`__stats`, …) through ref(). */
  readonly relations: ReadonlyMap<string, string>;
}

/**
 * Each rule test runs at the rule's own severity, so `dbt build` fails on an error-severity rule
 * and names it in its failure output. The tests are attached to the stage's leaf rules model
 * (see rulesModel), so a failure skips nothing: every rule is evaluated over the whole day, as in
 * `batchbook run`. The rule's action is in `meta.batchbook`, for the publish step (on-run-end):
 * action fail publishes no outputs.
 */
export function testConfig(meta: RuleMeta): Record<string, unknown> {
  return { severity: meta.severity, meta: { batchbook: { ...meta } } };
}

/** The config() call of a singular rule test; `fail_calc` makes dbt's failure count Batchbook's `failing`. */
export function singularTestConfig(meta: RuleMeta): string {
  return `{{ config(severity=${jinjaString(meta.severity)}, fail_calc='coalesce(sum(failing), 0)', meta={'batchbook': ${JSON.stringify(meta)}}) }}`;
}

/** A test name unique in the project: `<stage>__<rule>`, numbered on a clash. */
export function uniqueTestName(stage: string, rule: string, usedNames: Set<string>): string {
  let testName = `${stage}__${rule}`;
  for (let n = 2; usedNames.has(testName); n++) testName = `${stage}__${rule}_${n}`;
  usedNames.add(testName);
  return testName;
}

function ruleValue(value: string | number | boolean, type: DataType): string | number | boolean {
  // an integer rule bound written as text ("10") is a number to Batchbook's compiler (CAST(10 AS BIGINT))
  if (type === 'integer' && typeof value === 'string' && /^[+-]?\d+(\.\d+)?$/.test(value) && Math.abs(Number(value)) < 2 ** 53) return Number(value);
  return typeof value === 'string' ? jinjaEscape(value) : value;
}

function genericTest(rule: Rule, testName: string, meta: RuleMeta, ctx: RuleTestContext): Record<string, unknown> | undefined {
  const type = (c: string) => ctx.input.find((x) => x.name === c)?.type ?? 'string';
  const cols = (cs: readonly string[]) => cs.map(jinjaEscape);
  const test = (kind: string, args: Record<string, unknown>) => ({ [kind]: { name: testName, arguments: args, config: testConfig(meta) } });
  switch (rule.rule) {
    case 'not_null':
      return test('bb_not_null', { columns: cols(rule.columns) });
    case 'unique':
      return test('bb_unique', { columns: cols(rule.columns) });
    case 'accepted_values':
      return test('bb_accepted_values', {
        column_name: jinjaEscape(rule.column),
        column_type: duckdbType(type(rule.column)),
        values: rule.values.map((v) => ruleValue(v, type(rule.column))),
      });
    case 'range':
      return test('bb_range', {
        column_name: jinjaEscape(rule.column),
        column_type: duckdbType(type(rule.column)),
        ...(rule.min !== undefined ? { min: ruleValue(rule.min, type(rule.column)) } : {}),
        ...(rule.max !== undefined ? { max: ruleValue(rule.max, type(rule.column)) } : {}),
      });
    case 'regex':
      return test('bb_regex', { column_name: jinjaEscape(rule.column), pattern: jinjaEscape(rule.pattern) });
    case 'relationship':
      return test('bb_relationships', { columns: cols(rule.columns), to: `ref(${jinjaString(modelNameOf(rule.to))})`, to_columns: cols(rule.to_columns ?? rule.columns) });
    case 'expression': {
      const checked = checkExpression(rule.expr, ctx.input, ctx.paramTypes);
      if (!checked.expr || checked.errors.length) throw new Error(`expression '${rule.expr}' has errors`);
      const sql = emitDuckdb(checked.expr, {
        ...(checked.types ? { types: checked.types } : {}),
        column: (n: string) => `x.${quoteIdent(n)}`,
        param: ctx.paramSql,
      });
      return test('bb_expression', { expression: dbtSql(sql, ctx.render) });
    }
    default:
      return undefined;
  }
}

/**
 * A table rule (row_count, freshness, reconcile, conservation) as a singular test whose query is
 * Batchbook's own check (one row, `failing`); `fail_calc` makes dbt's failure count that number.
 */
function singularTest(stage: StageOf<'validate'>, rule: Rule, testName: string, meta: RuleMeta, check: string, ctx: RuleTestContext): ExportFile {
  // the leaf rules model first: a test that depends on a leaf gates no model in dbt build
  const deps = [...new Set([rulesModel(stage.name), stage.name, modelNameOf(stage.input), ...ruleStageRefs(rule).map((r) => modelNameOf(r.stage))])];
  const text = [
    singularTestConfig(meta),
    `-- ${jinjaEscape(`${stage.name}.${meta.name}: ${meta.rule} rule (severity ${meta.severity}, action ${meta.action})${rule.description ? ` — ${rule.description.replace(/\s+/g, ' ')}` : ''}`)}`,
    "-- Batchbook's own check query: one row whose `failing` is the number of failing rows or groups.",
    ...deps.map((d) => `-- depends_on: {{ ref(${jinjaString(d)}) }}`),
    refModels(dbtSql(check, ctx.render), ctx.relations).sql,
  ].join('\n');
  return { path: `tests/${testName}.sql`, content: `${text}\n` };
}

/** The rules of one validate stage as dbt tests. */
export function ruleTests(p: PlannedStage, ctx: RuleTestContext, usedNames: Set<string>): DbtRuleTests {
  const stage = p.stage as StageOf<'validate'>;
  const generic: Record<string, unknown>[] = [];
  const singular: ExportFile[] = [];
  const rules: RuleMeta[] = [];
  for (const compiled of p.compiled.rules ?? []) {
    const rule = compiled.rule;
    const meta: RuleMeta = { stage: stage.name, name: compiled.name, rule: rule.rule, severity: rule.severity, action: rule.action };
    const testName = uniqueTestName(stage.name, compiled.name, usedNames);
    rules.push(meta);
    const g = genericTest(rule, testName, meta, ctx);
    if (g) generic.push(g);
    else singular.push(singularTest(stage, rule, testName, meta, compiled.check, ctx));
  }
  return { generic, singular, rules };
}
