import type { ExportContext, ExportFile } from '../exportFile.js';
import { carryingStages, stateDir, stateFile } from '../../stages/match/openItemsState.js';
import { exportParams, RUN_DATE } from '../layout.js';
import type { ExportFlag } from '../refusal.js';
import type { TargetResult } from '../targetResult.js';
import { sparkJob } from './sparkJob.js';
import { compileSparkPlan } from './sparkPlan.js';

/** Batch / job ids allow lower-case letters, digits and hyphens. */
export function batchName(pipeline: string): string {
  return pipeline.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'batchbook';
}

function jobArgs(ctx: ExportContext, inputRoot: string, outputRoot: string, runDate: string): string[] {
  const others = exportParams(ctx.spec, ctx.params).filter((p) => p.name !== RUN_DATE && p.value !== undefined);
  return ['--input-root', inputRoot, '--output-root', outputRoot, '--run-date', runDate, ...others.flatMap((p) => ['--param', `${p.name}=${p.value}`])];
}

export function sparkTarget(ctx: ExportContext): TargetResult {
  const plan = compileSparkPlan(ctx.spec);
  if (plan.refusals.length) return { files: [], refusals: plan.refusals, flags: [], readme: '' };
  const flags: ExportFlag[] = plan.stages.flatMap(({ stage, compiled }) => (compiled.flags ?? []).map((message) => ({ target: 'spark' as const, stage: stage.name, message })));
  const name = batchName(ctx.spec.name);
  const runDate = exportParams(ctx.spec, ctx.params).find((p) => p.name === RUN_DATE)?.value ?? '2026-01-01';
  const dataproc = {
    pysparkBatch: {
      mainPythonFileUri: 'gs://BUCKET/batchbook/' + name + '/job.py',
      args: jobArgs(ctx, 'gs://BUCKET/inbox', 'gs://BUCKET/lake', runDate),
    },
    runtimeConfig: {
      version: '2.2',
      properties: {
        'spark.sql.ansi.enabled': 'true',
        'spark.sql.session.timeZone': 'UTC',
        'spark.sql.sources.partitionOverwriteMode': 'dynamic',
      },
    },
    environmentConfig: { executionConfig: { serviceAccount: 'SERVICE_ACCOUNT@PROJECT.iam.gserviceaccount.com', subnetworkUri: 'default' } },
    labels: { pipeline: name, exported_by: 'batchbook' },
  };
  const emr = {
    applicationId: 'EMR_SERVERLESS_APPLICATION_ID',
    executionRoleArn: 'arn:aws:iam::ACCOUNT:role/EMRServerlessJobRole',
    name: `${name}-${runDate}`,
    jobDriver: {
      sparkSubmit: {
        entryPoint: `s3://BUCKET/batchbook/${name}/job.py`,
        entryPointArguments: jobArgs(ctx, 's3://BUCKET/inbox', 's3://BUCKET/lake', runDate),
        sparkSubmitParameters: '--conf spark.sql.ansi.enabled=true --conf spark.sql.session.timeZone=UTC --conf spark.sql.sources.partitionOverwriteMode=dynamic',
      },
    },
    configurationOverrides: { monitoringConfiguration: { s3MonitoringConfiguration: { logUri: `s3://BUCKET/logs/${name}/` } } },
  };
  const submit = `#!/usr/bin/env bash
# Submits the job to Dataproc Serverless. Usage: ./dataproc-submit.sh RUN_DATE [BATCH_ID]
# Set PROJECT, REGION and BUCKET first; upload job.py to gs://$BUCKET/batchbook/${name}/job.py.
set -euo pipefail
RUN_DATE="\${1:-${runDate}}"
BATCH_ID="\${2:-${name}-\${RUN_DATE}-$(date +%s)}"   # batch ids must be unique per try
gcloud dataproc batches submit pyspark "gs://\${BUCKET}/batchbook/${name}/job.py" \\
  --project="\${PROJECT}" --region="\${REGION}" --batch="\${BATCH_ID}" --version=2.2 \\
  --properties=spark.sql.ansi.enabled=true,spark.sql.session.timeZone=UTC,spark.sql.sources.partitionOverwriteMode=dynamic \\
  -- ${jobArgs(ctx, 'gs://${BUCKET}/inbox', 'gs://${BUCKET}/lake', '${RUN_DATE}').map((a) => `"${a}"`).join(' ')}
`;
  const files: ExportFile[] = [
    { path: 'job.py', content: sparkJob(ctx, plan), executable: true },
    { path: 'dataproc/batch.json', content: `${JSON.stringify(dataproc, null, 2)}\n` },
    { path: 'dataproc/submit.sh', content: submit, executable: true },
    { path: 'emr-serverless/start-job-run.json', content: `${JSON.stringify(emr, null, 2)}\n` },
  ];
  return { files, refusals: [], flags, readme: sparkReadme(name, runDate, carryingStages(ctx.spec).map((st) => st.name)) };
}

