import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { glob } from 'tinyglobby';
import { quoteString } from '../../core/compile/sql.js';
import type { ExportContext, PreviewOutcome, SampleFile } from '../../core/export/exportFile.js';
import { exportPipeline, type ExportResult } from '../../core/export/exportPipeline.js';
import { readMarker, shownMarker } from '../../core/export/markers.js';
import type { ExportTarget } from '../../core/export/targets.js';
import { substitutePath, type ParamValues } from '../../core/spec/params.js';
import type { PipelineSpec } from '../../core/spec/schema.js';
import type { SourceRelation } from '../../core/stages/stageModule.js';
import type { Project } from '../project/project.js';
import { sha256File } from '../runner/land.js';
import { runPipeline } from '../runner/run.js';
import { nativeSourceRelation } from '../runner/sourceRelation.js';

export interface ExportProjectOptions {
  readonly project: Project & { loaded: { spec: PipelineSpec } };
  readonly target: ExportTarget | 'all';
  readonly out: string;
  readonly params: ParamValues;
  readonly toolVersion: string;
  /** Run the pipeline on the samples first and record its rule outcomes (default true). */
  readonly preview?: boolean;
}

/** The project's sample files for the given parameters, input-root (inbox) relative. */
export async function sampleFiles(spec: PipelineSpec, params: ParamValues, inbox: string): Promise<SampleFile[]> {
  const out: SampleFile[] = [];
  for (const [name, source] of Object.entries(spec.sources)) {
    const matches = (await glob(substitutePath(source.path, params), { cwd: inbox, onlyFiles: true })).sort();
    for (const rel of matches) {
      const abs = join(inbox, rel);
      out.push({ source: name, path: rel, sha256: await sha256File(abs), bytes: (await stat(abs)).size });
    }
  }
  return out;
}

/**
 * DuckDB reader SQL with path markers: the runner's own reader (sourceRelation.ts), pointed at
 * a sample file so CSV headers are known, then the sample's path swapped for the marker.
 */
export async function markedSourceRelations(spec: PipelineSpec, samples: readonly SampleFile[], inbox: string): Promise<Map<string, SourceRelation>> {
  const out = new Map<string, SourceRelation>();
  for (const [name, source] of Object.entries(spec.sources)) {
    const sample = samples.find((s) => s.source === name);
    const read = readMarker(name);
    const shown = shownMarker(name);
    if (!sample) {
      out.set(name, await nativeSourceRelation(name, source, [read], [shown], false));
      continue;
    }
    const abs = join(inbox, sample.path);
    // no type probe: Parquet columns are read as text, as an export made in the browser reads them
    const rel = await nativeSourceRelation(name, source, [abs], [shown], true);
    const swap = (sql: string) => sql.split(quoteString(abs)).join(quoteString(read));
    out.set(name, { ...rel, sql: swap(rel.sql), ...(rel.readerErrors ? { readerErrors: swap(rel.readerErrors) } : {}) });
  }
  return out;
}

async function preview(opts: ExportProjectOptions): Promise<PreviewOutcome | undefined> {
  const lake = await mkdtemp(join(tmpdir(), 'batchbook-export-preview-'));
  try {
    const { project } = opts;
    const report = await runPipeline({
      spec: project.loaded.spec,
      specText: project.specText,
      projectDir: project.dir,
      inbox: project.inbox,
      lake,
      params: Object.fromEntries(Object.entries(opts.params).map(([k, v]) => [k, String(v)])),
      threads: 2,
    });
    if (report.status === 'error') return undefined;
    return {
      run_id: report.run_id,
      params: report.params,
      exit_code: report.exit_code,
      rules: report.rules.map((r) => ({ stage: r.stage, name: r.name, rule: r.rule, severity: r.severity, action: r.action, status: r.status, failing: r.failing })),
    };
  } finally {
    await rm(lake, { recursive: true, force: true });
  }
}

/** Compiles and writes an export; a refused target writes nothing (see ExportResult.refusals). */
export async function exportProject(opts: ExportProjectOptions): Promise<ExportResult> {
  const { project } = opts;
  const spec = project.loaded.spec;
  const samples = await sampleFiles(spec, opts.params, project.inbox).catch(() => []);
  const relations = await markedSourceRelations(spec, samples, project.inbox);
  const ctx: ExportContext = {
    spec,
    specText: project.specText,
    toolVersion: opts.toolVersion,
    specSha256: createHash('sha256').update(project.specText).digest('hex'),
    samples,
    params: opts.params,
    ...(opts.preview === false || samples.length === 0 ? {} : await preview(opts).then((p) => (p ? { preview: p } : {}))),
  };
  const result = exportPipeline(ctx, {
    target: opts.target,
    duckdbSources: (name) => {
      const r = relations.get(name);
      if (!r) throw new Error(`unknown source ${name}`);
      return r;
    },
  });
  await writeExport(opts.out, result);
  return result;
}

/**
 * Writes the files under `out`, replacing each written target's folder and removing each refused
 * one's: a folder left from an earlier export would be taken for this export's (and a DAG could
 * point at it).
 */
export async function writeExport(out: string, result: Pick<ExportResult, 'written' | 'files'> & { readonly refused?: readonly ExportTarget[] }): Promise<void> {
  const root = resolve(out);
  for (const t of [...result.written, ...(result.refused ?? [])]) await rm(join(root, t), { recursive: true, force: true });
  for (const f of result.files) {
    const file = join(root, ...f.path.split('/'));
    if (!file.startsWith(root)) throw new Error(`export path escapes the output folder: ${f.path}`);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, f.content);
    if (f.executable) await chmod(file, 0o755);
  }
}
