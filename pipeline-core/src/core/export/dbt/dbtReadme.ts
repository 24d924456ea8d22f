import { carryingStages } from '../../stages/match/openItemsState.js';
import type { ExportContext } from '../exportFile.js';
import { exportParams, RUN_DATE } from '../layout.js';

/** A match stage's open items, when the pipeline carries any: where they live and how to run the dates. */
function carriedRow(ctx: ExportContext): string {
  const stages = carryingStages(ctx.spec).map((s) => s.name);
  if (!stages.length) return '';
  return `| \`models/state/<stage>__open_left.sql\`, \`…__open_right.sql\` | the open items of match stage(s) ${stages.map((s) => `\`${s}\``).join(', ')} per \`run_date\`: incremental models (delete+insert on \`run_date\`). The match stage reads the latest EARLIER run_date's rows from them, so build the dates in order on the same database; building a date again replaces only its rows |
`;
}

export function dbtReadme(ctx: ExportContext, project: string, ruleCount: number): string {
  const params = exportParams(ctx.spec, ctx.params);
  const d = params.find((p) => p.name === RUN_DATE)?.value ?? '2026-01-01';
  const others = params.filter((p) => p.name !== RUN_DATE);
  return `A dbt project for [dbt-duckdb](https://github.com/duckdb/dbt-duckdb): one model per stage, the raw
files as sources, the validate stages' ${ruleCount} rule(s) as tests, rejected rows as models, docs
and lineage. Each stage model holds the statements Batchbook's DuckDB compiler produces for that
stage — the SQL \`batchbook run\` executes — so the dbt run gives the runner's answer.

## Run

\`\`\`sh
pip install dbt-core==1.10.13 dbt-duckdb==1.10.0      # dbt 1.10+
cd dbt                                               # this folder
dbt build --profiles-dir . --vars '{run_date: "${d}", input_root: /path/to/inbox, output_root: /path/to/out}'
dbt docs generate --profiles-dir . && dbt docs serve --profiles-dir .   # lineage and docs
\`\`\`

Variables (\`--vars\`): \`run_date\` (default \`${d}\`), \`input_root\` (the raw files in the project's inbox
layout, default \`data\`), \`output_root\` (default \`out\`)${others.length ? `, ${others.map((p) => `\`${p.name}\``).join(', ')}` : ''}. Relative paths are relative to
the folder dbt runs in. Integer parameters are fixed at their exported values. The DuckDB database
is \`${project}.duckdb\` in the folder dbt runs in (\`BATCHBOOK_DBT_DATABASE\` overrides it); it holds
every stage's tables for inspection after the run.

## What is where

| path | what |
| --- | --- |
| \`models/sources.yml\` | the raw files (source \`raw\`), with their pinned columns |
| \`models/stages/<stage>.sql\` | one model per stage (materialization \`batchbook_stage\`: runs the stage's statements in order; the model's relation is the view \`<stage>\`) |
| \`models/rejects/<stage>__rejected.sql\` | the rows a stage rejected: reason, source file, row, line, raw line, then the row |
| \`models/outputs/<output>.sql\` | what an output stage writes |
| \`models/schema.yml\` | docs (columns and types) and the row rules as generic tests (\`bb_not_null\`, \`bb_unique\`, \`bb_accepted_values\`, \`bb_range\`, \`bb_regex\`, \`bb_relationships\`, \`bb_expression\` in \`macros/batchbook_tests.sql\`) |
| \`tests/<stage>__<rule>.sql\` | table rules (row_count, freshness, reconcile, conservation) as singular tests: Batchbook's own check query |
| \`macros/batchbook_publish.sql\` | the publish step (dbt's \`on-run-end\`) |
${carriedRow(ctx)}
## Rules, exit status and publishing

dbt's failure count of each rule test is the number of failing rows (or groups) \`batchbook run\`
reports for the rule. Every rule test runs at dbt severity \`warn\`, because dbt skips everything
downstream of a failing error test, while Batchbook evaluates every rule over the whole day before
deciding. The rule's own severity and action are in the test's \`meta.batchbook\`, and the publish
step (\`on-run-end\`) applies them after the build:

1. writes the rule outcomes to \`<output_root>/validation/<run_date>/rules.json\`;
2. writes each stage's rejects to \`<output_root>/rejects/<run_date>/<stage>.parquet\`;
3. writes the curated outputs under \`<output_root>/curated/\` — unless a rule with action \`fail\` failed;
4. fails (dbt exits 1) when a rule with severity \`error\` failed, naming it.

It publishes nothing unless the invocation built every stage and evaluated every rule: run a plain
\`dbt build\`; \`dbt run\` or a \`--select\` builds the models without publishing.

Differences from \`batchbook run\`: no raw landing zone or atomic publish (write to a fresh
\`output_root\`), rejects show \`source_file\` relative to \`input_root\`, and dbt exits 1 (not 3) when an
error-severity rule fails. The stage models build in the database's \`main\` schema (they read each
other by name, as in the runner) on one dbt thread.
`;
}
