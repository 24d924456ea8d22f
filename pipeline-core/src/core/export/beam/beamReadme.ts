import type { ExportContext } from '../exportFile.js';
import { batchName } from '../spark/sparkTarget.js';
import type { BeamPlan } from './beamPlan.js';

/** The target-specific part of beam/README.md. */
export function beamReadme(ctx: ExportContext, plan: BeamPlan, runDate: string, yamlSection = ''): string {
  const job = batchName(ctx.spec.name);
  const streaming = plan.stages.map(({ stage, compiled }) => `| \`${stage.name}\` | ${stage.kind} | ${compiled.streaming} |`).join('\n');
  return `An Apache Beam **Python** pipeline (\`pipeline.py\`) for the DirectRunner and Dataflow, with the
runtime it imports: \`bb_runtime.py\` (Batchbook's value, expression, cleanse and rule semantics in
plain Python) and \`bb_beam.py\` (the Beam transforms, the writes and the launcher). Python
transforms only: no SqlTransform or YAML Join, so nothing needs a Java expansion service and
nothing is downloaded at run time. Every raw value is read as text and typed the way the
embedded DuckDB runner types it, so bad values become rejects with a reason and their source
file, row and line.

Parameters are pipeline options: \`--input_root\`, \`--output_root\`, \`--run_date\` and
\`--param name=value\` for the others.

## Run locally (DirectRunner)

\`\`\`sh
python3 -m venv .venv && .venv/bin/pip install -r requirements.txt
.venv/bin/python pipeline.py --input_root ../data --output_root ./out --run_date ${runDate} \\
    --direct_num_workers=1
\`\`\`

With the DirectRunner (the default) the launcher runs the pipeline on the DirectRunner's own
in-process batch engine (\`FnApiRunner\`): Beam's DirectRunner would first try to download its
Prism runner from GitHub, and nothing may be downloaded at run time.

## Run on Dataflow

\`\`\`sh
python pipeline.py --runner=DataflowRunner \\
    --project=PROJECT --region=europe-west1 \\
    --temp_location=gs://BUCKET/tmp --staging_location=gs://BUCKET/staging \\
    --setup_file=./setup.py --job_name=${job}-${runDate} \\
    --service_account_email=SERVICE_ACCOUNT@PROJECT.iam.gserviceaccount.com \\
    --max_num_workers=10 --experiments=use_runner_v2 \\
    --input_root=gs://BUCKET/inbox --output_root=gs://BUCKET/lake --run_date=${runDate}
\`\`\`

| Dataflow option | why |
| --- | --- |
| \`--setup_file=./setup.py\` | ships \`bb_runtime.py\`, \`bb_beam.py\` and \`pipeline.py\` to the workers (and \`tzdata\`) |
| \`--temp_location\`, \`--staging_location\` | Dataflow's own scratch space (a bucket in the job's region) |
| \`--job_name\` | unique per run; the Airflow export derives it from the run date and the try |
| \`--max_num_workers\`, \`--machine_type\` | the autoscaling ceiling and the worker size (peak days need more workers, not bigger ones) |
| \`--service_account_email\` | reads the inbox bucket, writes the lake bucket |
| \`--flexrs_goal=COST_OPTIMIZED\` | optional: cheaper delayed batch scheduling for nightly runs |

The launcher waits for the job, then reads \`validation/<run_date>/rules.json\` and exits with
3 when an error-severity rule failed (1 on a runtime error, 2 on bad arguments), so a scheduler
sees the same exit status as \`batchbook run\`.

## What the pipeline does

- Files are listed when the pipeline is built (\`FileSystems.match\`: local paths, \`gs://\`,
  \`s3://\`) and read in parts spread over the workers, never held whole: a Parquet file by row
  group (rows numbered exactly as the runner numbers them), a CSV or NDJSON file larger than
  \`--split_mb\` (default 64) in byte ranges of that size. **What a split text read loses:** the
  line number (counting it means reading every byte before the range), so a reject from such a
  file has its source file and raw record but no \`source_row\` / \`source_line\`; and a CSV record
  must fit on one line (a quoted line break in a split file makes two rejected records). Smaller
  text files, JSON arrays and UTF-16 files are read whole by one worker, with exact lines.
- Cleanse steps run in order as Maps over rows; a rejected row keeps its first reason; a dedupe
  is a GroupByKey that keeps the first row in \`order_by\` order (NULLs last), ties by source row.
- A join whose right side (or a relationship rule whose target) comes from files of at most
  \`--side_input_mb\` (default 64) in all (a dimension) is a side-input lookup (\`AsMultiMap\` /
  \`AsDict\`): every worker holds the small side, the big side is not shuffled. Other joins (and
  every full join) are CoGroupByKeys; a key with millions of rows on both sides is held by one
  worker. Aggregates are CombinePerKey (combined on each worker first), unions Flattens; unique
  rules group by their keys; table rules (row_count, freshness, reconcile, conservation) are
  combines over the whole bounded input.
- The writes wait for every rule: \`rules.json\` first, then rejects (\`rejects/<run_date>/<stage>.parquet\`),
  then each curated output, **only when no rule with action \`fail\` failed**. Outputs are written
  by Beam's file sink (\`fileio.WriteToFiles\`, a destination per \`col=value\` partition folder):
  many workers write \`data-NNNNN-of-NNNNN.parquet\` shards in parallel, in row batches. A written
  partition folder's older data files are then removed (dynamic partition overwrite; a reader
  listing the folder during that moment sees both); the launcher clears
  \`rejects/<run_date>/\` and \`validation/<run_date>/\` before it starts, so a re-run leaves nothing stale.
- Each stage's rejects file is written by one worker (rejects are expected to be few).
- Stage counts (rows out, rejected, filtered) are Beam metrics in the \`batchbook\` namespace,
  printed by the launcher and shown in the Dataflow console.

## Streaming

\`pipeline_streaming.py\` runs the same stages on Dataflow streaming: a source given with
\`--subscription <source>=projects/P/subscriptions/S\` is read with \`ReadFromPubSub\` (one record
per message) and put in fixed windows of \`--window_seconds\` (default 3600). A source still read
from files is a slowly changing dimension: read once when the job starts, kept in the global window
and looked up by every window as a side input (a join's right side, a relationship's target);
only where it meets windowed rows otherwise (a join's left side, a union) does it join the first
window. Outputs in streaming are written per window by one worker each. What each stage
needs to run on unbounded input:

| stage | kind | in streaming |
| --- | --- | --- |
${streaming}

Outputs, rejects and rule results are then per window, and the exit status does not apply
(a streaming job does not end). Late data and triggers are left at Beam's defaults (results
when the watermark passes the end of the window); tune them in \`bb_beam.Run._ingest_pubsub\`.
${yamlSection}`;
}
