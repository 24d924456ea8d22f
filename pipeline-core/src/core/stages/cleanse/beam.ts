import type { StageOf } from '../../spec/schema.js';
import type { Schema } from '../../types/dataType.js';
import { RefusalError } from '../../export/refusal.js';
import { py, pyKwargs, pyTyped, pythonVariable, type BeamContext, type BeamStage } from '../../export/beam/beamTypes.js';
import type { CleanseStep, StepKind } from './steps.js';

type StepOf<K extends StepKind> = Extract<CleanseStep, { step: K }>;
/** A step as a constructor call of bb_runtime (Trim, Cast, Dedupe…); see steps in bb_runtime.py. */
type BeamStep<K extends StepKind> = (step: StepOf<K>, input: Schema, ctx: BeamContext) => string;

/** strptime codes that DuckDB's strptime and Python's read the same way. */
const STRPTIME_CODES = new Set(['Y', 'y', 'm', 'd', 'H', 'M', 'S', 'f', 'j', 'b', 'B', 'p', 'I', 'z', 'a', 'A', 'w', '%']);

function checkFormats(formats: readonly string[]): void {
  for (const f of formats) {
    for (const m of f.matchAll(/%(.?)/g)) {
      if (!STRPTIME_CODES.has(m[1] ?? '')) {
        throw new RefusalError(`parse_date format code %${m[1] ?? ''}`, "Python's strptime reads it differently from DuckDB's; use %Y %y %m %d %H %M %S %f %j %b %B %p %I %z %a %A %w");
      }
    }
  }
}

const STEPS: { readonly [K in StepKind]: BeamStep<K> } = {
  trim: (step) => `bb.Trim(${py(step.columns)})`,
  case: (step) => `bb.Case(${py(step.columns)}, ${py(step.to)})`,
  cast: (step) => `bb.Cast(${py(step.columns)}, ${py(step.type)}, on_error=${py(step.on_error)})`,
  parse_date: (step) => {
    checkFormats(step.formats);
    return `bb.ParseDate(${py(step.column)}, ${py(step.formats)}, ${pyKwargs({ timezone: step.timezone, type_: step.type, into: step.into, on_error: step.on_error })})`;
  },
  parse_number: (step) =>
    `bb.ParseNumber(${py(step.column)}, ${py(step.type)}, ${pyKwargs({ thousands: step.thousands, decimal: step.decimal, currency: step.currency, into: step.into, on_error: step.on_error })})`,
  dedupe: (step) => `bb.Dedupe(${py(step.keys)}, [${step.order_by.map((o) => `(${py(o.column)}, ${py(o.direction)})`).join(', ')}])`,
  filter: (step, input, ctx) => `bb.Filter(${py(step.expr)}, lambda r: ${ctx.expr(step.expr, input)}, on_false=${py(step.on_false)})`,
  derive: (step, input, ctx) => `bb.Derive(${py(step.column)}, lambda r: ${ctx.expr(step.expr, input)})`,
  rename: (step) => `bb.Rename(${py(step.columns)})`,
  drop: (step) => `bb.Drop(${py(step.columns)})`,
  fill_null: (step, input) =>
    `bb.FillNull({${input
      .filter((c) => step.columns.includes(c.name))
      .map((c) => `${py(c.name)}: ${pyTyped(step.value, c.type)}`)
      .join(', ')}})`,
  standardise: (step) => `bb.Standardise(${py(step.column)}, ${py(step.mapping)}, ${pyKwargs({ ignore_case: step.ignore_case, unmapped: step.unmapped })})`,
};

/**
 * The steps in order, as the DuckDB compiler runs them: each row-level step is a Map over rows
 * (a rejected row keeps flowing with its first reason), a dedupe groups by its keys.
 */
export function compileCleanseBeam(stage: StageOf<'cleanse'>, ctx: BeamContext): BeamStage {
  const schemas = ctx.stepSchemas(stage.name);
  const steps = (stage.steps as CleanseStep[]).filter((s) => s.enabled !== false);
  const calls = steps.map((step, i) => (STEPS[step.step] as BeamStep<typeof step.step>)(step as never, schemas[i]!, ctx));
  const out = schemas[schemas.length - 1]!.map((c) => c.name);
  const dedupe = steps.some((s) => s.step === 'dedupe');
  return {
    code: `${pythonVariable(stage.name)} = run.cleanse(${py(stage.name)}, ${ctx.ref(stage.input)}, [\n${calls.map((c) => `    ${c},`).join('\n')}\n], ${pyKwargs({ columns: out })})`,
    lineage: ctx.hasLineage(stage.input),
    streaming: dedupe
      ? 'needs a window for its dedupe: the first row per key is kept within each window (a duplicate in a later window is not seen); the other steps are per row'
      : 'no window needed: every step is per row',
  };
}
