import type { SpecInput, StageInput } from '@batchbook/pipeline-core';

/**
 * The pipeline as a graph, laid out in layers from sources (top) to outputs (bottom), which fits
 * a side panel: a node's layer is one more than its deepest input's, and within a layer nodes
 * are ordered by their inputs' positions (one barycentre pass), keeping most edges uncrossed.
 */
export interface DagNode {
  readonly id: string;
  readonly label: string;
  readonly kind: StageInput['kind'] | 'source';
  readonly x: number;
  readonly y: number;
}

export interface DagEdge {
  readonly from: string;
  readonly to: string;
  /** 'rule': the stage reads it in a validation rule, not as its data input. */
  readonly via: 'input' | 'rule';
}

export interface DagLayout {
  readonly nodes: readonly DagNode[];
  readonly edges: readonly DagEdge[];
  readonly width: number;
  readonly height: number;
}

/** Wide enough for a 21-character name (longer ones are cut, with the full name in the tooltip). */
export const NODE_W = 172;
export const NODE_H = 28;
const GAP_X = 10;
const GAP_Y = 30;
const PER_ROW = 2;

function dataInputs(s: StageInput): string[] {
  switch (s.kind) {
    case 'ingest':
      return [`source:${s.source}`];
    case 'join':
    case 'match':
      return [s.left, s.right].map((ref) => ref.split('.')[0]!);
    case 'union':
    case 'sql':
      return [...s.inputs];
    default:
      return [s.input];
  }
}

function ruleInputs(s: StageInput): string[] {
  if (s.kind !== 'validate') return [];
  return s.rules.flatMap((r) => {
    if (r.rule === 'relationship') return [r.to];
    if (r.rule === 'conservation' && r.stage) return [r.stage];
    if (r.rule === 'reconcile') return [r.left.stage, r.right.stage].filter((x): x is string => !!x);
    return [];
  });
}

export function layoutDag(spec: SpecInput): DagLayout {
  const ids = [...Object.keys(spec.sources).map((s) => `source:${s}`), ...spec.stages.map((s) => s.name)];
  const known = new Set(ids);
  const edges: DagEdge[] = [];
  for (const s of spec.stages) {
    for (const i of dataInputs(s)) if (known.has(i)) edges.push({ from: i, to: s.name, via: 'input' });
    for (const i of ruleInputs(s)) if (known.has(i) && !dataInputs(s).includes(i)) edges.push({ from: i, to: s.name, via: 'rule' });
  }
  const layer = new Map<string, number>();
  for (const id of ids) if (id.startsWith('source:')) layer.set(id, 0);
  for (const s of spec.stages) {
    const deps = [...dataInputs(s), ...ruleInputs(s)].map((d) => layer.get(d)).filter((l): l is number => l !== undefined);
    layer.set(s.name, deps.length ? Math.max(...deps) + 1 : 1);
  }
  const layers: string[][] = [];
  for (const id of ids) (layers[layer.get(id)!] ??= []).push(id);
  const rank = new Map<string, number>();
  layers.forEach((nodes, l) => {
    if (l > 0) {
      const bary = (id: string) => {
        const parents = edges.filter((e) => e.to === id).map((e) => rank.get(e.from) ?? 0);
        return parents.length ? parents.reduce((a, b) => a + b, 0) / parents.length : Infinity;
      };
      nodes.sort((a, b) => bary(a) - bary(b));
    }
    nodes.forEach((id, r) => rank.set(id, r));
  });
  // a layer wider than the panel wraps onto further rows
  const rowOf = new Map<string, number>();
  let row = 0;
  layers.forEach((ids) => {
    ids.forEach((id) => rowOf.set(id, row + Math.floor(rank.get(id)! / PER_ROW)));
    row += Math.max(1, Math.ceil(ids.length / PER_ROW));
  });
  const nodes: DagNode[] = ids.map((id) => {
    const stage = spec.stages.find((s) => s.name === id);
    return {
      id,
      label: stage ? stage.name : id.slice('source:'.length),
      kind: stage ? stage.kind : 'source',
      x: (rank.get(id)! % PER_ROW) * (NODE_W + GAP_X),
      y: rowOf.get(id)! * (NODE_H + GAP_Y),
    };
  });
  const width = Math.max(NODE_W, ...nodes.map((n) => n.x + NODE_W));
  const height = Math.max(NODE_H, ...nodes.map((n) => n.y + NODE_H));
  return { nodes, edges, width, height };
}
