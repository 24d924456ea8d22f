import { exportPipeline } from '../exportPipeline.js';
import type { ExportRefusal } from '../refusal.js';
import { EXPORT_TARGETS, type ExportTarget } from '../targets.js';
import { loadSpec } from '../../spec/load.js';
import { stringify } from 'yaml';
import { exportConstructs, GROUP_TITLES, type Construct, type ConstructGroup } from './constructs.js';
import { probesFor, syntheticSourceRelation, type Probe } from './probes.js';

/**
 * The support matrix: every construct (constructs.ts) × every export target, worked out by
 * compiling each construct's probe pipelines (probes.ts) with the targets' own code — what a
 * target writes is supported, what it refuses is refused with its own reason, what it flags is
 * "check manually". Nothing here says what a target supports; it asks the target. The generated
 * table is docs/export-support.md (supportMatrix.test.ts fails when it is stale).
 */
export type Support =
  | { readonly status: 'supported' }
  | { readonly status: 'refused' | 'check'; readonly reason: string }
  | { readonly status: 'partly'; readonly reason: string };

export interface MatrixRow {
  readonly construct: Construct;
  readonly cells: { readonly [T in ExportTarget]: Support };
}

interface ProbeOutcome {
  readonly label: string;
  readonly refusals: readonly ExportRefusal[];
  readonly flags: readonly string[];
}

function refusalText(r: ExportRefusal): string {
  // an orchestrating target repeats the refusal of the target it runs; the other column has it
  const detail = r.detail?.replace(/^(the \w+ export is refused): .*$/, '$1');
  return `${r.construct}${detail ? ` (${detail})` : ''}`;
}

/** What each target does with a probe; undefined when the spec itself refuses the probe (no target sees it). */
function outcomes(probe: Probe): Map<ExportTarget, ProbeOutcome> | undefined {
  const text = stringify(probe.spec);
  const loaded = loadSpec(text);
  if (!loaded.spec || loaded.diagnostics.some((d) => d.severity === 'error')) return undefined;
  const spec = loaded.spec;
  const out = new Map<ExportTarget, ProbeOutcome>();
  for (const target of EXPORT_TARGETS) {
    const result = exportPipeline({ spec, specText: text, toolVersion: 'matrix' }, { target, duckdbSources: syntheticSourceRelation(spec) });
    out.set(target, { label: probe.label, refusals: result.refusals.filter((r) => r.target === target), flags: result.flags.filter((f) => f.target === target).map((f) => f.message) });
  }
  return out;
}

function cell(results: readonly ProbeOutcome[]): Support {
  const refused = results.filter((r) => r.refusals.length);
  const flagged = results.filter((r) => !r.refusals.length && r.flags.length);
  if (refused.length === results.length) return { status: 'refused', reason: refusalText(refused[0]!.refusals[0]!) };
  if (refused.length) {
    const labels = refused.map((r) => r.label).join(', ');
    return { status: 'partly', reason: `refused ${labels}: ${refusalText(refused[0]!.refusals[0]!)}` };
  }
  if (flagged.length) return { status: 'check', reason: flagged[0]!.flags[0]! };
  return { status: 'supported' };
}

/** Every construct's support on every target. */
export function supportMatrix(): MatrixRow[] {
  return exportConstructs().map((construct) => {
    const probes = probesFor(construct);
    if (!probes.length) throw new Error(`no probe for construct ${construct.id}: add one in probes.ts`);
    // e.g. an inline flag group (?i) is valid in regexp_matches but not in a regex rule's pattern
    const perProbe = probes.map(outcomes).filter((o): o is Map<ExportTarget, ProbeOutcome> => o !== undefined);
    if (!perProbe.length) throw new Error(`no valid probe pipeline for construct ${construct.id}: fix probes.ts`);
    const cells = Object.fromEntries(EXPORT_TARGETS.map((t) => [t, cell(perProbe.map((o) => o.get(t)!))])) as MatrixRow['cells'];
    return { construct, cells };
  });
}

const MARK = { supported: '✓', refused: '✗', check: 'check', partly: 'partly' } as const;

