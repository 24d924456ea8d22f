import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { mlHistoryProject } from '../bench/runnerBench.js';
import { openProject } from '../project/project.js';
import { runPipeline } from '../runner/run.js';
import { runBackfill } from './backfill.js';
import { readReport, readRunHistory } from './history.js';

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/**
 * `npm run bench`: the ml-history backfill, five years as 60 monthly partitions on a pool of
 * worker processes, against one run over the whole history in the same process (the ratio is
 * what backfilling costs). Prints rows per second, the workers' peak memory (it stays flat
 * whatever the range) and the cost of a resume that finds every partition done.
 */
export async function benchBackfill(scale = Number(process.env['BENCH_SCALE'] ?? 500), parallel = 2, memoryLimit = '1GB'): Promise<void> {
  const dir = await mlHistoryProject(scale);
  const project = await openProject(dir);
  const spec = project.loaded.spec;
  if (!spec) throw new Error(`the ml-history spec in ${dir} does not load`);
  const common = { spec, specText: project.specText, projectDir: dir, inbox: project.inbox };

  const oneLake = join(dir, 'lake-bench-one-run');
  await rm(oneLake, { recursive: true, force: true });
  let t = performance.now();
  const one = await runPipeline({ ...common, lake: oneLake, params: { months: '*' }, memoryLimit: '2GB' });
  const oneSeconds = (performance.now() - t) / 1000;
  if (one.exit_code !== 0) throw new Error(`the whole-history run failed: ${one.error?.message ?? one.status}`);
  await rm(oneLake, { recursive: true, force: true });

  const lake = join(dir, 'lake-bench-backfill');
  await rm(lake, { recursive: true, force: true });
  const range = { from: '2021-01-01', to: '2025-12-31', step: 'month' as const, params: { months: '{month}' } };
  t = performance.now();
  const s = await runBackfill({ ...common, ...range, lake, parallel, memoryLimit });
  const backfillSeconds = (performance.now() - t) / 1000;
  if (s.failed) throw new Error(`${s.failed} partitions failed: ${s.failures.map((f) => `${f.date} ${f.cause ?? ''}`).join('; ')}`);
  t = performance.now();
  const again = await runBackfill({ ...common, ...range, lake, parallel, memoryLimit });
  const resumeSeconds = (performance.now() - t) / 1000;
  const runs = await readRunHistory(lake, { pipeline: spec.name });
  const peaks = await Promise.all(runs.map((r) => readReport(lake, r.run_id).then((x) => x?.peak_memory_bytes ?? 0)));
  await rm(lake, { recursive: true, force: true });

  const rows = s.rows_in;
  process.stdout.write(
    [
      `ml-history backfill, scale ${scale} (${fmt(rows)} rows), ${s.total} monthly partitions, ${parallel} workers (DuckDB ${memoryLimit} each)`,
      `  one run over the whole history   ${oneSeconds.toFixed(1)} s   ${fmt(one.metrics.rows_in / oneSeconds)} rows/s   peak RSS ${fmt(one.metrics.peak_memory_bytes / 2 ** 20)} MiB`,
      `  backfill, 60 partitions          ${backfillSeconds.toFixed(1)} s   ${fmt(rows / backfillSeconds)} rows/s   worker peak RSS ${fmt(Math.max(...peaks) / 2 ** 20)} MiB   (time: ${(backfillSeconds / oneSeconds).toFixed(2)}x the one run)`,
      `  resume with every partition done ${resumeSeconds.toFixed(1)} s   (${again.skipped} skipped, ${again.succeeded} run)`,
      '',
    ].join('\n'),
  );
}
