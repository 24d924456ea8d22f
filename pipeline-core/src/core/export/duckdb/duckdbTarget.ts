import { compileDuckdbPlan, DUCKDB_NATIVE_PRELUDE, type DuckdbPlan } from '../../compile/duckdb/plan.js';
import { rejectsQuery } from '../../compile/duckdb/rejects.js';
import { quoteIdent, quoteString } from '../../compile/sql.js';
import type { PipelineSpec } from '../../spec/schema.js';
import { carryingStages } from '../../stages/match/openItemsState.js';
import type { OpenItems, SourceRelation } from '../../stages/stageModule.js';
import type { ExportContext, ExportFile } from '../exportFile.js';
import { exportParams, RUN_DATE } from '../layout.js';
import { paramMarker, replaceMarkers, rewriteSqlMarkers, type Marker } from '../markers.js';
import type { TargetResult } from '../targetResult.js';
import { scriptCarriedStatements, scriptOpenItems, scriptStateWrites, stateDirTemplates } from './scriptOpenItems.js';
import { listedIngest, listedSourceRelation } from './sourceFiles.js';

/** How the DuckDB reader SQL of a source is made; the node side supplies it (it reads CSV headers). */
export type MarkedSourceRelation = (source: string) => SourceRelation;

/**
 * Compiles the plan with markers in place of the run-time values (see markers.ts); each source
 * reads the files its path matches when the exported plan runs (sourceFiles.ts). Its file list
 * lives in a session variable, so a plan whose stages run in separate sessions (dbt) reads every
 * source into a table (`sourceTables`); the script, one session, reads Parquet where it is used.
 */
export function markedDuckdbPlan(spec: PipelineSpec, sourceRelation: MarkedSourceRelation, sourceTables = false, openItems?: (stage: string) => OpenItems | undefined): DuckdbPlan {
  const params: Record<string, string | number> = {};
  for (const p of exportParams(spec)) {
    // An integer parameter cannot carry a marker through duckdbLiteral; it is fixed at its default.
    params[p.name] = p.type === 'integer' ? Number(p.value ?? 0) : paramMarker(p.name);
  }
  const plan = compileDuckdbPlan(spec, { params, sourceRelation: (source) => listedSourceRelation(source, sourceRelation(source)), sourceTables, ...(openItems ? { openItems } : {}) });
  return { ...plan, stages: plan.stages.map(listedIngest) };
}

const RULE_COLUMNS = ['stage', 'name', 'rule', 'severity', 'action'];
const v = (name: string) => `getvariable(${quoteString(name)})`;

function renderDuckdb(spec: PipelineSpec): (m: Marker) => string {
  return (m) => {
    if (m.kind === 'param') return v(m.name);
    const source = spec.sources[m.source];
    if (!source) throw new Error(`unknown source ${m.source}`);
    const rel = pathExpr(source.path);
    return m.kind === 'read' ? `${v('input_root')} || '/' || ${rel}` : rel;
  };
}

/** A {param} path template as a DuckDB string expression. */
function pathExpr(template: string): string {
  const parts = template.split(/\{([^}]*)\}/);
  return parts.map((p, i) => (i % 2 === 1 ? v(p) : quoteString(p))).filter((p) => p !== "''").join(' || ') || "''";
}

function statement(sql: string, render: (m: Marker) => string): string {
  return `${rewriteSqlMarkers(sql, render).trim()};`;
}

/**
 * The standalone DuckDB script: the same compiled plan the runner executes, reading from
 * `input_root` and writing the run contract under `output_root` (see layout.ts).
 */
