import { describe, expect, it } from 'vitest';
import { summarise, type RunReport } from './report.js';

/** A report with what the summary reads; the rest of a run's report does not matter here. */
function report(stages: { name: string; rows_out: number }[], outputs: { path: string; rows: number; files: number }[]): RunReport {
  return {
    pipeline: 'p',
    params: { run_date: '2026-11-24' },
    status: 'succeeded',
    duration_ms: 1200,
    run_id: 'r1',
    stages: stages.map((s) => ({ ...s, kind: 'aggregate', rows_in: s.rows_out, rejected: 0, filtered: 0, ms: 3 })),
    rules: [],
    matches: [],
    outputs: outputs.map((o) => ({ path: o.path, rows: o.rows, files: Array.from({ length: o.files }, (_, i) => ({ path: `f${i}`, sha256: 'ab'.repeat(32), bytes: 1, rows: 1 })) })),
    published: true,
  } as unknown as RunReport;
}

describe('the run summary', () => {
  it('says 1 row and 1 file in the singular, other counts in the plural, with grouped digits', () => {
    const text = summarise(report([{ name: 'totals', rows_out: 1 }, { name: 'by_day', rows_out: 12_345 }, { name: 'none', rows_out: 0 }], [{ path: 'curated/totals', rows: 1, files: 1 }, { path: 'curated/by_day', rows: 12_345, files: 2 }]));
    const lines = text.split('\n');
    expect(lines.find((l) => l.includes('totals ') && l.includes('aggregate'))).toMatch(/ 1 row +3 ms$/);
    expect(lines.find((l) => l.includes('by_day ') && l.includes('aggregate'))).toMatch(/ 12,345 rows +3 ms$/);
    expect(lines.find((l) => l.includes(' none '))).toMatch(/ 0 rows +3 ms$/);
    expect(text).toContain('→ curated/totals (1 row, 1 file)');
    expect(text).toContain('→ curated/by_day (12,345 rows, 2 files)');
  });
});
