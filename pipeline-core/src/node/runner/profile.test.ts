import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openProject } from '../project/project.js';
import { copySample, removeDir } from '../testing/fixtures.js';
import { runPipeline } from './run.js';
import { formatProfile } from './profile.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await removeDir(dir);
});

describe('batchbook run --profile', () => {
  it('times every stage on its own and names its heaviest DuckDB operators, with the same results as a plain run', async () => {
    dir = await copySample('nightly-reconciliation');
    const project = await openProject(dir);
    const spec = project.loaded.spec!;
    const run = (profile: boolean, lake: string) =>
      runPipeline({ spec, specText: project.specText, projectDir: dir!, inbox: project.inbox, lake: join(dir!, lake), params: { run_date: '2026-11-24' }, threads: 2, memoryLimit: '1GB', profile });
    const plain = await run(false, 'lake-plain');
    const profiled = await run(true, 'lake-profiled');
    expect(plain.profile).toBeUndefined();
    expect(profiled.status).toBe('succeeded');
    // every stage materialised, so each has its own entry; counts as the plain run's
    expect(profiled.profile!.map((p) => p.stage)).toEqual(spec.stages.map((s) => s.name));
    expect(profiled.stages).toEqual(plain.stages.map((s) => ({ ...s, ms: expect.any(Number), cpu_ms: expect.any(Number) })));
    const ingest = profiled.profile!.find((p) => p.stage === 'raw_orders')!;
    expect(ingest.rows).toBe(plain.stages.find((s) => s.name === 'raw_orders')!.rows_out);
    expect(ingest.bytes).toBeGreaterThan(0); // its table holds the orders read
    expect(ingest.operators.length).toBeGreaterThan(0);
    expect(ingest.operators.every((o) => /^[A-Z_]+$/.test(o.operator))).toBe(true); // DuckDB's operator names
    expect(ingest.operators.map((o) => o.share)).toEqual([...ingest.operators.map((o) => o.share)].sort((a, b) => b - a)); // heaviest first
    expect(ingest.operators.reduce((a, o) => a + o.share, 0)).toBeLessThanOrEqual(1.02);
    expect(formatProfile(profiled.profile!)).toMatch(/raw_orders\s+\d+\s+\d+\s+44 /);
  }, 120_000);
});
