import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { RunReport } from '../runner/report.js';
import { readReport, readRunHistory, type RunIndexEntry } from './history.js';

export class RunRefError extends Error {}

export interface ResolvedRun {
  readonly report: RunReport;
  /** The run's folder (holding report.json, log.jsonl, metrics.prom). */
  readonly dir: string;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const LATEST_RE = /^(?:latest|last)(?:~(\d+))?$/;

/**
 * Finds a run from what a person types: a run id or a unique prefix of one, `latest` / `latest~1`
 * (the run before), a run date (the latest run for that date), or a path to a run folder or
 * its report.json (to compare runs of two lakes).
 */
export async function resolveRun(lake: string | undefined, ref: string, pipeline?: string): Promise<ResolvedRun> {
  const byPath = await fromPath(ref);
  if (byPath) return byPath;
  if (!lake) throw new RunRefError(`'${ref}' is not a run folder or report.json; give --lake or --project to look it up by id`);
  const history = (await readRunHistory(lake, pipeline ? { pipeline } : {})).filter((e) => e.status !== 'incomplete' && e.status !== 'running');
  const found = pick(history, ref);
  const report = await readReport(lake, found.run_id);
  if (!report) throw new RunRefError(`run ${found.run_id} has no readable report.json in ${join(lake, 'runs', found.run_id)}`);
  return { report, dir: join(lake, 'runs', found.run_id) };
}

function pick(history: readonly RunIndexEntry[], ref: string): RunIndexEntry {
  if (history.length === 0) throw new RunRefError('no finished runs in this lake yet');
  const latest = LATEST_RE.exec(ref);
  if (latest) {
    const back = Number(latest[1] ?? 0);
    const e = history[history.length - 1 - back];
    if (!e) throw new RunRefError(`'${ref}': there are only ${history.length} finished runs`);
    return e;
  }
  if (DATE_RE.test(ref)) {
    const forDate = history.filter((e) => String(e.params['run_date']) === ref);
    const e = forDate[forDate.length - 1];
    if (!e) throw new RunRefError(`no run with run_date=${ref}; dates with runs: ${[...new Set(history.map((h) => String(h.params['run_date'])))].slice(-10).join(', ')}`);
    return e;
  }
  const matches = history.filter((e) => e.run_id.startsWith(ref));
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) throw new RunRefError(`'${ref}' matches ${matches.length} runs (${matches.slice(0, 5).map((m) => m.run_id).join(', ')}${matches.length > 5 ? ', …' : ''}); give more of the id`);
  const recent = history.slice(-5).map((h) => h.run_id);
  throw new RunRefError(`no run '${ref}' in this lake; recent runs: ${recent.join(', ')} (or use latest, latest~1, a run date)`);
}

async function fromPath(ref: string): Promise<ResolvedRun | undefined> {
  if (!ref.includes('/') && !ref.endsWith('.json')) return undefined;
  const abs = resolve(ref);
  let file: string;
  try {
    file = (await stat(abs)).isDirectory() ? join(abs, 'report.json') : abs;
  } catch {
    return undefined;
  }
  try {
    const report = JSON.parse(await readFile(file, 'utf8')) as RunReport;
    if (typeof report.run_id !== 'string' || !Array.isArray(report.stages)) throw new Error('not a run report');
    return { report, dir: basename(file) === 'report.json' ? dirname(file) : dirname(abs) };
  } catch (e) {
    throw new RunRefError(`${file} is not a readable run report: ${e instanceof Error ? e.message : String(e)}`);
  }
}
