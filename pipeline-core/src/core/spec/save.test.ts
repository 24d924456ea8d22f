import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadSpec } from './load.js';
import { saveSpec } from './save.js';
import { addStage, addStep, applyCommands, moveRule, moveStage, removeStep, renameSource, renameStage, setCost, toggleStep, updateStep, type SpecInput } from './commands.js';

const TEXT = `# Orders pipeline — owned by finance
version: 1
name: orders
sources:
  pos: # the till export
    format: csv
    path: pos/{run_date}.csv
    schema:
      - { name: order_id, type: string }
      - { name: amount, type: string }
stages:
  # read the tills
  - name: raw
    kind: ingest
    source: pos
  # make it tidy
  - name: tidy
    kind: cleanse
    input: raw
    steps:
      - { step: trim, columns: [order_id] } # ids have stray spaces
      - { step: parse_number, column: amount, type: "decimal(12,2)" }
  - name: out
    kind: output
    input: tidy
    format: parquet
    path: orders
`;

const input = () => loadSpec(TEXT).input as SpecInput;

describe('saveSpec with commands', () => {
  it('writes back an unchanged spec byte for byte', () => {
    expect(saveSpec(TEXT, input())).toBe(TEXT);
  });

  it('keeps comments and key order when a step changes', () => {
    const next = applyCommands(input(), [updateStep('tidy', 1, { step: 'parse_number', column: 'amount', type: 'decimal(12,2)', decimal: ',' })]);
    const out = saveSpec(TEXT, next);
    expect(out).toContain('# Orders pipeline — owned by finance');
    expect(out).toContain('# the till export'); // yaml moves a comment after a map key onto its own line
    expect(out).toContain('# ids have stray spaces');
    expect(out).toContain('# make it tidy');
    expect(out.indexOf('version: 1')).toBeLessThan(out.indexOf('name: orders'));
    expect(parse(out).stages[1].steps[1]).toEqual({ step: 'parse_number', column: 'amount', type: 'decimal(12,2)', decimal: ',' });
    expect(out).toContain('      - { step: parse_number, column: amount, type: "decimal(12,2)", decimal: "," }');
    expect(out).toContain('      - { step: trim, columns: [order_id] } # ids have stray spaces');
  });

  it('moves a stage together with its comment', () => {
    const next = applyCommands(input(), [addStage({ name: 'extra', kind: 'cleanse', input: 'raw', steps: [] }, 1), moveStage('tidy', 1)]);
    const out = saveSpec(TEXT, next);
    expect(parse(out).stages.map((s: { name: string }) => s.name)).toEqual(['raw', 'tidy', 'extra', 'out']);
    expect(out.indexOf('# make it tidy')).toBeLessThan(out.indexOf('name: tidy'));
    expect(out.indexOf('# make it tidy')).toBeGreaterThan(out.indexOf('name: raw'));
  });

  it('renames a stage and every reference to it, keeping its comment', () => {
    const out = saveSpec(TEXT, applyCommands(input(), [renameStage('tidy', 'clean')]));
    const doc = parse(out);
    expect(doc.stages[1].name).toBe('clean');
    expect(doc.stages[2].input).toBe('clean');
    expect(out).toContain('# make it tidy\n  - name: clean');
    expect(loadSpec(out).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('toggles, adds and removes steps', () => {
    let s = applyCommands(input(), [toggleStep('tidy', 0)]);
    expect((s.stages[1] as { steps: { enabled?: boolean }[] }).steps[0]!.enabled).toBe(false);
    s = applyCommands(s, [toggleStep('tidy', 0), addStep('tidy', { step: 'dedupe', keys: ['order_id'] }), removeStep('tidy', 1)]);
    expect((s.stages[1] as { steps: { step: string; enabled?: boolean }[] }).steps.map((x) => [x.step, x.enabled])).toEqual([
      ['trim', undefined],
      ['dedupe', undefined],
    ]);
    expect(() => applyCommands(s, [removeStep('tidy', 5)])).toThrow('no step at position 6');
    expect(() => applyCommands(s, [addStep('raw', { step: 'trim', columns: ['x'] })])).toThrow("stage 'raw' is a ingest stage, not cleanse");
  });

  it('returns the same object when a command changes nothing', () => {
    const s = input();
    expect(moveStage('tidy', 1).apply(s)).toBe(s);
  });
});

describe('source, rule and cost commands', () => {
  const SPEC = `version: 1
name: t
sources:
  a: { format: csv, path: a.csv, schema: [{ name: x, type: string }] }
  b: { format: csv, path: b.csv, schema: [{ name: x, type: string }] }
stages:
  - { name: ra, kind: ingest, source: a }
  - { name: rb, kind: ingest, source: b }
  - { name: v, kind: validate, input: ra, rules: [{ rule: not_null, columns: [x] }, { rule: unique, columns: [x] }] }
`;
  it('renames a source in place and the ingest reading it', () => {
    const out = applyCommands(loadSpec(SPEC).input as SpecInput, [renameSource('a', 'orders')]);
    expect(Object.keys(out.sources)).toEqual(['orders', 'b']);
    expect(out.stages.map((s) => (s.kind === 'ingest' ? s.source : null))).toEqual(['orders', 'b', null]);
    expect(() => applyCommands(out, [renameSource('orders', 'b')])).toThrow("a source named 'b' already exists");
  });

  it('moves a rule and sets / clears the cost scenario', () => {
    const out = applyCommands(loadSpec(SPEC).input as SpecInput, [moveRule('v', 1, 0), setCost({ peak: { multiplier: 3 } } as never)]);
    expect((out.stages[2] as { rules: { rule: string }[] }).rules.map((r) => r.rule)).toEqual(['unique', 'not_null']);
    expect(out.cost).toEqual({ peak: { multiplier: 3 } });
    expect('cost' in applyCommands(out, [setCost(undefined)])).toBe(false);
  });
});
