import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { appendFile, mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { alive } from '../runner/atomic.js';
import { currentCommitReport } from '../runner/commitRun.js';
import type { RunReport } from '../runner/report.js';
import {
  collectRunHistory,
  rawFingerprintText,
  reportRawFiles,
  runIndexEntryOf,
  RUN_INDEX_FILE,
  type RawFile,
  type RunIndexEntry,
  type RunLakeReader,
} from '../../core/ops/runHistory.js';
import { parseRunReport } from '../../core/ops/runReport.js';

/**
 * Run history over Node's file system. What an index line, a report and a killed run's log
 * mean is decided in core/ops/runHistory.ts, shared with the designer's web app; this file
 * only reads and appends the files.
 */
export type { RawFile, RunIndexEntry } from '../../core/ops/runHistory.js';
export { reportRawFiles } from '../../core/ops/runHistory.js';

export const INDEX_FILE = RUN_INDEX_FILE;

export function runsDir(lake: string): string {
  return join(lake, 'runs');
}

/** Order-independent fingerprint of a run's raw inputs. */
export function rawFingerprint(files: readonly RawFile[]): string {
  return createHash('sha256').update(rawFingerprintText(files)).digest('hex');
}

export function indexEntryOf(report: RunReport): RunIndexEntry {
  return runIndexEntryOf(report, rawFingerprint(reportRawFiles(report)));
}

/** One write with O_APPEND: concurrent runs (backfill workers) never interleave their lines. */
export async function appendRunIndex(lake: string, report: RunReport): Promise<void> {
  await mkdir(runsDir(lake), { recursive: true });
  await appendFile(join(runsDir(lake), INDEX_FILE), `${JSON.stringify(indexEntryOf(report))}\n`);
}

const missing = (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOENT';

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** A run's report: from runs/<id>/, or from the lake's current commit for a run killed before copying it out. */
export async function readReport(lake: string, runId: string): Promise<RunReport | undefined> {
  const text = await readText(join(runsDir(lake), runId, 'report.json'));
  if (text !== undefined) return parseRunReport(text);
  const committed = await currentCommitReport(lake);
  return committed?.runId === runId ? parseRunReport(committed.text) : undefined;
}

/**
 * A run without a report is still running while the process that owns its staging folder lives
 * (the runner names that folder `<run_id>.pid<pid>`, see runner/atomic.ts).
 */
async function stillRunning(lake: string, runId: string): Promise<boolean> {
  let entries: string[];
  try {
    entries = await readdir(join(lake, '.staging'));
  } catch {
    return false;
  }
  return entries.some((name) => {
    const pid = name.startsWith(`${runId}.pid`) ? Number(name.slice(runId.length + 4)) : NaN;
    return Number.isInteger(pid) && pid > 0 && alive(pid);
  });
}

/** The index is streamed line by line: years of backfilled partitions never sit in memory as one string. */
async function* indexLines(lake: string): AsyncIterable<string> {
  try {
    yield* createInterface({ input: createReadStream(join(runsDir(lake), INDEX_FILE)), crlfDelay: Infinity });
  } catch (e) {
    if (!missing(e)) throw e;
  }
}

function nodeLakeReader(lake: string): RunLakeReader {
  return {
    indexLines: () => indexLines(lake),
    runFolders: () =>
      readdir(runsDir(lake)).catch((e: unknown) => {
        if (missing(e)) return [];
        throw e;
      }),
    readRunFile: (runId, file) => readText(join(runsDir(lake), runId, file)),
    isRunning: (runId) => stillRunning(lake, runId),
    rawFingerprint,
    committedReport: async () => (await currentCommitReport(lake))?.text,
  };
}

/**
 * Every run in a lake, oldest first. Runs missing from the index are read from their reports;
 * a run folder with a log but no report is a run that was killed: status `incomplete`.
 */
export function readRunHistory(lake: string, filter: { readonly pipeline?: string } = {}): Promise<RunIndexEntry[]> {
  return collectRunHistory(nodeLakeReader(lake), filter);
}
