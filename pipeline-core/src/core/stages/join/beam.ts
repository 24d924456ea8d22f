import type { StageOf } from '../../spec/schema.js';
import { py, pyCall, pyList, pythonVariable, type BeamContext, type BeamStage } from '../../export/beam/beamTypes.js';
import { joinKeyPair, joinOutput } from './join.js';

/**
 * A CoGroupByKey on the key values (NULL keys never match, as in SQL); the output columns are
 * the runner's (joinOutput), a full join's same-name keys taken from whichever side has them.
 */
export function compileJoinBeam(stage: StageOf<'join'>, ctx: BeamContext): BeamStage {
  const keys = stage.on.map(joinKeyPair);
  const sameName = new Set(keys.filter((k) => k.left === k.right).map((k) => k.left));
  const left = ctx.schemaOf(stage.left);
  const columns = stage.type === 'anti' ? left.map((c) => ({ column: c, side: 'l' as const, from: c.name })) : joinOutput(stage, left, ctx.schemaOf(stage.right)).columns;
  const spec = columns.map(({ column, side, from }) => [column.name, side, from, stage.type === 'full' && side === 'l' && sameName.has(from) ? from : null]);
  const lineage = stage.type === 'anti' ? ctx.hasLineage(stage.left) : ctx.hasLineage(stage.left) && stage.type !== 'full';
  const args = [
    py(stage.name),
    ctx.ref(stage.left),
    ctx.ref(stage.right),
    py(stage.type),
    `keys=[${keys.map((k) => `(${py(k.left)}, ${py(k.right)})`).join(', ')}]`,
    `columns=${pyList(spec.map((c) => `(${c.map(py).join(', ')})`), '    ')}`,
    `lineage=${py(lineage)}`,
    `out_columns=${pyList(columns.map((c) => py(c.column.name)), '    ')}`,
  ];
  return {
    code: `${pythonVariable(stage.name)} = ${pyCall('run.join', args)}`,
    lineage,
    streaming: 'needs a window: only rows of the same window meet (both inputs windowed alike); a late row misses its partner',
  };
}
