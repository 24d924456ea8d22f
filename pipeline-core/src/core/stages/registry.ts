import type { Stage, StageKind } from '../spec/schema.js';
import type { Engine, EngineContext, EngineOutput, PropagateContext, PropagateResult, StageModule } from './stageModule.js';
import { ingestStage } from './ingest/ingest.js';
import { cleanseStage } from './cleanse/cleanse.js';
import { joinStage } from './join/join.js';
import { aggregateStage } from './aggregate/aggregate.js';
import { unionStage } from './union/union.js';
import { sqlStage } from './sql/sql.js';
import { validateStage } from './validate/validate.js';
import { outputStage } from './output/output.js';
import { matchStage } from './match/match.js';
import { MATCH_OUTPUTS } from './match/matchSchema.js';

/** Every stage kind and its module; the mapped type makes a missing kind a compile error. */
export const STAGE_MODULES: { readonly [K in StageKind]: StageModule<K> } = {
  ingest: ingestStage,
  cleanse: cleanseStage,
  join: joinStage,
  aggregate: aggregateStage,
  union: unionStage,
  sql: sqlStage,
  validate: validateStage,
  output: outputStage,
  match: matchStage,
};

export const STAGE_KINDS = Object.keys(STAGE_MODULES) as StageKind[];

// A stage's kind picks its module; TypeScript cannot follow that correlation through a union,
// so these three helpers hold the one cast.
type AnyModule = {
  inputs(stage: Stage): readonly string[];
  propagate(stage: Stage, ctx: PropagateContext): PropagateResult;
  compile: { readonly [E in Engine]: (stage: Stage, ctx: EngineContext[E]) => EngineOutput[E] };
  label: string;
};
function moduleOf(stage: Stage): AnyModule {
  return STAGE_MODULES[stage.kind] as unknown as AnyModule;
}

export function stageInputs(stage: Stage): readonly string[] {
  return moduleOf(stage).inputs(stage);
}

export function propagateStage(stage: Stage, ctx: PropagateContext): PropagateResult {
  return moduleOf(stage).propagate(stage, ctx);
}

export function compileStage<E extends Engine>(engine: E, stage: Stage, ctx: EngineContext[E]): EngineOutput[E] {
  return moduleOf(stage).compile[engine](stage, ctx);
}

/** The stage a reference reads: `m` for `m.matched`, the name itself otherwise. */
export function stageOfRef(ref: string): string {
  return ref.split('.')[0]!;
}

/** The outputs other stages read as `<stage>.<output>` (only a match stage has them). */
export function stageOutputNames(stage: Stage): readonly string[] {
  return stage.kind === 'match' ? MATCH_OUTPUTS : [];
}

export function stageLabel(kind: StageKind): string {
  return STAGE_MODULES[kind].label;
}
