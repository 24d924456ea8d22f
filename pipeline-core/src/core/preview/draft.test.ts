import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../spec/load.js';
import { applyCommands, updateStep, updateStage, type SpecInput } from '../spec/commands.js';
import { checkDraft, downstreamOf } from './draft.js';

const text = readFileSync(new URL('../../../../samples/nightly-reconciliation/pipeline.yaml', import.meta.url), 'utf8');
const input = loadSpec(text).input as SpecInput;

describe('checkDraft', () => {
  it('runs a valid spec whole', () => {
    const d = checkDraft(input);
    expect(d.failed.size).toBe(0);
    expect(d.blocked.size).toBe(0);
    expect(d.runnable?.stages.map((s) => s.name)).toEqual(input.stages.map((s) => s.name));
  });

  it('a broken expression in one cell fails that cell and blocks what reads it, the rest still runs', () => {
    // paid_orders' filter is cut off mid-expression
    const broken = applyCommands(input, [updateStep('paid_orders', 0, { step: 'filter', expr: "status = 1 +" })]);
    const d = checkDraft(broken);
    expect([...d.failed]).toEqual(['paid_orders']);
    // everything that reads paid_orders, directly or through a rule
    expect([...d.blocked].sort()).toEqual(['merchant_day', 'merchant_daily', 'order_settlement', 'reconciled_orders', 'reconciliation'].sort());
    expect(d.runnable?.stages.map((s) => s.name)).toContain('clean_orders');
    expect(d.runnable?.stages.map((s) => s.name)).not.toContain('paid_orders');
    const err = d.diagnostics.find((x) => x.severity === 'error');
    expect(err?.path).toEqual(['stages', input.stages.findIndex((s) => s.name === 'paid_orders'), 'steps', 0, 'expr']);
  });

  it('a shape error (an empty required field) is located and fails only its cell', () => {
    const broken = applyCommands(input, [updateStage('refunds_out', { path: '' } as never)]);
    const d = checkDraft(broken);
    expect([...d.failed]).toEqual(['refunds_out']);
    expect(d.diagnostics.some((x) => x.path.join('.') === `stages.${input.stages.findIndex((s) => s.name === 'refunds_out')}.path`)).toBe(true);
    expect(d.runnable?.stages).toHaveLength(input.stages.length - 1);
  });
});

describe('downstreamOf', () => {
  it('includes readers through rules', () => {
    const spec = loadSpec(text).spec!;
    expect([...downstreamOf(spec, ['clean_settlements'])].sort()).toEqual(
      ['clean_settlements', 'checked_settlements', 'reconciliation', 'order_settlement', 'merchant_day', 'reconciled_orders', 'merchant_daily'].sort(),
    );
  });
});

describe('a match stage in the draft', () => {
  const matching = loadSpec(readFileSync(new URL('../../../../samples/settlement-matching/pipeline.yaml', import.meta.url), 'utf8'));
  it('runs the stages that read its outputs (settle.matched, …) and counts them downstream of it', () => {
    const d = checkDraft(matching.input as SpecInput);
    expect(d.blocked.size).toBe(0);
    expect(d.runnable?.stages.map((s) => s.name)).toContain('matched_out');
    expect([...downstreamOf(matching.spec!, ['settle'])].sort()).toEqual(['matched_out', 'mismatched_out', 'open_orders_out', 'open_settlements_out', 'settle']);
  });
});
