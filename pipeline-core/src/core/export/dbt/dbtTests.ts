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

/** What each rule test carries in its meta, so the publish step can write the rule outcomes. */
export interface RuleMeta {
  readonly stage: string;
  readonly name: string;
  readonly rule: string;
  readonly severity: string;
  readonly action: string;
}

export interface DbtRuleTests {
  /** Generic tests for the validate stage's entry in models/schema.yml. */
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
}

/**
 * Rules run at dbt severity `warn`: dbt would otherwise skip everything downstream of a failing
 * test, while Batchbook evaluates every rule over the whole day and decides afterwards (action
 * fail: publish no outputs; severity error: exit non-zero). The publish step (on-run-end) does
 * that from the results, using the rule's real severity and action kept in `meta.batchbook`.
 */
function config(meta: RuleMeta): Record<string, unknown> {
  return { severity: 'warn', meta: { batchbook: { ...meta } } };
}

function ruleValue(value: string | number | boolean, type: DataType): string | number | boolean {
  // an integer rule bound written as text ("10") is a number to Batchbook's compiler (CAST(10 AS BIGINT))
  if (type === 'integer' && typeof value === 'string' && /^[+-]?\d+(\.\d+)?$/.test(value) && Math.abs(Number(value)) < 2 ** 53) return Number(value);
  return typeof value === 'string' ? jinjaEscape(value) : value;
}

function genericTest(rule: Rule, testName: string, meta: RuleMeta, ctx: RuleTestContext): Record<string, unknown> | undefined {
  const type = (c: string) => ctx.input.find((x) => x.name === c)?.type ?? 'string';
  const cols = (cs: readonly string[]) => cs.map(jinjaEscape);
  const test = (kind: string, args: Record<string, unknown>) => ({ [kind]: { name: testName, arguments: args, config: config(meta) } });
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
      return test('bb_relationships', { columns: cols(rule.columns), to: `ref(${jinjaString(rule.to)})`, to_columns: cols(rule.to_columns ?? rule.columns) });
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
  const deps = [...new Set([stage.name, stage.input, ...ruleStageRefs(rule).map((r) => r.stage)])];
  const cfg = `{{ config(severity='warn', fail_calc='coalesce(sum(failing), 0)', meta={'batchbook': ${JSON.stringify(meta)}}) }}`;
  const text = [
    cfg,
    `-- ${jinjaEscape(`${stage.name}.${meta.name}: ${meta.rule} rule (severity ${meta.severity}, action ${meta.action})${rule.description ? ` — ${rule.description.replace(/\s+/g, ' ')}` : ''}`)}`,
    "-- Batchbook's own check query: one row whose `failing` is the number of failing rows or groups.",
    ...deps.map((d) => `-- depends_on: {{ ref(${jinjaString(d)}) }}`),
    dbtSql(check, ctx.render),
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
    let testName = `${stage.name}__${compiled.name}`;
    for (let n = 2; usedNames.has(testName); n++) testName = `${stage.name}__${compiled.name}_${n}`;
    usedNames.add(testName);
    rules.push(meta);
    const g = genericTest(rule, testName, meta, ctx);
    if (g) generic.push(g);
    else singular.push(singularTest(stage, rule, testName, meta, compiled.check, ctx));
  }
  return { generic, singular, rules };
}
