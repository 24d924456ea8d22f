import { afterEach, describe, expect, it } from 'vitest';
import { runStages, type StageRun } from '../../../node/testing/stageHarness.js';

/** Each cleanse step on a few hand-made rows; expected values worked out by hand from the input. */
const spec = (steps: string, columns = 'id: string, v: string') => `version: 1
name: t
sources:
  s:
    format: csv
    path: s.csv
    schema: [${columns.split(', ').map((c) => `{ name: ${c.split(': ')[0]}, type: "${c.split(': ')[1]}" }`).join(', ')}]
stages:
  - { name: raw, kind: ingest, source: s }
  - name: c
    kind: cleanse
    input: raw
    steps:
${steps}
`;

let run: StageRun | undefined;
afterEach(async () => {
  await run?.close();
  run = undefined;
});

async function clean(steps: string, csv: string, columns?: string) {
  run = await runStages(spec(steps, columns), { 's.csv': csv });
  const stats = run.result.stages.find((s) => s.name === 'c')!;
  return { rows: await run.rows('c', 'id'), rejects: await run.rejects('c'), stats };
}

describe('cleanse steps', () => {
  it('trim and case', async () => {
    const { rows } = await clean('      - { step: trim, columns: [v] }\n      - { step: case, columns: [v], to: upper }', 'id,v\n1,  ab c \n2,Xy\n');
    expect(rows).toEqual([{ id: '1', v: 'AB C' }, { id: '2', v: 'XY' }]);
  });

  it('cast with on_error reject / null', async () => {
    const csv = 'id,v\n1,12\n2,x\n3,\n';
    let r = await clean('      - { step: cast, columns: [v], type: integer }', csv);
    expect(r.rows).toEqual([{ id: '1', v: '12' }, { id: '3', v: null }]);
    expect(r.rejects.map((x) => [x['id'], x['reject_reason'], x['source_line']])).toEqual([['2', "v: cannot read 'x' as integer", '3']]);
    await run?.close();
    r = await clean('      - { step: cast, columns: [v], type: integer, on_error: "null" }', csv);
    expect(r.rows.map((x) => x['v'])).toEqual(['12', null, null]);
    expect(r.stats.rejected).toBe(0);
  });

  it('cast with on_error fail stops the run with the value in the message', async () => {
    await expect(clean('      - { step: cast, columns: [v], type: integer, on_error: fail }', 'id,v\n1,zz\n')).rejects.toThrow(/stage 'c': .*zz/);
  });

  it('parse_number: thousands, decimal comma, currency symbols and codes', async () => {
    const steps = '      - { step: parse_number, column: v, type: "decimal(10,2)", thousands: ".", decimal: "," }';
    const { rows, rejects } = await clean(steps, 'id,v\n1,"EUR 1.234,50"\n2,12\n3,€ -7\n4,"1,2,3"\n5,12.34\n');
    expect(rows).toEqual([{ id: '1', v: '1234.50' }, { id: '2', v: '12.00' }, { id: '3', v: '-7.00' }]);
    // '1,2,3' has two decimal marks; '12.34' has a thousands dot without three digits after it
    expect(rejects.map((x) => x['id'])).toEqual(['4', '5']);
  });

  it('parse_date: formats in order, offsets, Z, local zone to UTC, and date-only', async () => {
    const steps = `      - step: parse_date
        column: v
        formats: ["%Y-%m-%dT%H:%M:%S%z", "%d.%m.%Y %H:%M"]
        timezone: Europe/Berlin`;
    const { rows, rejects } = await clean(steps, 'id,v\n1,2026-07-01T12:00:00+02:00\n2,2026-07-01T10:00:00Z\n3,01.07.2026 12:00\n4,01.01.2026 12:00\n5,yesterday\n');
    // 1: 12:00+02:00 = 10:00Z; 2: 10:00Z; 3: Berlin summer (UTC+2) 12:00 = 10:00Z; 4: Berlin winter (UTC+1) = 11:00Z
    expect(rows.map((x) => x['v'])).toEqual(['2026-07-01 10:00:00', '2026-07-01 10:00:00', '2026-07-01 10:00:00', '2026-01-01 11:00:00']);
    expect(rejects.map((x) => x['id'])).toEqual(['5']);
    await run?.close();
    const d = await clean('      - { step: parse_date, column: v, formats: ["%d/%m/%Y"], type: date, into: day }', 'id,v\n1,31/12/2025\n');
    expect(d.rows).toEqual([{ id: '1', v: '31/12/2025', day: '2025-12-31' }]);
  });

  it('dedupe keeps the first row in order_by order; ties keep the earlier row', async () => {
    const steps = '      - { step: dedupe, keys: [id], order_by: [{ column: v, direction: desc }] }';
    const { rows, rejects, stats } = await clean(steps, 'id,v\na,1\na,3\nb,2\na,2\nb,2\n');
    expect(rows).toEqual([{ id: 'a', v: '3' }, { id: 'b', v: '2' }]);
    // b's two rows tie on v: the first (line 4) is kept, line 6 is the duplicate
    expect(rejects.map((x) => [x['source_line'], String(x['reject_reason'])])).toEqual([
      ['2', 'duplicate of a kept row with id=a'],
      ['5', 'duplicate of a kept row with id=a'],
      ['6', 'duplicate of a kept row with id=b'],
    ]);
    expect(stats).toMatchObject({ rows_in: 5, rows_out: 2, rejected: 3 });
  });

  it('filter drops (counted as filtered) or rejects (with a reason); NULL is not true', async () => {
    const csv = 'id,v\n1,5\n2,50\n3,\n';
    let r = await clean('      - { step: cast, columns: [v], type: integer }\n      - { step: filter, expr: "v < 10" }', csv);
    expect(r.rows.map((x) => x['id'])).toEqual(['1']);
    expect(r.stats).toMatchObject({ rows_in: 3, rows_out: 1, rejected: 0, filtered: 2 });
    await run?.close();
    r = await clean('      - { step: cast, columns: [v], type: integer }\n      - { step: filter, expr: "v < 10", on_false: reject }', csv);
    expect(r.rejects.map((x) => [x['id'], x['reject_reason']])).toEqual([
      ['2', 'filter not true: v < 10'],
      ['3', 'filter not true: v < 10'],
    ]);
  });

  it('derive, rename, drop and fill_null', async () => {
    const steps = [
      '      - { step: cast, columns: [v], type: integer }',
      '      - { step: fill_null, columns: [v], value: 0 }',
      "      - { step: derive, column: w, expr: \"v * 2 + 1\" }",
      '      - { step: rename, columns: { v: value } }',
      '      - { step: drop, columns: [id] }',
    ].join('\n');
    run = await runStages(spec(steps), { 's.csv': 'id,v\n1,4\n2,\n' });
    expect(await run.rows('c', 'w')).toEqual([
      { value: '0', w: '1' },
      { value: '4', w: '9' },
    ]);
  });

  it('standardise maps values ignoring case and spaces; unmapped values are kept, nulled or rejected', async () => {
    const csv = 'id,v\n1, eur\n2,€\n3,USD\n4,\n';
    const step = (unmapped: string) => `      - { step: standardise, column: v, mapping: { "EUR": EUR, "€": EUR }, unmapped: ${unmapped} }`;
    let r = await clean(step('keep'), csv);
    expect(r.rows.map((x) => x['v'])).toEqual(['EUR', 'EUR', 'USD', null]);
    await run?.close();
    r = await clean(step('"null"'), csv);
    expect(r.rows.map((x) => x['v'])).toEqual(['EUR', 'EUR', null, null]);
    await run?.close();
    r = await clean(step('reject'), csv);
    expect(r.rejects.map((x) => [x['id'], x['reject_reason']])).toEqual([['3', "v: 'USD' is not a known value"]]);
  });

  it('a disabled step does nothing', async () => {
    const { rows } = await clean('      - { step: case, columns: [v], to: upper, enabled: false }', 'id,v\n1,ab\n');
    expect(rows).toEqual([{ id: '1', v: 'ab' }]);
  });

  it('a row keeps its first reason when several steps would reject it', async () => {
    const steps = '      - { step: cast, columns: [v], type: integer }\n      - { step: filter, expr: "id <> \'1\'", on_false: reject }';
    const { rejects } = await clean(steps, 'id,v\n1,x\n');
    expect(rejects.map((x) => x['reject_reason'])).toEqual(["v: cannot read 'x' as integer"]);
  });
});
