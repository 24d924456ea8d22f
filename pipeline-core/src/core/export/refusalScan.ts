import { analyzeSpec, checkExpression } from '../spec/analyze.js';
import type { PipelineSpec } from '../spec/schema.js';
import type { SpecPath } from '../spec/diagnostics.js';
import { propagateStage } from '../stages/registry.js';
import type { PropagateContext } from '../stages/stageModule.js';
import { ruleNames } from '../stages/validate/validate.js';
import type { Rule } from '../stages/validate/rules.js';
import { findColumn, type DataType, type Schema } from '../types/dataType.js';
import { printExpression } from '../expr/print.js';
import { emitSpark, SparkUnsupported } from '../expr/emit/spark.js';
import { emitPython, pythonRegexProblem, PythonUnsupported } from '../expr/emit/python.js';
import { refusal, regexRuleConstruct, type ExportRefusal } from './refusal.js';
import { portablePattern, rewriteExpression } from './rewrites.js';
import { regexProblem } from '../expr/regexDialect.js';
import type { ExportTarget } from './targets.js';

/**
 * Every refusal a target's expressions and regex rules cause, found in one pass over the whole
 * spec. A target's compiler stops a stage at its first refused construct, so without this an
 * analyst fixing one would meet the next on the next export. Each refusal carries a rewrite that
 * keeps the meaning, where one exists and the target accepts it.
 */
interface ExpressionSite {
  readonly stage: string;
  readonly text: string;
  readonly columns: Schema;
}

/** Each expression of each stage, with the columns it is checked against, as the spec's analysis walks them. */
export function expressionSites(spec: PipelineSpec): ExpressionSite[] {
  const analysis = analyzeSpec(spec);
  const sites: ExpressionSite[] = [];
  spec.stages.forEach((stage, index) => {
    const ctx: PropagateContext = {
      spec,
      path: ['stages', index],
      params: analysis.paramTypes,
      schemaOf: (name) => analysis.schemas.get(name),
      source: (name) => spec.sources[name],
      error: () => undefined,
      warning: () => undefined,
      column: (_at: SpecPath, name: string, columns: Schema) => findColumn(columns, name)?.type,
      expression: (_at, text, columns) => {
        const checked = checkExpression(text, columns, analysis.paramTypes);
        if (checked.expr && !checked.errors.length) sites.push({ stage: stage.name, text, columns });
        return checked.expr ? { expr: checked.expr, ...(checked.type ? { type: checked.type } : {}) } : {};
      },
    };
    propagateStage(stage, ctx);
  });
  return sites;
}

type ScannedTarget = 'spark' | 'beam';

/** Why the target cannot emit this expression, or undefined when it can. */
function unsupported(target: ScannedTarget, text: string, columns: Schema, params: Readonly<Record<string, DataType>>): string | undefined {
  const checked = checkExpression(text, columns, params);
  if (!checked.expr || checked.errors.length) return 'it does not type-check';
  const opts = checked.types ? { types: checked.types } : {};
  try {
    if (target === 'spark') emitSpark(checked.expr, opts);
    else emitPython(checked.expr, opts);
    return undefined;
  } catch (e) {
    if (e instanceof SparkUnsupported || e instanceof PythonUnsupported) return e.message;
    throw e;
  }
}

/** The rewritten expression, if it differs, type-checks and the target emits it. */
function rewriteFor(target: ScannedTarget, site: ExpressionSite, params: Readonly<Record<string, DataType>>): string | undefined {
  const checked = checkExpression(site.text, site.columns, params);
  if (!checked.expr || !checked.types) return undefined;
  const notes = new Set<string>();
  const text = printExpression(rewriteExpression(checked.expr, checked.types, notes));
  if (text === printExpression(checked.expr)) return undefined;
  if (unsupported(target, text, site.columns, params) !== undefined) return undefined;
  return notes.size ? `${text} (${[...notes].join('; ')})` : text;
}

// the same words the target's own compiler uses, so the two lists merge without duplicates
const BEAM_REGEX_DETAIL = "Python's re module reads it differently from RE2 (DuckDB)";

function expressionRefusals(spec: PipelineSpec, target: ScannedTarget): ExportRefusal[] {
  const params = analyzeSpec(spec).paramTypes;
  return expressionSites(spec).flatMap((site) => {
    const why = unsupported(target, site.text, site.columns, params);
    if (why === undefined) return [];
    const r = refusal(target, site.stage, `expression '${site.text}': ${why}`, target === 'beam' ? BEAM_REGEX_DETAIL : undefined);
    const rewrite = rewriteFor(target, site, params);
    return [rewrite ? { ...r, suggestion: rewrite } : r];
  });
}

/** How each scanned target's compiler words a regex rule it cannot translate, so the two lists merge without duplicates. */
const RULE_REGEX: Record<ScannedTarget, { problem: (pattern: string) => string | undefined; detail: string }> = {
  beam: { problem: pythonRegexProblem, detail: "Python's re module reads it differently from RE2" },
  spark: { problem: (pattern) => regexProblem(pattern, 'java'), detail: "Java's regex engine reads it differently from RE2" },
};

/** Regex rules whose pattern the target cannot translate exactly (regexDialect.ts), with a portable rewrite where one exists. */
function regexRuleRefusals(spec: PipelineSpec, target: ScannedTarget): ExportRefusal[] {
  const { problem, detail } = RULE_REGEX[target];
  return spec.stages.flatMap((stage) => {
    if (stage.kind !== 'validate') return [];
    const rules = stage.rules as Rule[];
    const names = ruleNames(rules);
    return rules.flatMap((rule, i) => {
      if (rule.rule !== 'regex') return [];
      const why = problem(rule.pattern);
      if (!why) return [];
      const r = refusal(target, stage.name, regexRuleConstruct(names[i]!, why), detail);
      const notes = new Set<string>();
      const portable = portablePattern(rule.pattern, notes);
      if (!portable || problem(portable)) return [r];
      return [{ ...r, suggestion: `pattern: '${portable}'${notes.size ? ` (${[...notes].join('; ')})` : ''}` }];
    });
  });
}

/** Every refusal of this kind the target will meet, in stage order; [] for targets with none of these constructs. */
export function scanRefusals(spec: PipelineSpec, target: ExportTarget): ExportRefusal[] {
  if (target === 'spark' || target === 'beam') return [...expressionRefusals(spec, target), ...regexRuleRefusals(spec, target)];
  return [];
}

/**
 * Refusals of single cleanse steps (a format code, an on_error the target cannot honour) that a
 * compiler meets only one per stage: each step is compiled in a copy of its stage holding the
 * steps before it that compiled, so every refused step is found in one export. `compile` is the
 * target's own compiler (its refusals); a copy that does not compile at all (a later step reads a
 * column a refused step makes) is skipped.
 */
export function stepRefusals(spec: PipelineSpec, compile: (spec: PipelineSpec) => readonly ExportRefusal[]): ExportRefusal[] {
  return spec.stages.flatMap((stage, index) => {
    if (stage.kind !== 'cleanse' || stage.steps.length < 2) return [];
    const kept: (typeof stage.steps)[number][] = [];
    const found: ExportRefusal[] = [];
    for (const step of stage.steps) {
      // later stages are left out: they may read what a refused step would have made
      const trial: PipelineSpec = { ...spec, stages: [...spec.stages.slice(0, index), { ...stage, steps: [...kept, step] }] };
      let refused: readonly ExportRefusal[];
      try {
        refused = compile(trial).filter((r) => r.stage === stage.name);
      } catch {
        continue;
      }
      if (refused.length) found.push(...refused);
      else kept.push(step);
    }
    return found;
  });
}
