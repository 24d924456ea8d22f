import type { ExportContext } from '../exportFile.js';
import type { DagEngine } from './airflowDag.js';

export function airflowReadme(ctx: ExportContext, dagFile: string, prefix: string, beamEntry: string, beamDir: string, engines: readonly DagEngine[]): string {
  const withBeam = engines.includes('beam');
  const s = ctx.spec.schedule;
  const alerts = ctx.spec.alerts?.webhook;
  const when = s
    ? `on the spec's schedule, \`${s.cron}\` in ${s.timezone}, with an SLA of ${s.window_hours} h (the schedule window) and ${s.retries ?? 2} retries`
    : 'when triggered (the spec has no schedule), with 2 retries';
  return `An Airflow DAG (\`${dagFile}\`) that runs the pipeline ${when}
with exponential backoff (5 min, doubling, at most 1 h apart)${alerts ? ', posting the spec\'s alert webhook when a task fails' : ''}.
${s ? 'Beside it, a Cloud Scheduler job for teams without Airflow.' : ''}

## Airflow

Tasks: \`choose_engine\` → \`submit_spark_batch\` (the spark export's \`job.py\` as a Dataproc Serverless
batch, \`DataprocCreateBatchOperator\`, batch id \`<pipeline>-<ts_nodash>-try<try_number>\`: unique per
run and try)${withBeam ? ` or \`run_beam_on_dataflow\` (the beam export's \`${beamEntry}\` on Dataflow,
\`BeamRunPythonPipelineOperator\`), picked by the DAG param \`engine\` (\`spark\` by default).` : `. The beam export is refused for this pipeline (see the export's messages), so the DAG
has no Beam engine: its param \`engine\` accepts \`spark\` only.`}

1. Export the jobs too (\`batchbook export <project> --target all\`). Upload \`spark/job.py\` to
   \`gs://<bucket>/${prefix}/job.py\`.
2. Put \`${dagFile.replace(/^dags\//, '')}\` in your DAGs folder${withBeam ? ` and, for engine=beam, the beam export's folder (its
   \`${beamEntry.replace(/^beam\//, '')}\`, \`bb_beam.py\`, \`setup.py\`…) beside it as \`${beamDir}/\`: the Beam launcher runs on the
   Airflow worker and ships the code to Dataflow with \`--setup_file\`. Providers:
   \`apache-airflow-providers-google\`, \`apache-airflow-providers-apache-beam\`.` : '. Provider: `apache-airflow-providers-google`.'} Airflow 2.9+ or 3.x.
3. Set the Airflow Variables \`batchbook_gcp_project\`, \`batchbook_gcp_region\` (default europe-west1),
   \`batchbook_bucket\` (raw files under \`gs://<bucket>/inbox\`, results under \`gs://<bucket>/lake\`) and
   optionally \`batchbook_service_account\` (the batch's identity).${alerts ? `
4. Alerts: the webhook URL is \`${alerts.url}\`; each \`\${NAME}\` in it is read when the callback runs, from the
   Airflow Variable \`NAME\` or else the environment variable \`NAME\` (keep the secret out of the DAG file).
   The payload has the spec's format (\`${alerts.format ?? 'slack'}\`). An alert that cannot be sent is logged and
   never fails the task.` : ''}

The business day a run processes is the day before its scheduled time in the schedule's time zone;
trigger with the param \`run_date\` to run another day (a backfill: one triggered run per day).
SLAs exist on Airflow 2 only (Airflow 3 removed them): on Airflow 3 the exported monitoring policy
"run longer than the window" (\`monitoring/\`, with \`--target all\`) covers the window.
${s ? `
## Cloud Scheduler (no Airflow)

\`cloud-scheduler/create-job.sh\` creates an HTTP job (\`gcloud scheduler jobs create http\`) that calls the
Dataproc batches API with \`cloud-scheduler/batch-request.json\` on \`${s.cron}\` (${s.timezone}). The body is
static, so the batch runs \`scheduled_run.py\`, which works out the business day and runs \`job.py\`.
Upload both to \`gs://<bucket>/${prefix}/\`. Cloud Scheduler retries the API call; it does not retry a batch that
fails while running and has no SLA — use the monitoring policies for those.
` : ''}
## How this export is checked

Batchbook's test suite loads this DAG with Airflow's own \`DagBag\` (apache-airflow 2.11 with the Google and
Beam providers), checks the schedule, time zone, retries, backoff, SLA, callbacks, params and tasks
against the spec, renders the templated fields as a scheduled run would (the business day; a batch id
and Dataflow job name per try), and runs the failure callback against a local webhook. The Cloud
Scheduler script runs against a stand-in \`gcloud\` that records its arguments. Airflow 3 is not
installed in the tests: the Airflow 3 import paths are untested.
`;
}
