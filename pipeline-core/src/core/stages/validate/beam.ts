import type { StageOf } from '../../spec/schema.js';
import type { Schema } from '../../types/dataType.js';
import { RefusalError, regexRuleConstruct } from '../../export/refusal.js';
import { pythonRegexProblem } from '../../expr/emit/python.js';
import { translateRegex } from '../../expr/regexDialect.js';
import { py, pyKwargs, pyTyped, pythonVariable, type BeamContext, type BeamStage } from '../../export/beam/beamTypes.js';
import { ruleNames, ruleStageRefs } from './validate.js';
import type { Rule } from './rules.js';

type RuleOf<K extends Rule['rule']> = Extract<Rule, { rule: K }>;

/** A rule as a constructor call of bb_runtime (NotNull, Unique, Reconcile…). */
function rule(r: Rule, name: string, input: Schema, ctx: BeamContext): string {
  const base = pyKwargs({ severity: r.severity, action: r.action });
  const type = (c: string) => input.find((x) => x.name === c)?.type ?? 'string';
  const n = py(name);
  switch (r.rule) {
    case 'not_null':
      return `bb.NotNull(${n}, ${py(r.columns)}, ${base})`;
    case 'unique':
      return `bb.Unique(${n}, ${py(r.columns)}, ${base})`;
    case 'accepted_values':
      return `bb.AcceptedValues(${n}, ${py(r.column)}, [${r.values.map((v) => pyTyped(v, type(r.column))).join(', ')}], ${base})`;
    case 'range': {
      const bounds = pyKwargs({ min: r.min === undefined ? undefined : { code: pyTyped(r.min, type(r.column)) }, max: r.max === undefined ? undefined : { code: pyTyped(r.max, type(r.column)) } });
      return `bb.Range(${n}, ${py(r.column)}, ${bounds}, shown=(${py(String(r.min ?? '-inf'))}, ${py(String(r.max ?? '+inf'))}), ${base})`;
    }
    case 'regex': {
      const problem = pythonRegexProblem(r.pattern);
      if (problem) throw new RefusalError(regexRuleConstruct(name, problem), "Python's re module reads it differently from RE2");
      return `bb.Regex(${n}, ${py(r.column)}, ${py(translateRegex(r.pattern, 'python'))}, shown=${py(r.pattern)}, ${base})`;
    }
    case 'relationship':
      return `bb.Relationship(${n}, ${py(r.columns)}, ${py(r.to)}, ${pyKwargs({ to_columns: r.to_columns })}${r.to_columns ? ', ' : ''}${base})`;
    case 'expression':
      return `bb.Expression(${n}, ${py(r.expr)}, lambda r: ${ctx.expr(r.expr, input)}, ${base})`;
    case 'row_count':
      return `bb.RowCount(${n}, ${pyKwargs({ min: r.min, max: r.max })}, ${base})`;
    case 'freshness':
      return `bb.Freshness(${n}, ${py(r.column)}, ${Math.round(r.max_age_hours * 3600)}, ${base})`;
    case 'reconcile': {
      const measured = (m: RuleOf<'reconcile'>['left']) => (m.expr !== undefined ? `lambda r: ${ctx.expr(m.expr, m.stage ? ctx.schemaOf(m.stage) : input)}` : py(m.column ?? null));
      const side = (m: RuleOf<'reconcile'>['left']) => `bb.Side(${py(m.stage ?? null)}, ${py(m.fn)}, ${measured(m)}, ${py(m.group_by)})`;
      return `bb.Reconcile(${n}, ${side(r.left)}, ${side(r.right)}, ${pyKwargs({ absolute: r.tolerance.absolute, relative: r.tolerance.relative })}, ${base})`;
    }
    case 'conservation':
      return `bb.Conservation(${n}, ${py(r.stage ?? null)}, ${base})`;
  }
}

const WINDOWED: Record<Rule['rule'], string | undefined> = {
  not_null: undefined,
  accepted_values: undefined,
  range: undefined,
  regex: undefined,
  expression: undefined,
  unique: 'unique (duplicates are found within a window)',
  relationship: 'relationship (the matching rows must be in the same window)',
  row_count: 'row_count (counted per window)',
  freshness: 'freshness (latest value per window)',
  reconcile: 'reconcile (totals compared per window)',
  conservation: 'conservation (counts per window)',
};

/**
 * Row rules flag each row (unique and relationship through a grouping); rows failing a rule with
 * action reject go to rejects with every reason; table rules are combines over the whole input.
 */
export function compileValidateBeam(stage: StageOf<'validate'>, ctx: BeamContext): BeamStage {
  const input = ctx.schemaOf(stage.input);
  const rules = stage.rules as Rule[];
  const names = ruleNames(rules);
  const refs = [...new Set(rules.flatMap((r) => ruleStageRefs(r).map((x) => x.stage)).filter((s) => s !== stage.input).concat(stage.input))];
  const calls = rules.map((r, i) => rule(r, names[i]!, input, ctx));
  const windowed = rules.map((r) => WINDOWED[r.rule]).filter((w): w is string => w !== undefined);
  return {
    code: `${pythonVariable(stage.name)} = run.validate(${py(stage.name)}, ${ctx.ref(stage.input)}, [\n${calls.map((c) => `    ${c},`).join('\n')}\n], refs={${refs.map((s) => `${py(s)}: ${ctx.ref(s)}`).join(', ')}})`,
    lineage: ctx.hasLineage(stage.input),
    streaming: windowed.length
      ? `needs a window for ${[...new Set(windowed)].join(', ')}; the other rules are per row`
      : 'no window needed: every rule is per row',
  };
}
