import type { ExportContext } from './exportFile.js';
import type { ExportTarget } from './targets.js';

/** provenance.json: enough to reproduce exactly what the analyst saw in the preview. */
export interface Provenance {
  readonly provenance_version: 1;
  readonly pipeline: string;
  readonly target: ExportTarget | 'all';
  readonly tool: { readonly name: 'batchbook'; readonly version: string };
  readonly spec_sha256: string | null;
  readonly params: Readonly<Record<string, string | number>>;
  readonly samples: readonly { readonly source: string; readonly path: string; readonly sha256: string; readonly bytes: number }[];
  /** The preview's validation results (a `batchbook run` on the samples), or null when none ran. */
  readonly preview: ExportContext['preview'] | null;
}

export function provenance(ctx: ExportContext, target: ExportTarget | 'all'): Provenance {
  return {
    provenance_version: 1,
    pipeline: ctx.spec.name,
    target,
    tool: { name: 'batchbook', version: ctx.toolVersion },
    spec_sha256: ctx.specSha256 ?? null,
    params: ctx.params ?? {},
    samples: (ctx.samples ?? []).map((s) => ({ source: s.source, path: s.path, sha256: s.sha256, bytes: s.bytes })),
    preview: ctx.preview ?? null,
  };
}
