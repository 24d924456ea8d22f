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
    const spec = GOOD.replace('input: clean_orders\n    format', 'input: raw_orders\n    format').replace('    input: raw_orders\n    steps', '    input: out\n    steps');
    expect(errors(loadSpec(spec).diagnostics)[0]).toMatchObject({ message: "stage 'out' comes later in the pipeline", hint: "stages run top to bottom: move 'clean_orders' below 'out'" });
  });
});

describe('loadSpec finds everything in one pass', () => {
  it('an unknown top-level key does not hide a misspelt stage reference or an expression error', () => {
    const spec = `${GOOD.replace('input: raw_orders', 'input: raw_order')}shedule: { cron: "0 2 * * *" }\n`;
    const diags = errors(loadSpec(spec).diagnostics);
    // line 16 is '    input: raw_order' (value at column 12); line 24 (after GOOD's 23) is the unknown key
    expect(diags.map((d) => `${at(d)} ${d.message}`).sort()).toEqual(["16:12 unknown stage 'raw_order'", "24:1 unknown key 'shedule'"]);
  });

  it('a stage of the wrong shape is reported once: stages reading it are not told it is unknown', () => {
    const spec = GOOD.replace('kind: cleanse', 'kind: cleans').replace('input: clean_orders', 'input: clean_ordes');
    const messages = errors(loadSpec(spec).diagnostics).map((d) => d.message);
    expect(messages.sort()).toEqual(["unknown kind 'cleans'", "unknown stage 'clean_ordes'"]);
  });

  it('an unquoted glob is located and the fix named, not an internal error; the rest is still checked', () => {
    const loaded = loadSpec(GOOD.replace('path: pos/orders_{run_date}.csv', 'path: *.csv').replace('input: raw_orders', 'input: raw_ordrs'));
    expect(loaded.spec).toBeUndefined();
    expect(errors(loaded.diagnostics)).toEqual([
      expect.objectContaining({ message: "'*.csv' is read as a YAML alias, but no anchor '&.csv' is defined above it", hint: "if it is a value such as a glob, quote it: '*.csv'", line: 6, column: 11 }),
      expect.objectContaining({ message: "unknown stage 'raw_ordrs'", line: 16, column: 12 }),
    ]);
  });

  it('anchors and aliases work, and an error inside aliased content is located at the alias', () => {
    const spec = GOOD.replace('  pos:\n', '  pos: &pos\n').replace('{ name: amount, type: string }', '{ name: amount, type: strin }').replace('stages:\n', '  pos2: *pos\nstages:\n');
    const diags = errors(loadSpec(spec).diagnostics).filter((d) => d.message.startsWith('unknown type'));
    // line 9 '      - { name: amount, type: strin }': 'strin' at column 31; line 10 '  pos2: *pos': the alias at column 9
    expect(diags.map((d) => `${d.path.slice(0, 2).join('.')} ${at(d)}`).sort()).toEqual(['sources.pos 9:31', 'sources.pos2 10:9']);
  });

  it('a missing format names the key and its choices', () => {
    const diags = errors(loadSpec(GOOD.replace('    format: csv\n', '')).diagnostics);
    expect(diags).toEqual([expect.objectContaining({ message: "missing required key 'format'", hint: 'one of: csv, json, ndjson, parquet', path: ['sources', 'pos'] })]);
  });

  it('calls a cycle a cycle and names its stages', () => {
    const spec = GOOD.replace('    input: raw_orders\n', '    input: out\n');
    expect(errors(loadSpec(spec).diagnostics)[0]).toMatchObject({ message: "stages form a cycle: 'clean_orders' → 'out' → 'clean_orders'" });
  });

  it("accepts ';' inside string literals and comments of a sql stage, and refuses a second statement", () => {
    const sqlStage = (sql: string) => `${GOOD}  - name: s\n    kind: sql\n    inputs: [clean_orders]\n    sql: ${JSON.stringify(sql)}\n    schema: [{ name: x, type: string }]\n`;
    expect(errors(loadSpec(sqlStage("SELECT concat(order_id, '; ', amount) AS x FROM clean_orders -- a; b")).diagnostics)).toEqual([]);
    expect(errors(loadSpec(sqlStage('SELECT 1 AS x; DROP TABLE clean_orders')).diagnostics).map((d) => d.message)).toEqual(['a sql stage holds one SELECT statement']);
  });

  it('refuses a date format code DuckDB does not know, at the format', () => {
    const spec = GOOD.replace('      - { step: parse_number, column: amount, type: "decimal(12,2)" }', '      - { step: parse_date, column: amount, formats: ["%Y-%m-%d", "%Q-%Y"] }');
    const diags = errors(loadSpec(spec).diagnostics);
    expect(diags).toEqual([expect.objectContaining({ message: "'%Q' in format '%Q-%Y' is not a date format code", path: ['stages', 1, 'steps', 0, 'formats', 1], line: 18, column: 67 })]);
  });

  it('checks positions and reject limits', () => {
    const spec = GOOD.replace('      - { name: amount, type: string }', '      - { name: amount, type: string, position: 1 }\n      - { name: other, type: string, position: 1 }').replace('    kind: output\n', '    kind: output\n    max_rejects: 3\n');
    const diags = loadSpec(spec).diagnostics;
    expect(diags.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual(['columns 2 and 3 both read position 1']);
    expect(diags.some((d) => d.severity === 'warning' && d.message === "a output stage never rejects rows, so 'max_rejects' has no effect")).toBe(true);
  });
});