export function duckdbScript(ctx: ExportContext, sourceRelation: MarkedSourceRelation): string {
  const spec = ctx.spec;
  const plan = markedDuckdbPlan(spec, sourceRelation, false, scriptOpenItems(spec));
  const schemaOf = (ref: string) => plan.schemas.get(ref) ?? [];
  const carrying = new Set(carryingStages(spec).map((s) => s.name));
  const render = renderDuckdb(spec);
  const out: string[] = [];
  const defaults = exportParams(spec, ctx.params);
  out.push(`-- ${spec.name}: DuckDB script exported by Batchbook ${ctx.toolVersion}. Generated: edit pipeline.yaml, not this file.`);
  out.push('-- Variables (set them before reading this script to override the defaults):');
  for (const p of [...defaults.map((d) => ({ name: d.name, value: d.value ?? '' })), { name: 'input_root', value: 'data' }, { name: 'output_root', value: 'out' }]) {
    out.push(`SET VARIABLE ${p.name} = coalesce(${v(p.name)}, ${quoteString(p.value)});`);
  }
  // memory bounded, spilling beside the outputs (as batchbook run does under its lake)
  out.push(`SET VARIABLE bb_memory_limit = coalesce(${v('bb_memory_limit')}, '2GB');`, `SET memory_limit = ${v('bb_memory_limit')};`, `SET temp_directory = ${v('output_root')} || '/.tmp';`);
  out.push(...DUCKDB_NATIVE_PRELUDE.map((s) => `${s};`));
  const rules: string[] = [];
  for (const p of plan.stages) {
    out.push('', `-- ── ${p.stage.name} (${p.stage.kind})`);
    if (p.stage.kind === 'match' && carrying.has(p.stage.name)) {
      out.push('-- the open items of the latest earlier run date under output_root/state (see scriptOpenItems.ts)');
      out.push(...scriptCarriedStatements(p.stage, schemaOf).map((s) => `${s};`));
    }
    for (const s of p.compiled.statements) out.push(statement(s, render));
    for (const r of p.compiled.rules ?? []) {
      rules.push(
        `SELECT ${[p.stage.name, r.name, r.rule.rule, r.rule.severity, r.rule.action].map((x, i) => `${quoteString(x)} AS ${RULE_COLUMNS[i]}`).join(', ')}, (${r.check}) AS failing`,
      );
    }
  }
  const runDate = v(RUN_DATE);
  const outRoot = v('output_root');
  out.push('', '-- ── validation results, rejects, outputs');
  out.push(
    statement(
      `CREATE OR REPLACE TABLE _bb_rules AS\nSELECT stage, name, rule, severity, action, CASE WHEN failing > 0 THEN 'fail' ELSE 'pass' END AS status, failing FROM (\n${rules.length ? rules.join('\nUNION ALL\n') : "SELECT '' AS stage, '' AS name, '' AS rule, '' AS severity, '' AS action, 0 AS failing WHERE FALSE"}\n) r`,
      render,
    ),
  );
  out.push(`COPY (SELECT * FROM _bb_rules) TO (${outRoot} || '/validation/' || ${runDate} || '/rules.json') (FORMAT json);`);
  // the one result the script prints: each rule's outcome (checks below are silent unless they stop the run)
  out.push(`SELECT stage, name, rule, severity, action, status, failing FROM _bb_rules ORDER BY status, stage, name;`);
  for (const p of plan.stages.filter((x) => x.compiled.hasRejects)) {
    out.push(statement(`COPY (${rejectsQuery(plan, p.stage.name)}) TO (${outRoot} || '/rejects/' || ${runDate} || ${quoteString(`/${p.stage.name}.parquet`)}) (FORMAT parquet)`, render));
  }
  out.push(
    // the gate says whether an error-severity rule failed too: run.sh turns the message into the
    // runner's exit status (0 when only warn-severity rules stopped the outputs, 3 otherwise)
    "SET VARIABLE _bb_gate = (SELECT CASE WHEN count(*) FILTER (WHERE action = 'fail') > 0 THEN error('outputs not published: rule(s) with action fail failed: ' || string_agg(stage || '.' || name, ', ') FILTER (WHERE action = 'fail') || CASE WHEN count(*) FILTER (WHERE severity = 'error') > 0 THEN '; error-severity rule(s) failed: ' || string_agg(stage || '.' || name, ', ') FILTER (WHERE severity = 'error') ELSE '' END) END FROM _bb_rules WHERE status = 'fail');",
  );
  for (const p of plan.stages) {
    const w = p.compiled.write;
    if (!w) continue;
    const dir = `(${outRoot} || '/curated/' || ${pathExpr(replaceMarkers(w.path, (m) => (m.kind === 'param' ? `{${m.name}}` : '')))})`;
    const fmt = w.format === 'parquet' ? 'FORMAT parquet' : 'FORMAT csv, HEADER true';
    out.push(
      w.partitionBy.length
        ? statement(`COPY (${w.select}) TO ${dir} (${fmt}, PARTITION_BY (${w.partitionBy.map(quoteIdent).join(', ')}), OVERWRITE_OR_IGNORE true)`, render)
        : statement(`COPY (${w.select}) TO (${dir} || '/data.${w.format}') (${fmt})`, render),
    );
  }
  // the open items are published with the outputs, as batchbook run publishes its state
  out.push(...scriptStateWrites(spec, schemaOf).map((s) => statement(s, render)));
  out.push(
    "SET VARIABLE _bb_gate = (SELECT CASE WHEN count(*) > 0 THEN error('error-severity rule(s) failed: ' || string_agg(stage || '.' || name, ', ')) END FROM _bb_rules WHERE status = 'fail' AND severity = 'error');",
  );
  return `${out.join('\n')}\n`;
}

/** Folders the script writes into (DuckDB's COPY does not create parent folders). */
export function duckdbOutputDirs(spec: PipelineSpec): string[] {
  const dirs = ['validation/{run_date}', 'rejects/{run_date}', ...stateDirTemplates(spec)];
  for (const s of spec.stages) if (s.kind === 'output') dirs.push(`curated/${s.path}`);
  return dirs;
}

