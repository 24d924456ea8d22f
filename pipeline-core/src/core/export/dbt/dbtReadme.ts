import { carryingStages } from '../../stages/match/openItemsState.js';
import type { ExportContext } from '../exportFile.js';
import { exportParams, RUN_DATE } from '../layout.js';

/** A match stage's open items, when the pipeline carries any: where they live and how to run the dates. */
function carriedRow(ctx: ExportContext): string {
  const stages = carryingStages(ctx.spec).map((s) => s.name);
  if (!stages.length) return '';
  return `| \`models/state/<stage>__open_left.sql\`, \`…__open_right.sql\` | the open items of match stage(s) ${stages.map((s) => `\`${s}\``).join(', ')} per \`run_date\`: incremental models (delete+insert on \`run_date\`). The match stage reads the latest EARLIER run_date's rows from them, so build the dates in order on the same database; building an earlier date again replaces only its rows (it reads the date before it, as the first time; the later dates' rows stay). State lacking a column the stage now needs (built by an earlier version of the pipeline) stops the match model with a compilation error naming the state model and the column: rebuild with \`--full-refresh\` on the first date, then each date in order |
`;
}

export function dbtReadme(ctx: ExportContext, project: string, ruleCount: number): string {
  const params = exportParams(ctx.spec, ctx.params);
  const d = params.find((p) => p.name === RUN_DATE)?.value ?? '2026-01-01';
  const others = params.filter((p) => p.name !== RUN_DATE);
  return `A dbt project for [dbt-duckdb](https://github.com/duckdb/dbt-duckdb): plain dbt models with dbt's
own materializations (\`view\`, \`table\`, \`incremental\`), the raw files as sources read through
\`source()\`, the ${ruleCount} rule(s) as dbt tests at their own severity, rejected rows as models, docs and
lineage. Each model is one relation \`batchbook run\` builds, with the SELECT Batchbook's DuckDB compiler
produces for it, so the dbt run gives the runner's answer; every model reads the ones before it
through \`ref()\`, so \`dbt docs generate\` shows the lineage.

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
| \`models/stages/<stage>/*.sql\` | the models of one stage, one per relation the runner builds for it: \`<stage>__all\` (every row the stage saw, with why it was rejected) or, for a validate stage, \`<stage>__judged\`; the view \`<stage>\` of the rows it keeps (what later stages \`ref()\`); \`<stage>__rejects\`; \`<stage>__stats\` (its counts, read by table rules); an ingest's \`__files\` and \`__errlines\`; a match stage's working tables and its outputs (\`<stage>__matched\` is the relation \`<stage>.matched\`, an alias). An ingest's \`__all\` lists its files in a pre-hook; the models over it number its rows (\`rowid + 1\`, once it is committed). See "What scales" for which are tables |
| \`models/rejects/<stage>__rejected.sql\` | the rows a stage rejected: reason, source file, row, line, raw line, then the row |
| \`models/outputs/<output>.sql\` | what an output stage writes |
| \`models/rules/<stage>__rules.sql\` | the rows a stage's rules are tested on (a validate stage: every row it judged, the rejected ones included). A leaf model: nothing reads it, so a failing error rule skips no stage |
| \`models/schema.yml\` | docs (columns and types) and the row rules as generic tests on the rules models (\`bb_not_null\`, \`bb_unique\`, \`bb_accepted_values\`, \`bb_range\`, \`bb_regex\`, \`bb_relationships\`, \`bb_expression\` in \`macros/batchbook_tests.sql\`) |
| \`tests/<stage>__<rule>.sql\` | table rules (row_count, freshness, reconcile, conservation, open_items_age) as singular tests: Batchbook's own check query |
| \`macros/batchbook_publish.sql\` | the publish step (dbt's \`on-run-end\`) |
${carriedRow(ctx)}
## Rules, exit status and publishing

Each rule is a dbt test named \`<stage>__<rule>\` with the rule's severity: \`dbt build\` fails on
an error-severity rule that fails (\`Failure in test <stage>__<rule>\`, exit 1) and warns on a
warn-severity one. dbt's failure count is the number of failing rows (or groups) \`batchbook run\`
reports. The tests are attached to the leaf \`<stage>__rules\` models, so a failing test skips no
model: every rule is evaluated over the whole day, as Batchbook does before deciding. The rule's
action is in the test's \`meta.batchbook\`; the publish step (\`on-run-end\`) applies it after the build:

1. writes the rule outcomes to \`<output_root>/validation/<run_date>/rules.json\`;
2. writes each stage's rejects to \`<output_root>/rejects/<run_date>/<stage>.parquet\`;
3. writes the curated outputs under \`<output_root>/curated/\` — unless a rule with action \`fail\` failed
   (a warn rule with action fail: dbt warns, exits 0, and nothing is published).

It publishes nothing unless the invocation built every stage and evaluated every rule: run a plain
\`dbt build\`; \`dbt run\` or a \`--select\` builds the models without publishing. The outputs are not
dbt-duckdb \`external\` models because those write when the model builds, before the rules that may
hold every output back have run.

## What scales

dbt-duckdb runs DuckDB on one machine: the project scales as \`batchbook run\` does — every core of
that machine, bounded by DuckDB's \`memory_limit\` and spilling past it to \`temp_directory\` (set
both under \`settings:\` in \`profiles.yml\` for big nights) — and not across machines. The models build
one after another on one dbt thread in one database file.

- **table**: where the runner materialises a relation (Batchbook's plan shape) — an ingest's rows
  (\`<stage>__all\`: the files are parsed once), a stage read by several later stages, aggregates,
  custom SQL, dedupes and steps that stop the run, every \`__stats\` (one row), an ingest's file
  tables, a match stage's working tables.
- **view**: every other relation (a stage read once, a stage's kept rows and rejects, a validate
  stage's \`__judged\` rows, the outputs): DuckDB fuses it into the query that reads it, as the
  runner does.
- **incremental** (delete+insert on \`run_date\`): a match stage's open items, which grow by one set of
  rows per date. The other models, partitioned outputs included, are rebuilt for each \`run_date\`:
  they hold that night's rows only, so a night costs one night, not the history.
- The ingest models read with Batchbook's readers (the source's \`external_location\`): DuckDB's CSV /
  JSON / Parquet scanners stream each file.
- The publish step writes Parquet / CSV (partitioned folders) with DuckDB's COPY, streaming.

## Differences from \`batchbook run\`

No raw landing zone or atomic publish (write to a fresh
\`output_root\`), rejects show \`source_file\` relative to \`input_root\`, and dbt exits 1 (not 3) when an
error-severity rule fails. The models build in the database's \`main\` schema. The source
\`raw.<name>\` reads the file list its ingest model's pre-hook sets (a DuckDB session variable): it is
for the ingest models; to look at the raw files ad hoc, read \`meta.path\` with DuckDB directly.
`;
}
