import type { StageOf } from '../../spec/schema.js';
import { q, type SparkContext, type SparkStage } from '../../export/spark/sparkTypes.js';
import { sparkSetStats } from '../../export/spark/sparkViews.js';
import { joinKeyPair, joinOutput } from './join.js';

export function compileJoinSpark(stage: StageOf<'join'>, ctx: SparkContext): SparkStage {
  const keys = stage.on.map(joinKeyPair);
  const cond = keys.map((k) => `l.${q(k.left)} = r.${q(k.right)}`).join(' AND ');
  const lineage = ctx.hasLineage(stage.left) && stage.type !== 'full';
  let sql: string;
  if (stage.type === 'anti') {
    sql = `SELECT l.* FROM ${q(stage.left)} l LEFT ANTI JOIN ${q(stage.right)} r ON ${cond}`;
  } else {
    const sameName = new Set(keys.filter((k) => k.left === k.right).map((k) => k.left));
    const cols = joinOutput(stage, ctx.schemaOf(stage.left), ctx.schemaOf(stage.right)).columns.map(({ column, side, from }) => {
      const value = stage.type === 'full' && side === 'l' && sameName.has(from) ? `coalesce(l.${q(from)}, r.${q(from)})` : `${side}.${q(from)}`;
      return `${value} AS ${q(column.name)}`;
    });
    const how = { inner: 'INNER', left: 'LEFT', full: 'FULL' }[stage.type];
    sql = `SELECT ${cols.join(', ')}${lineage ? ', l._bb_src, l._bb_file, l._bb_row' : ''} FROM ${q(stage.left)} l ${how} JOIN ${q(stage.right)} r ON ${cond}`;
  }
  return {
    views: [{ name: stage.name, sql }],
    stats: sparkSetStats([stage.left, stage.right], stage.name),
    lineage: stage.type === 'anti' ? ctx.hasLineage(stage.left) : lineage,
  };
}
