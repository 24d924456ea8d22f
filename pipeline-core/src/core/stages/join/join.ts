import type { Column, Schema } from '../../types/dataType.js';
import { isNumeric } from '../../types/dataType.js';
import { quoteIdent } from '../../compile/sql.js';
import type { JoinKey, StageOf } from '../../spec/schema.js';
import { createAll, inputRows, plainView, stageStats, statsQuery } from '../stageTables.js';
import type { CompiledStage, DuckdbContext, PropagateContext, PropagateResult, StageModule } from '../stageModule.js';
import { compileJoinSpark } from './spark.js';
import { compileJoinBeam } from './beam.js';

type Join = StageOf<'join'>;

export function joinKeyPair(key: JoinKey): { left: string; right: string } {
  return typeof key === 'string' ? { left: key, right: key } : key;
}

/**
 * Output columns: every left column, then the right columns — all of them, or those listed in
 * `right_columns`, in that order — except right keys that share the left key's name (they would
 * only repeat it) unless listed. `right_prefix` goes on a right column whose name the left side
 * has, or on every right column with `right_prefix_mode: all`.
 */
export function joinOutput(stage: Join, left: Schema, right: Schema): { columns: { column: Column; side: 'l' | 'r'; from: string }[]; clashes: string[] } {
  const columns: { column: Column; side: 'l' | 'r'; from: string }[] = left.map((c) => ({ column: c, side: 'l', from: c.name }));
  if (stage.type === 'anti') return { columns, clashes: [] };
  const sameNameKeys = new Set(stage.on.map(joinKeyPair).filter((k) => k.left === k.right).map((k) => k.right));
  const chosen = stage.right_columns ? [...new Set(stage.right_columns)].flatMap((n) => right.filter((c) => c.name === n)) : right.filter((c) => !sameNameKeys.has(c.name));
  const prefix = stage.right_prefix ?? '';
  const clashes: string[] = [];
  for (const c of chosen) {
    const name = stage.right_prefix_mode === 'all' || left.some((l) => l.name === c.name) ? `${prefix}${c.name}` : c.name;
    if (columns.some((o) => o.column.name === name)) clashes.push(c.name);
    columns.push({ column: { name, type: c.type }, side: 'r', from: c.name });
  }
  return { columns, clashes };
}

function propagate(stage: Join, ctx: PropagateContext): PropagateResult {
  const left = ctx.schemaOf(stage.left, [...ctx.path, 'left']);
  const right = ctx.schemaOf(stage.right, [...ctx.path, 'right']);
  if (!left || !right) return { schema: left ?? [] };
  stage.on.forEach((key, i) => {
    const { left: l, right: r } = joinKeyPair(key);
    const at = [...ctx.path, 'on', i];
    const lt = ctx.column(typeof key === 'string' ? at : [...at, 'left'], l, left);
    const rt = ctx.column(typeof key === 'string' ? at : [...at, 'right'], r, right);
    if (lt && rt && lt !== rt && !(isNumeric(lt) && isNumeric(rt))) ctx.error(at, `cannot join ${lt} '${l}' with ${rt} '${r}'`, 'cast one side in a cleanse step first');
  });
  checkRightColumns(stage, right, ctx);
  const { columns, clashes } = joinOutput(stage, left, right);
  for (const name of clashes) {
    ctx.error([...ctx.path, 'right'], `both sides have a column '${name}'`, stage.right_prefix ? `the prefix '${stage.right_prefix}' still clashes; choose another` : "set right_prefix (e.g. 'r_') or rename one side");
  }
  return { schema: columns.map((c) => c.column) };
}

function checkRightColumns(stage: Join, right: Schema, ctx: PropagateContext): void {
  const at = [...ctx.path, 'right_columns'];
  if (stage.type === 'anti' && stage.right_columns) ctx.error(at, 'an anti join keeps only the left columns', 'remove right_columns');
  stage.right_columns?.forEach((n, i) => {
    ctx.column([...at, i], n, right);
    if (stage.right_columns?.indexOf(n) !== i) ctx.error([...at, i], `'${n}' is listed twice`);
  });
  if (stage.right_prefix_mode === 'all' && !stage.right_prefix) ctx.error([...ctx.path, 'right_prefix_mode'], "right_prefix_mode: all needs a right_prefix", "set right_prefix, e.g. 'r_'");
}

function compileDuckdb(stage: Join, ctx: DuckdbContext): CompiledStage {
  const left = ctx.schemaOf(stage.left);
  const right = ctx.schemaOf(stage.right);
  const keys = stage.on.map(joinKeyPair);
  const cond = keys.map((k) => `l.${quoteIdent(k.left)} = r.${quoteIdent(k.right)}`).join(' AND ');
  const lineage = ctx.hasLineage(stage.left) && stage.type !== 'full' && ctx.needsLineage(stage.name);
  const out = ctx.table(stage.name);
  const meta = lineage ? ', l._bb_src, l._bb_file, l._bb_row' : '';
  let select: string;
  if (stage.type === 'anti') {
    const leftCols = left.map((c) => `l.${quoteIdent(c.name)}`).join(', ');
    select = `SELECT ${leftCols}${meta} FROM ${ctx.table(stage.left)} l WHERE NOT EXISTS (SELECT 1 FROM ${ctx.table(stage.right)} r WHERE ${cond})`;
  } else {
    const sameName = new Set(keys.filter((k) => k.left === k.right).map((k) => k.left));
    const cols = joinOutput(stage, left, right).columns.map(({ column, side, from }) => {
      const ref = `${side}.${quoteIdent(from)}`;
      const value = stage.type === 'full' && side === 'l' && sameName.has(from) ? `coalesce(l.${quoteIdent(from)}, r.${quoteIdent(from)})` : ref;
      return `${value} AS ${quoteIdent(column.name)}`;
    });
    const how = { inner: 'INNER', left: 'LEFT', full: 'FULL' }[stage.type];
    select = `SELECT ${cols.join(', ')}${meta} FROM ${ctx.table(stage.left)} l ${how} JOIN ${ctx.table(stage.right)} r ON ${cond}`;
  }
  const countedBy = ctx.countedBy(stage.name);
  return {
    statements: [
      createAll(stage.name, ctx.materialize(stage.name), select),
      plainView(stage.name),
      // fused into the aggregate that reads it, the join is counted there (no pass of its own)
      ...(countedBy ? [] : [stageStats(stage.name, joinStats(stage, `(SELECT count(*) FROM ${out})`))]),
    ],
    stats: statsQuery(stage.name),
    ...(countedBy ? { statsAfter: countedBy } : {}),
    lineage,
    hasRejects: false,
  };
}

/** A join's counts: rows in from its inputs' counts, rows out as given. */
export function joinStats(stage: Join, rowsOut: string): string {
  return `SELECT ${inputRows([stage.left, stage.right])} AS rows_in, CAST(${rowsOut} AS BIGINT) AS rows_out, CAST(0 AS BIGINT) AS rejected, CAST(0 AS BIGINT) AS filtered`;
}

export const joinStage: StageModule<'join'> = {
  kind: 'join',
  label: 'Join',
  inputs: (stage) => [stage.left, stage.right],
  propagate,
  compile: { duckdb: compileDuckdb, spark: compileJoinSpark, beam: compileJoinBeam },
};
