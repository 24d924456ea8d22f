import { spawn } from 'node:child_process';
import { readdir, readlink, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { makeProject, readRows, REPO_ROOT } from '../testing/fixtures.js';

/**
 * Test support for the commit and concurrency tests: a tiny project whose expected outputs are
 * known by hand, and the built CLI run as a child process (as an orchestrator runs it).
 *
 * Each date's file holds three sales of that day: ids d*10+1..3 with amounts 5, 15, 25.
 * `amount >= min` keeps some of them; the others are rejected. `daily` is partitioned by day,
 * `latest` is one CSV (the last run's rows).
 */
export const CLI = join(REPO_ROOT, 'pipeline-core', 'bin', 'batchbook.js');
export const AMOUNTS = [5, 15, 25] as const;

export function tinySpec(min: number): string {
  return `version: 1
name: tiny
sources:
  sales:
    format: csv
    path: sales_{run_date}.csv
    schema:
      - { name: id, type: integer }
      - { name: day, type: string }
      - { name: amount, type: integer }
stages:
  - { name: raw, kind: ingest, source: sales }
  - name: clean
    kind: cleanse
    input: raw
    steps:
      - { step: filter, expr: "amount >= ${min}", on_false: reject }
  - { name: daily, kind: output, input: clean, format: parquet, path: daily, partition_by: [day] }
  - { name: latest, kind: output, input: clean, format: csv, path: latest }
`;
}

/** 2026-01-01 + i days. */
export const dateOf = (i: number) => new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10);

export function salesCsv(i: number): string {
  return `id,day,amount\n${AMOUNTS.map((a, k) => `${i * 10 + k + 1},${dateOf(i)},${a}`).join('\n')}\n`;
}

/** The hand derivation: which ids of day i are kept and which rejected at threshold `min`. */
export function expectedIds(i: number, min: number): { kept: number[]; rejected: number[] } {
  const ids = AMOUNTS.map((a, k) => ({ id: i * 10 + k + 1, a }));
  return { kept: ids.filter((x) => x.a >= min).map((x) => x.id), rejected: ids.filter((x) => x.a < min).map((x) => x.id) };
}

export function makeTinyProject(days: readonly number[], min: number): Promise<string> {
  return makeProject(tinySpec(min), Object.fromEntries(days.map((i) => [`sales_${dateOf(i)}.csv`, salesCsv(i)])));
}

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function cli(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

export function runTiny(dir: string, day: number, env: Record<string, string> = {}): Promise<CliResult> {
  return cli(['run', dir, '--param', `run_date=${dateOf(day)}`, '--threads', '1', '--memory-limit', '512MB'], env);
}

const exists = (p: string) => stat(p).then(() => true, () => false);

/** Sorted ids in a published parquet glob or CSV file; [] when it is not there. */
export async function ids(pathOrGlob: string, whenPresent: string): Promise<number[]> {
  if (!(await exists(whenPresent))) return [];
  return (await readRows(pathOrGlob, 'id')).map((r) => Number(r['id']));
}

/** Symbolic links under `dir` (not inside the hidden folders) that resolve to nothing. */
export async function danglingLinks(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = join(dir, e.name);
    if (e.isSymbolicLink() && !(await exists(p))) out.push(`${p} -> ${await readlink(p)}`);
    else if (e.isDirectory()) out.push(...(await danglingLinks(p)));
  }
  return out;
}
