import { describe, expect, it } from 'vitest';
import { readJson } from '../fixtures.js';
import { GOLDEN_FILE, goldenRuns, type RunFingerprint } from './goldenRuns.js';

// outputs.json was recorded by goldenRuns.ts with the DuckDB plans as they were before they were
// made lean (views fused into their consumers, typed Parquet read natively, rules in one pass):
// the same runs must still give the same bytes, counts, rule outcomes and exit codes. A corpus
// case may since have gained stages (new language constructs): everything recorded must still be
// there, unchanged; what was added is checked by the engines suite.
describe('plans change, outputs do not', () => {
  it('every sample day and corpus day gives the recorded outputs, rejects, counts and rules', async () => {
    const recorded = await readJson<Record<string, RunFingerprint>>(GOLDEN_FILE);
    const now = await goldenRuns();
    expect(Object.keys(now).sort()).toEqual(Object.keys(recorded).sort());
    for (const [run, fp] of Object.entries(recorded)) {
      const got = now[run]!;
      expect({ run, exit: got.exit_code, published: got.published }).toEqual({ run, exit: fp.exit_code, published: fp.published });
      expect({ run, stages: fp.stages.filter((s) => !got.stages.includes(s)), rules: fp.rules.filter((r) => !got.rules.includes(r)) }).toEqual({ run, stages: [], rules: [] });
      expect({ run, files: Object.fromEntries(Object.keys(fp.files).map((f) => [f, got.files[f]])) }).toEqual({ run, files: fp.files });
    }
  }, 180_000);
});
