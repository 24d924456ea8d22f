import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { appendFile, mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { RunReport } from '../runner/report.js';

/**
 * Run history: every finished run appends one line to `<lake>/runs/index.jsonl` after its
 * report is written. The index makes `batchbook runs` and backfill's "already done?" check cheap;
 * the reports stay the truth: a run whose line was lost (the process was killed between the
 * report and the index) is found by listing the run folders.
 */
export interface RunIndexEntry {
  readonly run_id: string;
  readonly pipeline: string;
  readonly params: Readonly<Record<string, string | number>>;
  /** incomplete: killed before its report; running: its process is still at work. */
  readonly status: RunReport['status'] | 'incomplete' | 'running';
  readonly exit_code: number | null;
  readonly replay: boolean;
  readonly started_at: string;
  readonly finished_at: string | null;
  readonly duration_ms: number | null;
  readonly spec_sha256: string;
  /** A hash over every landed raw file (source, path, sha256): same inputs, same fingerprint. */
  readonly raw_sha256: string;
  readonly rows_in: number;
  readonly rows_out: number;
  readonly rows_rejected: number;
  readonly rule_failures: number;
  readonly rule_failures_error: number;
  readonly cause?: string;
}

export const INDEX_FILE = 'index.jsonl';

export function runsDir(lake: string): string {
  return join(lake, 'runs');
}

export interface RawFile {
  readonly source: string;
  /** Path inside the source's run-date folder of the raw zone (= inside the inbox). */
  readonly path: string;
  readonly sha256: string;
}

/** Order-independent fingerprint of a run's raw inputs. */
export function rawFingerprint(files: readonly RawFile[]): string {
  const lines = files.map((f) => `${f.source}\t${f.path}\t${f.sha256}`).sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

/** raw/<source>/<run_date>/<path> → the raw files of a report. */
export function reportRawFiles(report: Pick<RunReport, 'landed'>): (RawFile & { readonly bytes: number })[] {
  return report.landed.flatMap((l) => l.files.map((f) => ({ source: l.source, path: f.path.split('/').slice(3).join('/'), sha256: f.sha256, bytes: f.bytes })));
}

export function indexEntryOf(report: RunReport): RunIndexEntry {
  const m = report.metrics;
  return {
    run_id: report.run_id,
    pipeline: report.pipeline,
    params: report.params,
    status: report.status,
    exit_code: report.exit_code,
    replay: report.replay,
    started_at: report.started_at,
    finished_at: report.finished_at,
    duration_ms: report.duration_ms,
    spec_sha256: report.spec_sha256,
    raw_sha256: rawFingerprint(reportRawFiles(report)),
    rows_in: m?.rows_in ?? 0,
    rows_out: m?.rows_out ?? 0,
    rows_rejected: m?.rows_rejected ?? 0,
    rule_failures: m?.rule_failures ?? report.rules.filter((r) => r.status === 'fail').length,
    rule_failures_error: m?.rule_failures_error ?? report.rules.filter((r) => r.status === 'fail' && r.severity === 'error').length,
    ...(report.error ? { cause: report.error.message } : {}),
  };
}

/** One write with O_APPEND: concurrent runs (backfill workers) never interleave their lines. */
export async function appendRunIndex(lake: string, report: RunReport): Promise<void> {
  await mkdir(runsDir(lake), { recursive: true });
  await appendFile(join(runsDir(lake), INDEX_FILE), `${JSON.stringify(indexEntryOf(report))}\n`);
}

export async function readReport(lake: string, runId: string): Promise<RunReport | undefined> {
  try {
    return JSON.parse(await readFile(join(runsDir(lake), runId, 'report.json'), 'utf8')) as RunReport;
  } catch {
    return undefined;
  }
}

async function readIndex(lake: string, keep: (e: RunIndexEntry) => boolean, seen: Set<string>): Promise<RunIndexEntry[]> {
  const out: RunIndexEntry[] = [];
  let lines;
  try {
    lines = createInterface({ input: createReadStream(join(runsDir(lake), INDEX_FILE)), crlfDelay: Infinity });
    for await (const line of lines) {
      if (!line.trim()) continue;
      let entry: RunIndexEntry;
      try {
        entry = JSON.parse(line) as RunIndexEntry;
      } catch {
        continue; // a line cut short by a crash; the report is read below instead
      }
      if (seen.has(entry.run_id)) continue;
      seen.add(entry.run_id);
      if (keep(entry)) out.push(entry);
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  return out;
}

const RUN_ID_RE = /^\d{8}T\d{6}Z-[0-9a-f]{6}$/;

/**
 * Every run in a lake, oldest first. Runs missing from the index are read from their reports;
 * a run folder with a log but no report is a run that was killed: status `incomplete`.
 */
export async function readRunHistory(lake: string, filter: { readonly pipeline?: string } = {}): Promise<RunIndexEntry[]> {
  const keep = (e: RunIndexEntry) => !filter.pipeline || e.pipeline === filter.pipeline;
  const seen = new Set<string>();
  const entries = await readIndex(lake, keep, seen);
  let dirs: string[] = [];
  try {
    dirs = (await readdir(runsDir(lake))).filter((d) => RUN_ID_RE.test(d) && !seen.has(d));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  for (const id of dirs) {
    const report = await readReport(lake, id);
    const entry = report ? indexEntryOf(report) : await unfinishedEntry(lake, id);
    if (entry && keep(entry)) entries.push(entry);
  }
  return entries.sort((a, b) => a.started_at.localeCompare(b.started_at) || a.run_id.localeCompare(b.run_id));
}

/** A run without a report is still running while the process that owns its staging folder lives. */
async function stillRunning(lake: string, runId: string): Promise<boolean> {
  try {
    const { pid } = JSON.parse(await readFile(join(lake, '.staging', runId, 'owner.json'), 'utf8')) as { pid: number };
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** What a killed (or running) run's log tells: its pipeline, parameters and start. */
async function unfinishedEntry(lake: string, runId: string): Promise<RunIndexEntry | undefined> {
  let first: { pipeline?: string; params?: Record<string, string | number>; time?: string } | undefined;
  try {
    const text = await readFile(join(runsDir(lake), runId, 'log.jsonl'), 'utf8');
    first = JSON.parse(text.slice(0, text.indexOf('\n'))) as typeof first;
  } catch {
    return undefined; // just created, or not a run folder
  }
  if (!first?.pipeline) return undefined;
  return {
    run_id: runId,
    pipeline: first.pipeline,
    params: first.params ?? {},
    status: (await stillRunning(lake, runId)) ? 'running' : 'incomplete',
    exit_code: null,
    replay: false,
    started_at: first.time ?? '',
    finished_at: null,
    duration_ms: null,
    spec_sha256: '',
    raw_sha256: '',
    rows_in: 0,
    rows_out: 0,
    rows_rejected: 0,
    rule_failures: 0,
    rule_failures_error: 0,
  };
}
