import { describe, expect, it } from 'vitest';
import { readJson } from '../fixtures.js';
import { GOLDEN_FILE, goldenRuns, type RunFingerprint } from './goldenRuns.js';

// outputs.json was recorded by goldenRuns.ts with the DuckDB plans as they were before they were
// made lean (views fused into their consumers, typed Parquet read natively, rules in one pass):
// the same runs must still give the same bytes, counts, rule outcomes and exit codes.
describe('plans change, outputs do not', () => {
  it('every sample day and corpus day gives the recorded outputs, rejects, counts and rules', async () => {
    const recorded = await readJson<Record<string, RunFingerprint>>(GOLDEN_FILE);
    const now = await goldenRuns();
    expect(Object.keys(now).sort()).toEqual(Object.keys(recorded).sort());
    for (const [run, fp] of Object.entries(recorded)) expect({ run, ...now[run] }).toEqual({ run, ...fp });
  }, 180_000);
});
