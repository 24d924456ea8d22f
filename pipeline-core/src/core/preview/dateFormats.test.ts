import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeDuckdbEngine } from '../../node/duckdb/nodeEngine.js';
import { CANDIDATE_DATE_FORMATS, FORMAT_CODES, formatCountsSql, rankFormats } from './dateFormats.js';

let engine: NodeDuckdbEngine;
beforeAll(async () => {
  engine = await NodeDuckdbEngine.open();
  // 4 US-style dates, one with a day < 10, one blank, one NULL, one that is no date at all
  await engine.exec(`CREATE TABLE t AS SELECT * FROM (VALUES ('Jun 12 1998'), ('Dec 31 2001'), (' Jan 5 2020 '), ('Feb 28 1999'), (''), (NULL), ('n/a')) v(d)`);
});
afterAll(() => engine.close());

describe('formatCountsSql / rankFormats', () => {
  it('suggests the format that reads "Jun 12 1998"-style values, counting what it reads', async () => {
    const [row] = await engine.query(formatCountsSql('t', 'd', CANDIDATE_DATE_FORMATS));
    const ranked = rankFormats(CANDIDATE_DATE_FORMATS, row!);
    // 5 non-empty values ('n/a' included); 4 of them are month-name, day, year
    expect(ranked[0]).toEqual({ format: '%b %d %Y', parses: 4, of: 5 });
    expect(ranked.map((r) => r.format)).not.toContain('%Y-%m-%d');
  });
  it('ranks by values read and leaves out formats that read none', async () => {
    await engine.exec(`CREATE TABLE u AS SELECT * FROM (VALUES ('2026-11-24'), ('2026-11-25'), ('24/11/2026')) v(d)`);
    const [row] = await engine.query(formatCountsSql('u', 'd', ['%d/%m/%Y', '%Y-%m-%d', '%b %d %Y']));
    expect(rankFormats(['%d/%m/%Y', '%Y-%m-%d', '%b %d %Y'], row!)).toEqual([
      { format: '%Y-%m-%d', parses: 2, of: 3 },
      { format: '%d/%m/%Y', parses: 1, of: 3 },
    ]);
  });
  it('documents every code the candidates use', () => {
    const documented = new Set(FORMAT_CODES.map((c) => c.code));
    for (const f of CANDIDATE_DATE_FORMATS) for (const code of f.match(/%./g) ?? []) expect(documented).toContain(code);
  });
});
