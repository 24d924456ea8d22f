import { describe, expect, it } from 'vitest';
import { loadSpec } from './load.js';
import type { SpecDiagnostic } from './diagnostics.js';

const GOOD = `version: 1
name: orders
sources:
  pos:
    format: csv
    path: pos/orders_{run_date}.csv
    schema:
      - { name: order_id, type: string }
      - { name: amount, type: string }
stages:
  - name: raw_orders
    kind: ingest
    source: pos
  - name: clean_orders
    kind: cleanse
    input: raw_orders
    steps:
      - { step: parse_number, column: amount, type: "decimal(12,2)" }
  - name: out
    kind: output
    input: clean_orders
    format: parquet
    path: orders
`;

const errors = (diags: readonly SpecDiagnostic[]) => diags.filter((d) => d.severity === 'error');
const at = (d: SpecDiagnostic) => `${d.line}:${d.column}`;

describe('loadSpec', () => {
  it('accepts a valid spec and fills defaults', () => {
    const loaded = loadSpec(GOOD);
    expect(errors(loaded.diagnostics)).toEqual([]);
    const step = loaded.spec?.stages[1];
    expect(step?.kind === 'cleanse' && step.steps[0]).toMatchObject({ step: 'parse_number', thousands: ',', decimal: '.', on_error: 'reject' });
  });

  it('reports every problem at once, each at its line:column', () => {
    const bad = GOOD.replace('format: parquet', 'format: parquett') // line 22: bad enum
      .replace('path: orders\n', 'path: orders\n    partiton_by: [x]\n'); // line 24: unknown key
    const diags = errors(loadSpec(bad).diagnostics);
    const byMessage = Object.fromEntries(diags.map((d) => [d.message, d]));
    expect(Object.keys(byMessage).sort()).toEqual(["'parquett' is not allowed", "unknown key 'partiton_by'"].sort());
    expect(at(byMessage["'parquett' is not allowed"]!)).toBe('22:13');
    expect(byMessage["unknown key 'partiton_by'"]!.hint).toBe("did you mean 'partition_by'?");
    expect(at(byMessage["unknown key 'partiton_by'"]!)).toBe('24:5');
  });

  it('names an unknown stage with a did-you-mean hint at the reference', () => {
    const diags = errors(loadSpec(GOOD.replace('input: raw_orders', 'input: raw_order')).diagnostics);
    expect(diags).toHaveLength(1);
    expect(diags[0]).toMatchObject({ message: "unknown stage 'raw_order'", hint: "did you mean 'raw_orders'?", line: 16, column: 12 });
  });

  it('collects reference, column and expression errors together', () => {
    const spec = GOOD.replace(
      '      - { step: parse_number, column: amount, type: "decimal(12,2)" }',
      ['      - { step: parse_number, column: amont, type: "decimal(12,2)" }', '      - { step: filter, expr: "amount > \'x\' AND nope" }'].join('\n'),
    );
    const diags = errors(loadSpec(spec).diagnostics);
    const messages = diags.map((d) => d.message);
    expect(messages).toContain("unknown column 'amont'");
    expect(diags.find((d) => d.message === "unknown column 'amont'")?.hint).toBe("did you mean 'amount'?");
    // the expression error points inside the string: the filter is line 19, where
    // '      - { step: filter, expr: ' is 30 characters, so the quote is column 31, offset 0 of
    // the expression column 32, and 'nope' (offset 17) column 49.
    const nope = diags.find((d) => d.message.includes('nope'));
    expect(nope).toBeDefined();
    expect(at(nope!)).toBe('19:49');
  });

  it('reports YAML syntax errors with their position and stops there', () => {
    const diags = loadSpec('version: 1\nname: [unclosed\nsources: {}\n').diagnostics;
    expect(diags.length).toBeGreaterThan(0);
    expect(diags[0]!.message).toMatch(/^YAML syntax/);
    expect(diags[0]!.line).toBeGreaterThanOrEqual(2);
  });

  it('refuses a spec from a newer Batchbook', () => {
    const diags = loadSpec(GOOD.replace('version: 1', 'version: 7')).diagnostics;
    expect(diags[0]).toMatchObject({ message: expect.stringContaining('version 7'), line: 1, column: 10 });
  });

  it('reports a missing key at its parent, an unknown kind with a hint, and type mismatches', () => {
    const spec = GOOD.replace('    source: pos\n', '').replace('kind: cleanse', 'kind: cleans').replace('name: orders', 'name: 42');
    const diags = errors(loadSpec(spec).diagnostics);
    expect(diags.map((d) => d.message).sort()).toEqual(["expected string, found number 42", "missing required key 'source' (string)", "unknown kind 'cleans'"].sort());
    expect(diags.find((d) => d.message.startsWith('unknown kind'))?.hint).toBe("did you mean 'cleanse'?");
  });

  it('rejects paths that escape their zone and hostile names', () => {
    const spec = GOOD.replace('path: pos/orders_{run_date}.csv', 'path: ../../etc/{run_date}.csv').replace('name: clean_orders', 'name: "x; DROP TABLE y"');
    const messages = errors(loadSpec(spec).diagnostics).map((d) => d.message);
    expect(messages).toContain("paths may not contain '..': they must stay inside their zone");
    expect(messages.some((m) => m.startsWith('names start with a letter'))).toBe(true);
  });

  it('checks the schedule', () => {
    const diags = errors(loadSpec(`${GOOD}schedule: { cron: "0 25 * * *", timezone: Europe/Berlinn, window_hours: 4 }\n`).diagnostics);
    expect(diags.map((d) => d.message)).toEqual([expect.stringContaining("invalid cron '0 25 * * *'"), "unknown time zone 'Europe/Berlinn'"]);
  });

  it('flags a stage that reads a later stage', () => {
    const spec = GOOD.replace('input: clean_orders\n    format', 'input: clean_orders\n    format').replace('    input: raw_orders\n', '    input: out\n');
    expect(errors(loadSpec(spec).diagnostics)[0]).toMatchObject({ message: "stage 'out' comes later in the pipeline", hint: "move 'clean_orders' below 'out'" });
  });
});
