import type { Schema, StageInput } from '@batchbook/pipeline-core';
import { useDoc } from '../store/docStore';

/** Output schemas of the stages that analyse cleanly (what column pickers offer). */
export function useSchemas(): ReadonlyMap<string, Schema> {
  return useDoc((s) => s.check?.analysis?.schemas) ?? EMPTY;
}

const EMPTY: ReadonlyMap<string, Schema> = new Map();

export function useSchema(stage: string | undefined): Schema | undefined {
  const schemas = useSchemas();
  return stage === undefined ? undefined : schemas.get(stage);
}

/** For each step of a cleanse cell, the columns it sees (disabled steps see what the next enabled one sees). */
export function useStepSchemas(stage: StageInput & { kind: 'cleanse' }): (Schema | undefined)[] {
  const before = useDoc((s) => s.check?.analysis?.stepSchemas.get(stage.name));
  const input = useSchema(stage.input);
  let active = 0;
  return stage.steps.map((step) => {
    const schema = before?.[active] ?? input;
    if (step.enabled !== false) active++;
    return schema;
  });
}
