import type { RunIndexEntry } from '@batchbook/pipeline-core';

/** How the Runs panel writes numbers, sizes, durations and times. */
export const fmtInt = (n: number | null | undefined): string => (n === null || n === undefined ? '–' : n.toLocaleString('en-US'));

export function fmtDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(Math.round(s % 60)).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

export function fmtBytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '–';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

/** A start time in the user's own time zone: "26 Nov, 01:10". */
export function fmtWhen(iso: string | null | undefined): string {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

export type RunStatus = RunIndexEntry['status'];

/** The cell status colours, reused: green succeeded, red failed / error, blue running, grey incomplete. */
export const STATUS_CLASS: Readonly<Record<RunStatus, string>> = {
  succeeded: 'status-fresh',
  failed: 'status-error',
  error: 'status-error',
  running: 'status-running',
  incomplete: 'status-blocked',
};

export const runDate = (params: Readonly<Record<string, string | number>>): string => String(params['run_date'] ?? '–');

/** The parameters other than the run date, as `name=value` (e.g. a backfill's months=2024-11). */
export const otherParams = (params: Readonly<Record<string, string | number>>): string =>
  Object.entries(params)
    .filter(([k]) => k !== 'run_date')
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
