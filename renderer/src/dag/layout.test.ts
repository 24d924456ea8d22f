import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSpec, type SpecInput } from '@batchbook/pipeline-core';
import { layoutDag, NODE_W } from './layout';

const spec = loadSpec(readFileSync(new URL('../../../samples/nightly-reconciliation/pipeline.yaml', import.meta.url), 'utf8')).input as SpecInput;

describe('layoutDag', () => {
  const dag = layoutDag(spec);
  const node = (id: string) => dag.nodes.find((n) => n.id === id)!;
  it('has a node per source and stage, and an edge per input', () => {
    expect(dag.nodes).toHaveLength(3 + spec.stages.length);
    expect(dag.edges).toContainEqual({ from: 'source:pos_orders', to: 'raw_orders', via: 'input' });
    expect(dag.edges).toContainEqual({ from: 'paid_orders', to: 'order_settlement', via: 'input' });
    // reconciliation reads paid_orders only in its reconcile rule
    expect(dag.edges).toContainEqual({ from: 'paid_orders', to: 'reconciliation', via: 'rule' });
  });
  it('puts every node below all its inputs', () => {
    for (const e of dag.edges) expect(node(e.from).y).toBeLessThan(node(e.to).y);
    const sources = dag.nodes.filter((n) => n.kind === 'source');
    const stages = dag.nodes.filter((n) => n.kind !== 'source');
    expect(Math.max(...sources.map((n) => n.y))).toBeLessThan(Math.min(...stages.map((n) => n.y)));
  });
  it('fits the side panel (384 px less its padding) with nodes wide enough for the sample’s names', () => {
    expect(dag.width).toBeLessThanOrEqual(384 - 2 * 12);
    // 11 px monospace is about 6.6 px a character, after the 26 px icon
    const longest = Math.max(...dag.nodes.map((n) => n.label.length));
    expect(26 + longest * 6.6).toBeLessThanOrEqual(NODE_W);
  });
  it('never stacks two nodes on one spot', () => {
    const spots = new Set(dag.nodes.map((n) => `${n.x},${n.y}`));
    expect(spots.size).toBe(dag.nodes.length);
    expect(dag.width).toBeGreaterThanOrEqual(NODE_W);
  });
});
