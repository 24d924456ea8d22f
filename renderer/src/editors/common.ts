import { updateStage, type StageInput } from '@batchbook/pipeline-core';
import { useDoc } from '../store/docStore';

export type Of<K extends StageInput['kind']> = Extract<StageInput, { kind: K }>;

/** Names of the cells above this one: what it may read. */
export function useEarlierStages(index: number): string[] {
  const stages = useDoc((s) => s.input?.stages);
  return (stages ?? []).slice(0, index).map((s) => s.name);
}

/** Patches a cell's fields (one undo step per burst of typing into one field). */
export function usePatch<K extends StageInput['kind']>(stage: Of<K>): (patch: Partial<Of<K>>, field?: string) => void {
  const dispatch = useDoc((s) => s.dispatch);
  return (patch, field) => {
    dispatch(updateStage(stage.name, patch as Partial<StageInput>), field ? `${stage.name}.${field}` : undefined);
  };
}
