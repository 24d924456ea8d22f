import type { ExportContext, ExportFile } from './exportFile.js';
import { contributedFiles } from './contributors.js';
import { provenance } from './provenance.js';
import { formatRefusal, mergeRefusals, type ExportFlag, type ExportRefusal } from './refusal.js';
import { scanRefusals, stepRefusals } from './refusalScan.js';
import { EXPORT_TARGETS, type ExportTarget } from './targets.js';
import type { TargetResult } from './targetResult.js';
import { duckdbTarget, type MarkedSourceRelation } from './duckdb/duckdbTarget.js';
import { TARGET_TITLES, TARGET_GENERATORS } from './targetGenerators.js';

export interface ExportOptions {
  /** One target, or every target ('all': also the contributors' files and a top-level README). */
  readonly target: ExportTarget | 'all';
  /**
   * DuckDB reader SQL per source with the read/shown path markers (markers.ts) in place of
   * file paths; needed by the duckdb and dbt targets. The node side builds it from the samples.
   */
  readonly duckdbSources?: MarkedSourceRelation;
}

export interface ExportResult {
  /** Paths are relative to --out: '<target>/…' per target, plus top-level files for 'all'. */
  readonly files: readonly ExportFile[];
  readonly refusals: readonly ExportRefusal[];
  readonly flags: readonly ExportFlag[];
  /** Targets written (a refused target writes nothing). */
  readonly written: readonly ExportTarget[];
  /** Targets requested but refused: their folder from an earlier export is removed, never left stale. */
  readonly refused: readonly ExportTarget[];
}

/**
 * Compiles the spec for each requested target. A target with any refusal is left out whole:
 * an export either runs faithfully or is refused with the construct, target and stage named —
 * every refused construct at once (the compiler's first per stage, completed by a scan of the
 * whole spec), so one export round shows all there is to fix.
 */
export function exportPipeline(ctx: ExportContext, opts: ExportOptions): ExportResult {
  const targets = opts.target === 'all' ? [...EXPORT_TARGETS] : [opts.target];
  const files: ExportFile[] = [];
  const refusals: ExportRefusal[] = [];
  const flags: ExportFlag[] = [];
  const written: ExportTarget[] = [];
  const refused: ExportTarget[] = [];
  for (const t of targets) {
    const result = t === 'duckdb' ? duckdbTarget(ctx, opts.duckdbSources) : TARGET_GENERATORS[t](ctx, opts);
    flags.push(...result.flags);
    if (result.refusals.length) {
      refusals.push(...mergeRefusals(ctx.spec.stages.map((s) => s.name), result.refusals, completeRefusals(ctx, opts, t)));
      refused.push(t);
      continue;
    }
    written.push(t);
    const inner = [
      ...result.files,
      ...contributedFiles(ctx, t),
      { path: 'README.md', content: targetReadme(ctx, t, result) },
      { path: 'provenance.json', content: `${JSON.stringify(provenance(ctx, t), null, 2)}\n` },
    ];
    files.push(...inner.map((f) => ({ ...f, path: `${t}/${f.path}` })));
  }
  if (opts.target === 'all') {
    files.push(...contributedFiles(ctx, 'all'));
    files.push({ path: 'README.md', content: topReadme(ctx, written, refusals) });
    files.push({ path: 'provenance.json', content: `${JSON.stringify(provenance(ctx, 'all'), null, 2)}\n` });
  }
  return { files, refusals, flags, written, refused };
}

/** What the scans find beyond a compiler's first refusal per stage (refusalScan.ts). */
function completeRefusals(ctx: ExportContext, opts: ExportOptions, t: ExportTarget): ExportRefusal[] {
  const scanned = scanRefusals(ctx.spec, t);
  if (t !== 'spark' && t !== 'beam') return scanned;
  return [...scanned, ...stepRefusals(ctx.spec, (spec) => TARGET_GENERATORS[t]({ ...ctx, spec }, opts).refusals)];
}

function targetReadme(ctx: ExportContext, target: ExportTarget, result: TargetResult): string {
  const flags = result.flags.length
    ? `\n## Check manually\n\n${result.flags.map((f) => `- stage \`${f.stage}\`: ${f.message}`).join('\n')}\n`
    : '';
  return `# ${ctx.spec.name} — ${TARGET_TITLES[target]} export

Exported by Batchbook ${ctx.toolVersion} from \`pipeline.yaml\`${ctx.specSha256 ? ` (sha256 \`${ctx.specSha256.slice(0, 12)}…\`)` : ''}.
Generated files: change the pipeline in Batchbook and export again rather than editing them.
\`provenance.json\` holds the spec's hash, the tool version, the sample files' hashes and the
validation results the analyst saw in the preview.

${result.readme.trim()}
${flags}
## What the run writes (the same for every Batchbook export)

| where | what |
| --- | --- |
| \`<output_root>/curated/<output path>/\` | curated outputs (\`col=value/\` folders when partitioned) |
| \`<output_root>/rejects/<run_date>/<stage>…\` | rejected rows: \`source_name, source_file, source_row, source_line, reject_reason, raw_line\`, then the row |
| \`<output_root>/validation/<run_date>/\` | one JSON object per rule: \`stage, name, rule, severity, action, status, failing\` |

Outputs are not written when a rule with action \`fail\` fails; the run exits non-zero when an
error-severity rule fails.
`;
}

function topReadme(ctx: ExportContext, written: readonly ExportTarget[], refusals: readonly ExportRefusal[]): string {
  return `# ${ctx.spec.name} — exports

${written.map((t) => `- [\`${t}/\`](${t}/README.md): ${TARGET_TITLES[t]}`).join('\n')}
${refusals.length ? `\nNot exported:\n\n${refusals.map((r) => `- ${formatRefusal(r)}`).join('\n')}\n` : ''}
Every folder has a README (how to run it) and a \`provenance.json\`.
`;
}
