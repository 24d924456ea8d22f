import type { SpecInput, StageInput, StageKind } from '@batchbook/pipeline-core';

const BASE: Record<StageKind, string> = {
  ingest: 'raw',
  cleanse: 'clean',
  join: 'joined',
  aggregate: 'summary',
  union: 'combined',
  sql: 'custom',
  validate: 'checked',
  output: 'out',
  match: 'matched',
};

function unique(input: SpecInput, base: string): string {
  const names = new Set(input.stages.map((s) => s.name));
  if (!names.has(base)) return base;
  for (let n = 2; ; n++) if (!names.has(`${base}_${n}`)) return `${base}_${n}`;
}

/**
 * A new cell of a kind, ready to preview where possible: it reads the cell above it (or the
 * first source) and starts with the smallest valid configuration of its kind.
 */
export function newStage(kind: StageKind, input: SpecInput, index: number): StageInput {
  const above = input.stages[Math.min(index, input.stages.length) - 1]?.name ?? input.stages[0]?.name ?? '';
  const other = input.stages.filter((s) => s.name !== above).at(-1)?.name ?? above;
  const name = unique(input, BASE[kind]);
  switch (kind) {
    case 'ingest':
      return { name, kind, source: Object.keys(input.sources)[0] ?? '' };
    case 'cleanse':
      return { name, kind, input: above, steps: [] };
    case 'join':
      return { name, kind, left: above, right: other, type: 'inner', on: ['id'] };
    case 'aggregate':
      return { name, kind, input: above, group_by: [], measures: [{ name: 'rows', fn: 'count' }] };
    case 'union':
      return { name, kind, inputs: [above, other] };
    case 'sql':
      return { name, kind, inputs: above ? [above] : [], sql: above ? `SELECT * FROM ${above}` : 'SELECT 1 AS one', schema: [{ name: 'one', type: 'integer' }] };
    case 'validate':
      return { name, kind, input: above, rules: [{ rule: 'row_count', min: 1 }] };
    case 'output':
      return { name, kind, input: above, format: 'parquet', path: name };
    case 'match': {
      // the two cells above it that have rows to match (an output cell has none): the items, then what clears them
      const readable = input.stages.slice(0, Math.min(index, input.stages.length)).filter((s) => s.kind !== 'output').map((s) => s.name);
      const right = readable.at(-1) ?? above;
      return { name, kind, left: readable.at(-2) ?? right, right, keys: ['id'], cardinality: 'one_to_one' };
    }
  }
}