/** docs/export-support.md */
export function renderSupportMatrix(rows: readonly MatrixRow[] = supportMatrix()): string {
  const notes: string[] = [];
  const note = (s: Exclude<Support, { status: 'supported' }>, target: ExportTarget): string => {
    const text = `${target}: ${s.reason}`;
    let i = notes.indexOf(text);
    if (i < 0) i = notes.push(text) - 1;
    return `${MARK[s.status]} [${i + 1}](#note-${i + 1})`;
  };
  const sections = (Object.keys(GROUP_TITLES) as ConstructGroup[]).map((group) => {
    const lines = rows
      .filter((r) => r.construct.group === group)
      .map((r) => `| ${r.construct.label.replaceAll('|', '\\|')} | ${EXPORT_TARGETS.map((t) => (r.cells[t].status === 'supported' ? MARK.supported : note(r.cells[t] as Exclude<Support, { status: 'supported' }>, t))).join(' | ')} |`);
    return `## ${GROUP_TITLES[group]}\n\n| construct | ${EXPORT_TARGETS.join(' | ')} |\n| --- | ${EXPORT_TARGETS.map(() => ':---:').join(' | ')} |\n${lines.join('\n')}\n`;
  });
  return `# Export support matrix

<!-- Generated by renderSupportMatrix() (src/core/export/support/supportMatrix.ts); do not edit.
     Refresh: UPDATE_SUPPORT_DOC=1 npx vitest run src/core/export/support/supportMatrix.test.ts -->

Which constructs each \`batchbook export\` target runs. Every construct the registries list (stage
kinds, cleanse steps and each of their option values, rules with each severity and action, join
types, measures, source formats and CSV options, outputs, the expression syntax and function
catalog, CAST between types, regular-expression syntax, \`parse_date\` format codes) is compiled in
a small probe pipeline by each target's own code, so this table is what the targets do, not what
someone wrote down.

- **✓** the target exports it.
- **✗** the target refuses it: \`batchbook export\` exits 2 naming the construct, the target and the
  stage, and writes nothing for that target. The note gives the target's reason.
- **check** exported, flagged "check manually" in the target's README (custom SQL written for DuckDB).
- **partly** refused in some forms (the note says which), e.g. a function whose argument must be a
  literal on that target.

Airflow orchestrates the Spark job (and the Beam pipeline), so it refuses what Spark refuses.
The conformance suite (\`e2e/engines\`) runs a generated corpus using every construct below through
every engine and checks the results equal \`batchbook run\`: see [export conformance](export-conformance.md).

## What scales, and what a target cannot know

- **Spark** reads CSV, NDJSON and Parquet with Spark's own splittable readers (many tasks per large
  file) and writes with Spark's sharded writers. Not splittable: a JSON-array source and a UTF-16
  CSV (each file is one task). A reject keeps its source file, row and raw record, but its
  **source line is NULL**: a splittable read cannot know the physical line a record starts on (a
  quoted field may span lines), nor the field count of a malformed CSV record (its reason says
  "malformed CSV record"). CSV records spanning lines are not read as one record; \`skip_rows\`
  before a header is refused. See [the Spark export](export-spark.md).
- **Beam** reads Parquet by row group (exact row numbers) and CSV / NDJSON files larger than
  \`--split_mb\` (default 64 MB) in byte ranges, each part on its own worker; smaller text files,
  JSON arrays and UTF-16 files are read whole by one worker, with exact lines. A reject from a
  split text file keeps its **source file and raw record, but source row and line are NULL**, and
  a CSV record there must fit on one line. Joins (and relationship rules) whose other side comes
  from files of at most \`--side_input_mb\` (default 64 MB) look it up as a side input; other
  joins are CoGroupByKeys (one key's rows on one worker). Outputs are written by Beam's sharded
  file sink, a destination per partition folder; each stage's rejects file by one worker.
  Streaming reads file sources once, as side inputs of every window.
- **dbt** (dbt-duckdb) runs the runner's own DuckDB SQL on one machine: it scales as
  \`batchbook run\` does (all cores of that machine, bounded by DuckDB's \`memory_limit\` and spilling
  past it to \`temp_directory\`, both settable in \`profiles.yml\`), not across machines. Each relation
  the runner builds is a plain dbt model with dbt's own materialization: a **table** where the runner
  materialises (an ingest's parsed rows, a stage read by several stages, aggregates, custom SQL,
  dedupes, every \`__stats\`, a match stage's working tables), a **view** where it fuses a stage into
  its reader; the ingest models read the files through \`source()\` (the source's
  \`external_location\` is Batchbook's reader). The models build one after another on one dbt thread
  in one DuckDB database file, each night's models holding that night's rows only (rebuilt per
  \`run_date\`, partitioned outputs included); outputs, rejects and rules.json are written by the
  publish step (on-run-end) with DuckDB's COPY (Parquet or CSV, partitioned folders), only after
  every rule is evaluated. A match stage's open items are **incremental** models (delete+insert on
  \`run_date\`), one set of rows per date: they grow with history until old dates are deleted.

${sections.join('\n')}
## Notes

${notes.map((n, i) => `${i + 1}. <a id="note-${i + 1}"></a>${n.replaceAll('|', '\\|')}`).join('\n')}
`;
}
