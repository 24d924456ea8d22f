import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NodeDuckdbEngine } from '../duckdb/nodeEngine.js';
import { openProject } from '../project/project.js';
import { runPipeline, type RunEvent } from '../runner/run.js';
import type { RunReport } from '../runner/report.js';

/** Test support: throwaway projects in temp folders, and running them. Not used by the product. */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const SAMPLES = join(REPO_ROOT, 'samples');

export async function tempDir(prefix = 'bb-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** A project folder holding pipeline.yaml and the given inbox files (paths relative to data/). */
export async function makeProject(specYaml: string, files: Readonly<Record<string, string | Uint8Array>> = {}): Promise<string> {
  const dir = await tempDir('bb-project-');
  await writeFile(join(dir, 'pipeline.yaml'), specYaml);
  for (const [rel, content] of Object.entries(files)) {
    const p = join(dir, 'data', rel);
    await mkdir(dirname(p), { recursive: true });
    await writeFile(p, content);
  }
  return dir;
}

/** A copy of a sample project (so tests never write into the repository). */
export async function copySample(name: string): Promise<string> {
  const dir = await tempDir(`bb-${name}-`);
  await cp(join(SAMPLES, name, 'pipeline.yaml'), join(dir, 'pipeline.yaml'));
  await cp(join(SAMPLES, name, 'data'), join(dir, 'data'), { recursive: true });
  return dir;
}

export async function runProject(
  dir: string,
  params: Record<string, string> = {},
  extra: { lake?: string; replay?: boolean; onEvent?: (e: RunEvent) => void; now?: () => Date } = {},
): Promise<RunReport> {
  const project = await openProject(dir);
  if (!project.loaded.spec) throw new Error(`invalid spec: ${JSON.stringify(project.loaded.diagnostics, null, 2)}`);
  return runPipeline({
    spec: project.loaded.spec,
    specText: project.specText,
    projectDir: project.dir,
    inbox: project.inbox,
    lake: extra.lake ?? join(dir, 'lake'),
    params,
    threads: 2,
    memoryLimit: '1GB',
    ...extra,
  });
}

/** Reads a parquet / csv file (or glob) with a fresh DuckDB, for assertions. */
export async function readRows(pathOrGlob: string, orderBy = 'ALL'): Promise<Record<string, unknown>[]> {
  const engine = await NodeDuckdbEngine.open();
  try {
    const reader = pathOrGlob.endsWith('.csv') ? `read_csv('${pathOrGlob}', header = true, all_varchar = true)` : `read_parquet('${pathOrGlob}')`;
    return await engine.query(`SELECT * FROM ${reader} ORDER BY ${orderBy}`);
  } finally {
    engine.close();
  }
}

export async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T;
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