function runScript(spec: PipelineSpec, ctx: ExportContext): string {
  const params = exportParams(spec, ctx.params);
  const shellPath = (t: string) => t.replace(/\{([^}]*)\}/g, (_w, n: string) => `\${${n.toUpperCase()}}`);
  return `#!/usr/bin/env bash
# Runs the exported DuckDB script with the DuckDB CLI (https://duckdb.org/docs/installation).
# Usage: ./run.sh [run_date] [input_root] [output_root]
set -euo pipefail
cd "$(dirname "$0")"
${params.map((p) => (p.name === RUN_DATE ? `RUN_DATE="\${1:-${p.value ?? ''}}"` : `${p.name.toUpperCase()}="\${${p.name.toUpperCase()}:-${p.value ?? ''}}"`)).join('\n')}
INPUT_ROOT="\${2:-data}"
OUTPUT_ROOT="\${3:-out}"
${duckdbOutputDirs(spec).map((d) => `mkdir -p "$OUTPUT_ROOT/${shellPath(d)}"`).join('\n')}
# Exit status as batchbook run's: 3 when an error-severity rule failed, 0 when the outputs were
# held back only by warn-severity rules with action fail, 1 on any other error.
errors="$(mktemp)"
trap 'rm -f "$errors"' EXIT
status=0
duckdb -bail \\
${params.map((p) => `  -cmd "SET VARIABLE ${p.name} = '\${${p.name.toUpperCase()}}'" \\`).join('\n')}
  -cmd "SET VARIABLE input_root = '$INPUT_ROOT'" \\
  -cmd "SET VARIABLE output_root = '$OUTPUT_ROOT'" \\
  -cmd "SET VARIABLE bb_memory_limit = '\${MEMORY_LIMIT:-2GB}'" \\
  < pipeline.sql 2> "$errors" || status=$?
cat "$errors" >&2
if [ "$status" -ne 0 ]; then
  if grep -q "error-severity rule(s) failed" "$errors"; then exit 3; fi
  if grep -q "outputs not published: rule(s) with action fail failed" "$errors"; then exit 0; fi
  exit 1
fi
`;
}

export function duckdbTarget(ctx: ExportContext, sourceRelation: MarkedSourceRelation | undefined): TargetResult {
  if (!sourceRelation) throw new Error('the duckdb export needs the source readers (exportPipeline option duckdbSources)');
  const files: ExportFile[] = [
    { path: 'pipeline.yaml', content: ctx.specText },
    { path: 'pipeline.sql', content: duckdbScript(ctx, sourceRelation) },
    { path: 'run.sh', content: runScript(ctx.spec, ctx), executable: true },
  ];
  return { files, refusals: [], flags: [], readme: duckdbReadme(ctx) };
}

/** What a user of a pipeline with a carrying match stage must know: the state lives beside the outputs. */
function carriedNote(spec: PipelineSpec): string {
  const stages = carryingStages(spec).map((s) => `\`${s.name}\``);
  if (!stages.length) return '';
  return `
Match stage ${stages.join(', ')} carries its open items across run dates as \`batchbook run\` does: each run
writes them to \`<output_root>/state/<stage>/run_date=<date>/open_left.parquet\` and \`open_right.parquet\`
and reads those of the latest EARLIER date found there (never a later one). Run the dates in order
into the same \`output_root\`; re-running an earlier date reproduces its outputs, and the later dates
then need re-running if its open items changed.
`;
}

function duckdbReadme(ctx: ExportContext): string {
  const d = exportParams(ctx.spec, ctx.params).find((p) => p.name === RUN_DATE)?.value ?? '2026-01-01';
  return `The embedded default: the pinned spec, runnable by Batchbook's own runner, and the same compiled
plan as a standalone SQL script for the DuckDB CLI.

## Run with Batchbook (landing, atomic publish, run report)

\`\`\`sh
batchbook run . --param run_date=${d}     # reads ./data (the inbox), writes ./lake
\`\`\`

Copy the raw files into \`data/\` beside \`pipeline.yaml\` first (the same layout as the project's inbox).

## Run with the DuckDB CLI

\`\`\`sh
./run.sh ${d} /path/to/input_root /path/to/output_root
\`\`\`

\`run.sh\` creates the output folders (DuckDB's COPY does not) and runs \`pipeline.sql\` with the
variables \`run_date\`, \`input_root\` and \`output_root\`. From any DuckDB client:
\`SET VARIABLE run_date = '${d}'; SET VARIABLE input_root = '…'; SET VARIABLE output_root = '…';\`
then execute \`pipeline.sql\`. DuckDB's memory is limited to 2 GB (\`MEMORY_LIMIT=8GB ./run.sh …\`, or the
variable \`bb_memory_limit\`), spilling to \`<output_root>/.tmp\`. The script prints one table, each
rule's outcome; its other checks are silent unless they stop the run. The script stops with an error when a rule with action \`fail\` fails
(before the outputs are written) or when an error-severity rule fails; \`run.sh\` turns that into
\`batchbook run\`'s exit status: 3 when an error-severity rule failed, 0 when only warn-severity rules
held the outputs back, 1 on any other error.
Integer parameters are fixed at their values when the script was exported.
${carriedNote(ctx.spec)}
Differences from \`batchbook run\`: no raw landing zone or atomic publish (write to a fresh
\`output_root\`, or the same one date after date when a match stage carries open items), and rejects show \`source_file\` relative to \`input_root\`. Each source reads the
files its path (a glob) matches when the script runs, in name order, and stops when none match.
`;
}
