import { parseRunReport, type RunReport } from './runReport.js';

/**
 * Run history: every finished run appends one line to `<lake>/runs/index.jsonl` after its
 * report is written. The index makes `batchbook runs` and backfill's "already done?" check cheap;
 * the reports stay the truth: a run whose line was lost (the process was killed between the
 * report and the index) is found by listing the run folders.
 *
 * Reading it is the same everywhere — the CLI and the desktop app over Node's file system, the
 * web app over a folder the browser opened — so the reading lives here, over a small
 * `RunLakeReader` each of them implements.
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

export const RUN_INDEX_FILE = 'index.jsonl';

/** The name the runner gives a run (and its folder): start time and a random suffix. */
export const RUN_ID_PATTERN = /^\d{8}T\d{6}Z-[0-9a-f]{6}$/;

export interface RawFile {
  readonly source: string;
  /** Path inside the source's run-date folder of the raw zone (= inside the inbox). */
  readonly path: string;
  readonly sha256: string;
}

/** raw/<source>/<run_date>/<path> → the raw files of a report. */
export function reportRawFiles(report: Pick<RunReport, 'landed'>): (RawFile & { readonly bytes: number })[] {
  return report.landed.flatMap((l) => l.files.map((f) => ({ source: l.source, path: f.path.split('/').slice(3).join('/'), sha256: f.sha256, bytes: f.bytes })));
}

/** The text whose sha256 is a run's raw fingerprint: order-independent, one line per file. */
export function rawFingerprintText(files: readonly RawFile[]): string {
  return files
    .map((f) => `${f.source}\t${f.path}\t${f.sha256}`)
    .sort()
    .join('\n');
}

/** A report's line in the history; `rawSha256` is the sha256 of its rawFingerprintText. */
export function runIndexEntryOf(report: RunReport, rawSha256: string): RunIndexEntry {
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
    raw_sha256: rawSha256,
    rows_in: m?.rows_in ?? 0,
    rows_out: m?.rows_out ?? 0,
    rows_rejected: m?.rows_rejected ?? 0,
    rule_failures: m?.rule_failures ?? report.rules.filter((r) => r.status === 'fail').length,
    rule_failures_error: m?.rule_failures_error ?? report.rules.filter((r) => r.status === 'fail' && r.severity === 'error').length,
    ...(report.error ? { cause: report.error.message } : {}),
  };
}

/** One line of index.jsonl; undefined for a blank line or one cut short by a crash. */
export function parseRunIndexLine(line: string): RunIndexEntry | undefined {
  if (!line.trim()) return undefined;
  try {
    const entry = JSON.parse(line) as RunIndexEntry;
    return typeof entry?.run_id === 'string' && typeof entry.pipeline === 'string' ? entry : undefined;
  } catch {
    return undefined;
  }
}

/** What a killed (or running) run's log tells: its pipeline, parameters and start (its first line). */
export function unfinishedRunEntry(runId: string, logText: string, running: boolean): RunIndexEntry | undefined {
  const end = logText.indexOf('\n');
  let first: { pipeline?: string; params?: Record<string, string | number>; time?: string } | undefined;
  try {
    first = JSON.parse(end < 0 ? logText : logText.slice(0, end)) as typeof first;
  } catch {
    return undefined; // just created, or not a run folder
  }
  if (typeof first?.pipeline !== 'string') return undefined;
  return {
    run_id: runId,
    pipeline: first.pipeline,
    params: first.params ?? {},
    status: running ? 'running' : 'incomplete',
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

/** Oldest first; runs started in the same second by their id. */
export function compareRunEntries(a: RunIndexEntry, b: RunIndexEntry): number {
  return a.started_at.localeCompare(b.started_at) || a.run_id.localeCompare(b.run_id);
}

/** The few things reading a lake's history needs from a file system. */
export interface RunLakeReader {
  /** The lines of runs/index.jsonl (none when it does not exist). */
  indexLines(): AsyncIterable<string> | Iterable<string>;
  /** The names in runs/ (none when it does not exist). */
  runFolders(): Promise<readonly string[]>;
  /** A file of runs/<runId>/, undefined when it is missing. */
  readRunFile(runId: string, file: 'report.json' | 'log.jsonl'): Promise<string | undefined>;
  /** Whether a run without a report still has a live process (false where that cannot be known). */
  isRunning(runId: string): Promise<boolean>;
  /** sha256 (hex) of rawFingerprintText(files). */
  rawFingerprint(files: readonly RawFile[]): string | Promise<string>;
  /**
   * The report of the lake's current commit (`.current/report.json`, see node/runner/commitRun.ts).
   * A run's report is part of its commit and copied out to runs/<id>/ just after; a run killed in
   * between is only there. Readers without access to the lake's root may leave this out.
   */
  committedReport?(): Promise<string | undefined>;
}

/**
 * Every run in a lake, oldest first. Runs missing from the index are read from their reports;
 * a run folder with a log but no report is a run that was killed: status `incomplete`.
 */
export async function collectRunHistory(reader: RunLakeReader, filter: { readonly pipeline?: string } = {}): Promise<RunIndexEntry[]> {
  const keep = (e: RunIndexEntry) => !filter.pipeline || e.pipeline === filter.pipeline;
  const seen = new Set<string>();
  const entries: RunIndexEntry[] = [];
  for await (const line of reader.indexLines()) {
    const entry = parseRunIndexLine(line);
    if (!entry || seen.has(entry.run_id)) continue;
    seen.add(entry.run_id);
    if (keep(entry)) entries.push(entry);
  }
  let committed: Promise<RunReport | undefined> | undefined;
  const committedReport = () => (committed ??= (reader.committedReport?.() ?? Promise.resolve(undefined)).then((t) => (t === undefined ? undefined : parseRunReport(t))));
  for (const id of await reader.runFolders()) {
    if (!RUN_ID_PATTERN.test(id) || seen.has(id)) continue;
    const reportText = await reader.readRunFile(id, 'report.json');
    const fromCommit = reportText === undefined ? await committedReport() : undefined;
    const report = reportText === undefined ? (fromCommit?.run_id === id ? fromCommit : undefined) : parseRunReport(reportText);
    let entry: RunIndexEntry | undefined;
    if (report) entry = runIndexEntryOf(report, await reader.rawFingerprint(reportRawFiles(report)));
    else {
      const log = await reader.readRunFile(id, 'log.jsonl');
      entry = log === undefined ? undefined : unfinishedRunEntry(id, log, await reader.isRunning(id));
    }
    if (entry && keep(entry)) entries.push(entry);
  }
  return entries.sort(compareRunEntries);
}