function sparkReadme(name: string, runDate: string, carrying: readonly string[]): string {
  return `A PySpark job (\`job.py\`, one file) for Spark 3.5 and 4.x with ANSI mode on, plus ready-to-submit
serverless configs. The job reads raw files with Spark's own splittable readers, every value as
text, and types it the way the embedded DuckDB runner does (\`try_cast\` / \`try_to_timestamp\`
forms, never plain casts), so bad values become rejects with a reason, their source file, row and
raw record. It uses public PySpark APIs only, so it also runs under Spark Connect.

## Run locally

\`\`\`sh
pip install pyspark==4.0.1   # Java 17
spark-submit job.py --input-root ../data --output-root ./out --run-date ${runDate}
\`\`\`

## Dataproc Serverless

\`dataproc/batch.json\` is the batch resource (\`gcloud dataproc batches submit pyspark\` arguments are
in \`dataproc/submit.sh\`); replace BUCKET, PROJECT and the service account. Give each try its own
batch id (the Airflow export does this).

## EMR Serverless

\`\`\`sh
aws emr-serverless start-job-run --cli-input-json file://emr-serverless/start-job-run.json
\`\`\`

Replace the application id, role and bucket.

## Notes

- Outputs are written with dynamic partition overwrite: a re-run replaces only its partitions.
- Rejects are written per stage under \`rejects/<run_date>/<stage>/\` (Parquet part files); the
  folder is cleared first, so a re-run without rejects leaves none behind.
- Raw files are read with \`spark.read\` (PERMISSIVE, a corrupt-record column for malformed records):
  large CSV / NDJSON / Parquet files are split over many tasks. A reject's source line is left
  NULL (a split cannot know it); its file, row and raw record are kept. JSON-array and UTF-16 CSV
  sources are read one task per file.
- Parquet timestamps are written as plain TIMESTAMP (TIMESTAMP_NTZ) and partition folders
  percent-encoded (\`location=New%20York\`), as the other engines write them.
- Text → timestamp casts ignore a trailing UTC offset, as DuckDB's do; use a parse_date step with
  \`%z\` to honour offsets.
- Job name for the consoles: \`${name}\`.
${carrying.length ? matchNotes(carrying) : ''}`;
}

/** What someone running a job with a carrying match stage must know: its state lives under the output root. */
function matchNotes(stages: readonly string[]): string {
  const where = `\`<output-root>/${stateDir(stages[0]!, '<date>')}/${stateFile('left')}\` and \`${stateFile('right')}\``;
  return `
## Match stages and their open items

${stages.map((st) => `\`${st}\``).join(', ')} carr${stages.length === 1 ? 'ies' : 'y'} unmatched items from one run date to the next, as
\`batchbook run\` does in its lake: after the outputs, the job writes the date's open items to
${where} (folders of one Parquet part file each). A run reads the open items of the latest date
EARLIER than its own under the same \`--output-root\` (none on a first night), never a later
one, so:

- Run the dates in order, each with the same \`--output-root\` (a backfill: one date after the other,
  not in parallel). Re-running an earlier date reads the same earlier state and rewrites only its own
  date's files; the later dates carried the old open items and are stale until re-run in order.
- A state written before a column was added to a match input stops the run with a message naming
  the file and the column: re-run the earlier dates with the new spec.
- Matching is the runner's: candidates on the keys and date window, the one-to-one pairs picked in
  rounds (closest amount, closest date, then the oldest items first) on the executors, one-to-many
  groups, tolerances and ageing; the results equal \`batchbook run\`'s (the conformance suite checks
  six consecutive nights).
- The stage writes its items and pairs under \`<output-root>/_work/\` and reads them back (each run
  replaces them): Spark would otherwise plan every later step over the whole plan before it.
`;
}
