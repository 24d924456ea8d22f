import { appendFile, cp, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CostEstimate } from '../../core/cost/estimate.js';
import type { RunReport } from '../../core/ops/runReport.js';
import { main } from '../cli/main.js';
import { generateSample } from '../samples/generate.js';
import { removeDir, REPO_ROOT, runProject, tempDir } from '../testing/fixtures.js';

// Calibration from what a run really used: the ml-history sample generated at scale 72
// (about 68 MiB of CSV, over the 64 MiB calibration floor) is run once; the cost estimate's
// throughput must be the landed MiB ÷ the CPU-seconds the stages used, as recorded in the run
// report, × the Spark engine factor 0.5 — not stage wall-clock × threads.

let dir: string;
let report: RunReport;

beforeAll(async () => {
  dir = await tempDir('bb-cost-cal-');
  await generateSample('ml-history', { scale: 72, seed: 20261127, outDir: join(dir, 'gen') });
  await cp(join(dir, 'gen', 'ml-history', 'data'), join(dir, 'data'), { recursive: true });
  await removeDir(join(dir, 'gen'));
  await cp(join(REPO_ROOT, 'samples', 'ml-history', 'pipeline.yaml'), join(dir, 'pipeline.yaml'));
  await appendFile(join(dir, 'pipeline.yaml'), '\ncost:\n  year: 2026\n  measured: { scale: 1 }\n');
  report = await runProject(dir);
}, 300_000);
afterAll(() => removeDir(dir));

async function costJson(): Promise<CostEstimate> {
  let stdout = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    expect(await main(['cost', dir, '--json'])).toBe(0);
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return JSON.parse(stdout) as CostEstimate;
}

describe('calibration from a real run', () => {
  it('the run report records threads, process CPU seconds and CPU per stage', async () => {
    const onDisk = JSON.parse(await readFile(join(dir, 'lake', 'runs', report.run_id, 'report.json'), 'utf8')) as RunReport;
    expect(onDisk.threads).toBeGreaterThanOrEqual(1);
    expect(onDisk.cpu_seconds).toBeGreaterThan(0);
    for (const s of onDisk.stages) expect(typeof s.cpu_ms, s.name).toBe('number');
    // the stages are part of the run: their CPU cannot exceed the process's
    const stageCpu = onDisk.stages.reduce((a, s) => a + (s.cpu_ms ?? 0), 0) / 1000;
    expect(stageCpu).toBeGreaterThan(0);
    expect(stageCpu).toBeLessThanOrEqual(onDisk.cpu_seconds! + 0.01);
  });

  it('calibrated throughput = landed MiB ÷ stage CPU-seconds × 0.5, from the report', async () => {
    const files = await readdir(join(dir, 'data', 'sales'));
    expect(files).toHaveLength(60);
    const landedBytes = report.landed.flatMap((l) => l.files).reduce((a, f) => a + f.bytes, 0);
    const mib = landedBytes / 1024 ** 2;
    expect(mib).toBeGreaterThanOrEqual(64);
    const cpuSeconds = report.stages.reduce((a, s) => a + (s.cpu_ms ?? 0), 0) / 1000;
    const e = await costJson();
    expect(e.calibration.runs_used).toEqual([report.run_id]);
    expect(e.calibration.runner_mib_per_vcpu_second).toBeCloseTo(mib / cpuSeconds, 9);
    expect(e.work.throughput_mib_per_vcpu_second).toBeCloseTo((mib / cpuSeconds) * 0.5, 9);
    expect(e.assumptions.find((a) => a.id === 'throughput')?.source).toBe('calibrated');
    // what wall-clock × threads would have said, for the record (it is never used)
    const wallThreads = (report.stages.reduce((a, s) => a + s.ms, 0) / 1000) * (report.threads ?? 1);
    process.stderr.write(`calibration: ${mib.toFixed(1)} MiB, stage CPU ${cpuSeconds.toFixed(2)} s (wall × threads ${wallThreads.toFixed(2)} s), ${(mib / cpuSeconds).toFixed(2)} MiB per CPU-second, threads ${report.threads}\n`);
  });
});
