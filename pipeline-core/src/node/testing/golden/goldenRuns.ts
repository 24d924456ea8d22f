// The runs whose outputs must not change when the compiled plans change (issue: lean plans):
// every bundled sample's days and every conformance-corpus case's days, run by `batchbook run`,
// fingerprinted file by file. outputs.json holds the fingerprints recorded with the plans as
// they were before; golden.test.ts runs the same again and compares.
//   record: node pipeline-core/dist/node/testing/golden/goldenRuns.js
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { copySample, REPO_ROOT, removeDir, runProject, tempDir } from '../fixtures.js';
import { writeCorpus } from '../corpus/writeCorpus.js';
import type { RunReport } from '../../runner/report.js';

export interface RunFingerprint {
  readonly exit_code: number;
  readonly published: boolean;
  readonly stages: readonly string[];
  readonly rules: readonly string[];
  /** lake-relative path → "rows sha256" of every output and rejects file. */
  readonly files: Readonly<Record<string, string>>;
}

export const GOLDEN_FILE = join(REPO_ROOT, 'pipeline-core', 'src', 'node', 'testing', 'golden', 'outputs.json');

const SAMPLE_DAYS: Readonly<Record<string, readonly string[]>> = {
  'nightly-reconciliation': ['2026-11-24', '2026-11-25'],
  'peak-sales': ['2026-11-16', '2026-11-27', '2026-11-28', '2026-11-29'],
};

async function sha256(path: string): Promise<string> {
  return createHash('sha256').update(await readFile(path)).digest('hex');
}

async function fingerprint(report: RunReport, lake: string): Promise<RunFingerprint> {
  const files: Record<string, string> = {};
  for (const o of report.outputs) for (const f of o.files) files[f.path] = `${f.rows} ${await sha256(join(lake, f.path))}`;
  for (const r of report.rejects) files[r.path] = `${r.rows} ${await sha256(join(lake, r.path))}`;
  return {
    exit_code: report.exit_code,
    published: report.published,
    stages: report.stages.map((s) => `${s.name} in=${s.rows_in} out=${s.rows_out} rejected=${s.rejected} filtered=${s.filtered}`),
    rules: report.rules.map((r) => `${r.stage}.${r.name} ${r.status} ${r.failing}`),
    files,
  };
}

/** Runs every golden day in order (each project's days share one lake, as nights do). */
export async function goldenRuns(): Promise<Record<string, RunFingerprint>> {
  const out: Record<string, RunFingerprint> = {};
  for (const [sample, days] of Object.entries(SAMPLE_DAYS)) {
    const dir = await copySample(sample);
    try {
      for (const day of days) {
        const report = await runProject(dir, { run_date: day });
        out[`${sample} ${day}`] = await fingerprint(report, join(dir, 'lake'));
      }
    } finally {
      await removeDir(dir);
    }
  }
  const corpus = await tempDir('bb-golden-corpus-');
  try {
    for (const c of await writeCorpus(corpus)) {
      for (const day of c.days) {
        const report = await runProject(join(corpus, c.name), { run_date: day.runDate });
        out[`${c.name} ${day.runDate}`] = await fingerprint(report, join(corpus, c.name, 'lake'));
      }
    }
  } finally {
    await removeDir(corpus);
  }
  return out;
}

const invoked = process.argv[1] && realpathSync(resolve(process.argv[1])) === realpathSync(fileURLToPath(import.meta.url));
if (invoked) await writeFile(GOLDEN_FILE, `${JSON.stringify(await goldenRuns(), null, 2)}\n`);
