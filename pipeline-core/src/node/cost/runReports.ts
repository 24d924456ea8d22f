import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunSummary } from '../../core/cost/measured.js';

interface ReportLike {
  run_id?: unknown;
  pipeline?: unknown;
  status?: unknown;
  params?: { run_date?: unknown };
  landed?: { source?: unknown; files?: { bytes?: unknown }[] }[];
  stages?: { ms?: unknown; cpu_ms?: unknown }[];
  threads?: unknown;
  cpu_seconds?: unknown;
}

/**
 * Summaries of the run reports in `<lake>/runs/*\/report.json` for one pipeline: landed bytes per
 * source, stage milliseconds, and (from reports that record them) stage CPU milliseconds, the
 * run's CPU seconds and threads. Unreadable reports are skipped and named.
 */
export async function readRunSummaries(lake: string, pipeline: string): Promise<{ runs: RunSummary[]; skipped: string[] }> {
  const dir = join(lake, 'runs');
  let entries: string[];
  try {
    entries = (await readdir(dir)).sort();
  } catch {
    return { runs: [], skipped: [] };
  }
  const runs: RunSummary[] = [];
  const skipped: string[] = [];
  for (const id of entries) {
    const file = join(dir, id, 'report.json');
    let r: ReportLike;
    try {
      r = JSON.parse(await readFile(file, 'utf8')) as ReportLike;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // not a run folder (e.g. the runs index file) or a run still being written
      if (code !== 'ENOENT' && code !== 'ENOTDIR') skipped.push(`${file}: ${(e as Error).message}`);
      continue;
    }
    if (r.pipeline !== pipeline) continue;
    const landed: Record<string, number> = {};
    for (const l of r.landed ?? []) {
      if (typeof l.source !== 'string') continue;
      landed[l.source] = (l.files ?? []).reduce((a, f) => a + (typeof f.bytes === 'number' ? f.bytes : 0), 0);
    }
    runs.push({
      run_id: typeof r.run_id === 'string' ? r.run_id : id,
      ...(typeof r.params?.run_date === 'string' ? { run_date: r.params.run_date } : {}),
      status: typeof r.status === 'string' ? r.status : 'unknown',
      landed_bytes: landed,
      stage_ms: (r.stages ?? []).reduce((a, s) => a + (typeof s.ms === 'number' ? s.ms : 0), 0),
      ...stageCpu(r.stages ?? []),
      ...(typeof r.cpu_seconds === 'number' ? { cpu_seconds: r.cpu_seconds } : {}),
      ...(typeof r.threads === 'number' ? { threads: r.threads } : {}),
    });
  }
  return { runs, skipped };
}

/** Stage CPU milliseconds, only when every stage recorded them (a partial sum would flatter throughput). */
function stageCpu(stages: readonly { cpu_ms?: unknown }[]): { stage_cpu_ms?: number } {
  if (stages.length === 0 || !stages.every((s) => typeof s.cpu_ms === 'number')) return {};
  return { stage_cpu_ms: stages.reduce((a, s) => a + (s.cpu_ms as number), 0) };
}
