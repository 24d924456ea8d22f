import { zipSync, strToU8, type Zippable } from 'fflate';
import {
  EXPORT_TARGETS,
  exportPipeline,
  formatDiagnostic,
  loadSpec,
  markedSourceRelations,
  matchFiles,
  registerCostExports,
  registerMonitoringExports,
  resolveParams,
  substitutePath,
  TOOL_VERSION,
  type ExportResult,
  type OpenedProject,
  type PipelineSpec,
  type SampleFile,
  type Source,
} from '@batchbook/pipeline-core';
import type { Host } from '../host/host';

/** What `batchbook export --target all` adds beside the engines' folders; the same registrations as the CLI's. */
registerMonitoringExports();
registerCostExports();

export type ExportTargetName = (typeof EXPORT_TARGETS)[number];

export interface ZipRequest {
  readonly project: OpenedProject;
  /** The spec's text as it would be saved now. */
  readonly specText: string;
  readonly params: Readonly<Record<string, string>>;
  readonly fallbackRunDate: string;
  /** Every target: exactly `batchbook export --target all`; fewer: those folders only. */
  readonly targets: readonly ExportTargetName[];
  /** cost/report.html and cost/estimate.json (part of the full export). */
  readonly cost: boolean;
}

export interface ZipOutcome {
  readonly zip: Uint8Array;
  readonly fileName: string;
  readonly files: number;
  readonly result: ExportResult;
}

export class ExportError extends Error {}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** A CSV file's first line (its header) from its first 64 KiB, decoded as the source says: what the runner reads. */
function csvHeaderLine(bytes: Uint8Array, encoding: NonNullable<Source['options']>['encoding']): string {
  const label = encoding === 'latin-1' ? 'latin1' : encoding === 'utf-16' ? 'utf-16le' : 'utf-8';
  return new TextDecoder(label).decode(bytes.subarray(0, 64 * 1024)).split(/\r?\n/)[0] ?? '';
}

/** The project's sample files for these parameters, as `batchbook export` lists them (sorted per source). */
function sampleFileNames(spec: PipelineSpec, params: Readonly<Record<string, string | number>>, files: readonly string[]): { source: string; path: string }[] {
  return Object.entries(spec.sources).flatMap(([source, s]) => matchFiles(substitutePath(s.path, params), files).map((path) => ({ source, path })));
}

/**
 * The export in the browser: the same exporters (pipeline-core's `exportPipeline`) over the
 * same inputs the CLI gathers — the spec's text and hash, the sample files' hashes and sizes,
 * each CSV sample's header — zipped with fflate. The one thing it cannot do is `batchbook run` the
 * samples, so provenance.json's `preview` (the rule outcomes of that run) is null, as with
 * `batchbook export --no-preview`.
 */
export async function buildExportZip(host: Host, req: ZipRequest): Promise<ZipOutcome> {
  const loaded = loadSpec(req.specText);
  if (!loaded.spec) throw new ExportError(`pipeline.yaml has problems, fix them first:\n${loaded.diagnostics.map((d) => formatDiagnostic(d)).join('\n')}`);
  const spec = loaded.spec;
  const params = resolveParams(spec, req.params, req.fallbackRunDate);
  const names = sampleFileNames(spec, params, req.project.files);
  const bytes = names.length ? await host.readFiles(req.project.ref, names.map((n) => n.path)) : new Map<string, Uint8Array>();
  const samples: SampleFile[] = [];
  const headers = new Map<string, string>();
  for (const n of names) {
    const data = bytes.get(n.path);
    if (!data) throw new ExportError(`could not read the sample file data/${n.path}`);
    samples.push({ source: n.source, path: n.path, sha256: await sha256Hex(data), bytes: data.byteLength });
    const source = spec.sources[n.source]!;
    if (source.format === 'csv' && !headers.has(n.source)) headers.set(n.source, csvHeaderLine(data, source.options?.encoding));
  }
  const ctx = { spec, specText: req.specText, toolVersion: TOOL_VERSION, specSha256: await sha256Hex(new TextEncoder().encode(req.specText)), samples, params };
  const result = exportPipeline(ctx, { target: 'all', duckdbSources: markedSourceRelations(spec, headers) });
  const everything = EXPORT_TARGETS.every((t) => req.targets.includes(t)) && req.cost;
  const keep = (path: string) => everything || (req.targets as readonly string[]).includes(path.split('/')[0]!) || (req.cost && path.startsWith('cost/'));
  const entries: Zippable = {};
  let files = 0;
  for (const f of result.files) {
    if (!keep(f.path)) continue;
    files++;
    // unix mode bits, so run.sh and the submit scripts stay executable once unzipped
    entries[f.path] = [strToU8(f.content), { os: 3, attrs: ((f.executable ? 0o100755 : 0o100644) << 16) >>> 0 }];
  }
  return { zip: zipSync(entries, { level: 6 }), fileName: `${spec.name}-export.zip`, files, result };
}

/** Hands the zip to the browser as a download. */
export function downloadBytes(bytes: Uint8Array, fileName: string): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/zip' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
