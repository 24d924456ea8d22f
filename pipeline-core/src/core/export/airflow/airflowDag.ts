import { ENV_PLACEHOLDER_RE, alertEvents } from '../../ops/alertsSchema.js';
import type { PipelineSpec, Schedule } from '../../spec/schema.js';
import type { ExportContext } from '../exportFile.js';
import { exportParams, RUN_DATE } from '../layout.js';
import { pyLiteral } from '../python/pyLiteral.js';
import { batchName } from '../spark/sparkTarget.js';

/** Where the DAG expects the other exports in the bucket (README: upload them there). */
export function artifactPrefix(spec: PipelineSpec): string {
  return `batchbook/${batchName(spec.name)}`;
}

/** The Beam export's documented entry file. */
export const BEAM_ENTRY = 'beam/pipeline.py';

/** Where the DAG expects the beam export's folder, beside the DAG file in the DAGs folder. */
export function beamFolder(spec: PipelineSpec): string {
  return `batchbook_${spec.name.toLowerCase().replace(/[^a-z0-9_]/g, '_')}_beam`;
}

/** The arguments the spark export's job takes. */
export function jobArguments(spec: PipelineSpec, params: ExportContext['params'], inputRoot: string, outputRoot: string, runDate: string): string[] {
  const others = exportParams(spec, params).filter((p) => p.name !== RUN_DATE && p.value !== undefined);
  return ['--input-root', inputRoot, '--output-root', outputRoot, '--run-date', runDate, ...others.flatMap((p) => ['--param', `${p.name}=${p.value}`])];
}

/** The alert settings the DAG's callbacks use: the spec's webhook, its URL kept as a placeholder. */
function alertConfig(spec: PipelineSpec): Record<string, unknown> | null {
  const webhook = spec.alerts?.webhook;
  if (!webhook) return null;
  return {
    url: webhook.url,
    format: webhook.format ?? 'slack',
    headers: webhook.headers ?? {},
    timeout_seconds: webhook.timeout_seconds ?? 10,
    on: alertEvents(spec.alerts ?? {}),
    variables: [...new Set([webhook.url, ...Object.values(webhook.headers ?? {})].flatMap((t) => [...t.matchAll(ENV_PLACEHOLDER_RE)].map((m) => m[1]!)))],
  };
}

/** The engines a DAG can run the pipeline on; a DAG offers only those whose export is not refused. */
export const DAG_ENGINES = ['spark', 'beam'] as const;
export type DagEngine = (typeof DAG_ENGINES)[number];

/** The DAG file: schedule, retries with exponential backoff, SLA, alert callbacks, the job tasks. */
export function airflowDag(ctx: ExportContext, schedule: Schedule | undefined, engines: readonly DagEngine[] = DAG_ENGINES): string {
  const withBeam = engines.includes('beam');
  const spec = ctx.spec;
  const name = batchName(spec.name);
  const prefix = artifactPrefix(spec);
  const alerts = alertConfig(spec);
  const retries = schedule?.retries ?? 2;
  const tz = schedule?.timezone ?? 'UTC';
  const inputRoot = "gs://{{ var.value.batchbook_bucket }}/inbox";
  const outputRoot = "gs://{{ var.value.batchbook_bucket }}/lake";
  const runDate = '{{ batchbook_run_date(params, data_interval_end) }}';
  const args = jobArguments(spec, ctx.params, inputRoot, outputRoot, runDate);
  const batch = {
    pyspark_batch: { main_python_file_uri: `gs://{{ var.value.batchbook_bucket }}/${prefix}/job.py`, args },
    runtime_config: {
      version: '2.2',
      properties: { 'spark.sql.ansi.enabled': 'true', 'spark.sql.session.timeZone': 'UTC', 'spark.sql.sources.partitionOverwriteMode': 'dynamic' },
    },
    environment_config: { execution_config: { service_account: "{{ var.value.get('batchbook_service_account', '') }}" } },
    labels: { pipeline: name, exported_by: 'batchbook' },
  };
  // the Beam launcher takes PipelineOptions-style flags: --input_root, --output_root, --run_date, --param
  const beamOptions = {
    input_root: inputRoot,
    output_root: outputRoot,
    run_date: runDate,
    ...(args.includes('--param') ? { param: args.flatMap((a, i) => (args[i - 1] === '--param' ? [a] : [])) } : {}),
    setup_file: '__BEAM_DIR__/setup.py',
    temp_location: 'gs://{{ var.value.batchbook_bucket }}/tmp/dataflow',
    staging_location: 'gs://{{ var.value.batchbook_bucket }}/staging/dataflow',
  };
  const beamDir = beamFolder(spec);
  return `"""${spec.name}: Airflow DAG exported by Batchbook ${ctx.toolVersion}. Generated: change the pipeline in
Batchbook and export again rather than editing this file.

${schedule ? `On the spec's schedule (${schedule.cron}, ${schedule.timezone}) it submits` : 'When triggered (the spec has no schedule) it submits'} the pipeline's PySpark
job (the spark export's job.py) as a Dataproc Serverless batch${withBeam ? `; with the DAG param engine=beam it
runs the Beam pipeline (the beam export's ${BEAM_ENTRY}, copied to ${beamDir}/ beside this
file) on Dataflow instead` : ` (the beam export is refused for
this pipeline, so the DAG offers no Beam engine)`}. The business day a
run processes is the day before its scheduled time, in ${tz} (DAG param run_date overrides).

Airflow Variables (set once per environment): batchbook_gcp_project, batchbook_gcp_region,
batchbook_bucket (artifacts under gs://<bucket>/${prefix}/, raw files under gs://<bucket>/inbox,
results under gs://<bucket>/lake), batchbook_service_account (optional).${alerts ? `
Alerts: the webhook URL ${alerts['url'] as string} is resolved when a callback runs, each \${NAME} from the
Airflow Variable NAME or else the environment variable NAME; an alert that cannot be sent is logged
and never fails the task.` : ''}
Works with Airflow 2.9+ and 3.x (SLAs exist only on Airflow 2; see README.md).
"""
from __future__ import annotations

import json
import logging
import os
import re
import urllib.request
from datetime import timedelta

import pendulum

import airflow
from airflow.providers.google.cloud.operators.dataproc import DataprocCreateBatchOperator

${withBeam ? `try:  # optional: without the Beam provider the DAG offers the Spark batch only
    from airflow.providers.apache.beam.operators.beam import BeamRunPythonPipelineOperator
    from airflow.providers.google.cloud.operators.dataflow import DataflowConfiguration
except ImportError:
    BeamRunPythonPipelineOperator = None
` : `BeamRunPythonPipelineOperator = None  # the beam export is refused for this pipeline
`}
try:  # Airflow 3
    from airflow.sdk import DAG, Param, Variable
    from airflow.providers.standard.operators.python import BranchPythonOperator
except ImportError:  # Airflow 2
    from airflow import DAG
    from airflow.models import Variable
    from airflow.models.param import Param
    from airflow.operators.python import BranchPythonOperator

AIRFLOW_2 = airflow.__version__.split('.')[0] == '2'
log = logging.getLogger(__name__)

PIPELINE = ${pyLiteral(spec.name)}
ENGINES = ${pyLiteral(engines)}  # only engines whose export was not refused
SCHEDULE = ${schedule ? pyLiteral(schedule.cron) : 'None'}
TIMEZONE = pendulum.timezone(${pyLiteral(tz)})
WINDOW = ${schedule ? `timedelta(hours=${schedule.window_hours})` : 'None'}
ALERTS = ${pyLiteral(alerts, 0)}
${withBeam ? `BEAM_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), ${pyLiteral(beamDir)})\n` : ''}

def batchbook_run_date(params, scheduled):
    """The business day a run processes: params.run_date, or the day before the run's scheduled time in the schedule's zone."""
    if params.get('run_date'):
        return params['run_date']
    when = pendulum.instance(scheduled) if scheduled is not None else pendulum.now('UTC')
    return when.in_timezone(TIMEZONE).subtract(days=1).to_date_string()


def _resolve(text):
    """\${NAME} placeholders from the Airflow Variable NAME, else the environment; None when one is unset."""
    missing = []

    def one(m):
        try:
            value = Variable.get(m.group(1), default_var=None) if AIRFLOW_2 else Variable.get(m.group(1), default=None)
        except Exception:  # noqa: BLE001 - no metadata database (a local test run): the environment decides
            value = None
        value = value or os.environ.get(m.group(1))
        if not value:
            missing.append(m.group(1))
            return ''
        return value
    resolved = re.sub(r'\\$\\{([A-Z_][A-Z0-9_]*)\\}', one, text)
    return None if missing else resolved


def _payload(event, title, cause, facts):
    fmt = ALERTS['format']
    if fmt == 'json':
        return {'source': 'batchbook', 'kind': 'run', 'event': event, 'pipeline': PIPELINE, 'title': title, 'cause': cause,
                'run_date': facts.get('Run date'), 'run_id': facts.get('Run'), 'failing_rules': [], 'airflow': facts}
    if fmt == 'teams':
        body = [{'type': 'TextBlock', 'text': title, 'weight': 'Bolder', 'size': 'Medium', 'wrap': True, 'color': 'Attention' if event == 'failure' else 'Good'},
                {'type': 'TextBlock', 'text': cause, 'wrap': True},
                {'type': 'FactSet', 'facts': [{'title': k, 'value': str(v)} for k, v in facts.items()]}]
        return {'type': 'message', 'attachments': [{'contentType': 'application/vnd.microsoft.card.adaptive', 'contentUrl': None, 'content': {
            '$schema': 'http://adaptivecards.io/schemas/adaptive-card.json', 'type': 'AdaptiveCard', 'version': '1.4', 'body': body}}]}
    esc = lambda s: str(s).replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')
    return {'text': esc('%s: %s' % (title, cause)), 'blocks': [
        {'type': 'header', 'text': {'type': 'plain_text', 'text': title[:150]}},
        {'type': 'section', 'text': {'type': 'mrkdwn', 'text': '*Cause:* %s' % esc(cause)}},
        {'type': 'section', 'fields': [{'type': 'mrkdwn', 'text': '*%s*\\n%s' % (k, esc(v))} for k, v in facts.items()]}]}


def post_alert(event, title, cause, facts):
    """Posts the spec's alert webhook. Never raises: an alert that cannot be sent is logged."""
    if not ALERTS or event not in ALERTS['on']:
        return False
    url = _resolve(ALERTS['url'])
    if url is None:
        log.warning('alert not sent: the webhook URL needs %s (Airflow Variable or environment variable)', ', '.join(ALERTS['variables']))
        return False
    headers = {'Content-Type': 'application/json'}
    for key, value in ALERTS['headers'].items():
        headers[key] = _resolve(value) or ''
    request = urllib.request.Request(url, data=json.dumps(_payload(event, title, cause, facts)).encode('utf-8'), headers=headers, method='POST')
    try:
        with urllib.request.urlopen(request, timeout=ALERTS['timeout_seconds']) as response:
            log.info('alert sent (%s): HTTP %s', event, response.status)
            return True
    except Exception as e:  # noqa: BLE001 - an alert never fails the task
        log.warning('alert not sent: %s', e)
        return False


def _facts(context):
    ti = context.get('task_instance') or context.get('ti')
    params = context.get('params') or {}
    return {'Pipeline': PIPELINE, 'Run': getattr(context.get('dag_run'), 'run_id', None),
            'Run date': batchbook_run_date(params, context.get('data_interval_end')),
            'Task': getattr(ti, 'task_id', None), 'Try': getattr(ti, 'try_number', None), 'Log': getattr(ti, 'log_url', None)}


def on_failure(context):
    facts = _facts(context)
    post_alert('failure', '🔴 %s %s failed' % (PIPELINE, facts['Run date']), str(context.get('exception') or 'task failed'), facts)


def on_success(context):
    facts = _facts(context)
    post_alert('success', '🟢 %s %s succeeded' % (PIPELINE, facts['Run date']), 'succeeded', facts)


def on_sla_miss(dag, task_list, blocking_task_list, slas, blocking_tis):
    post_alert('failure', '🔴 %s missed its %s window' % (PIPELINE, WINDOW), 'not finished within the schedule window: %s' % task_list,
               {'Pipeline': PIPELINE, 'Window': str(WINDOW)})


def choose_engine(**context):
    engine = context['params']['engine']
    if engine not in ENGINES:
        raise ValueError('engine=%s is not offered: this export has %s' % (engine, ', '.join(ENGINES)))
    if engine != 'beam':
        return 'submit_spark_batch'
    if BeamRunPythonPipelineOperator is None:
        raise RuntimeError('engine=beam needs apache-airflow-providers-apache-beam on this Airflow')
    return 'run_beam_on_dataflow'


default_args = {
    'owner': 'batchbook',
    'retries': ${retries},
    'retry_delay': timedelta(minutes=5),
    'retry_exponential_backoff': True,
    'max_retry_delay': timedelta(hours=1),
    'on_failure_callback': ${alerts ? 'on_failure' : 'None'},
}
if AIRFLOW_2 and WINDOW:
    default_args['sla'] = WINDOW  # Airflow 3 has no SLAs: see README.md

with DAG(
    dag_id=${pyLiteral(spec.name)},
    description=${pyLiteral(spec.description ?? `Batchbook pipeline ${spec.name}`)},
    schedule=SCHEDULE,
    start_date=pendulum.datetime(2026, 1, 1, tz=TIMEZONE),
    catchup=False,
    max_active_runs=1,
    default_args=default_args,
    on_success_callback=${alerts && (alerts['on'] as string[]).includes('success') ? 'on_success' : 'None'},
    user_defined_macros={'batchbook_run_date': batchbook_run_date},
    params={
        'engine': Param('spark', enum=ENGINES, description=${pyLiteral(withBeam ? 'spark: Dataproc Serverless batch; beam: the Beam pipeline on Dataflow' : 'spark: Dataproc Serverless batch (the beam export is refused for this pipeline)')}),
        'run_date': Param('', type='string', description='the business day (YYYY-MM-DD); empty: the day before the scheduled time'),
    },
    tags=['batchbook', ${pyLiteral(name)}],
    **({'sla_miss_callback': ${alerts ? 'on_sla_miss' : 'None'}} if AIRFLOW_2 else {}),
) as dag:
    engine = BranchPythonOperator(task_id='choose_engine', python_callable=choose_engine)

    spark = DataprocCreateBatchOperator(
        task_id='submit_spark_batch',
        project_id='{{ var.value.batchbook_gcp_project }}',
        region="{{ var.value.get('batchbook_gcp_region', 'europe-west1') }}",
        # Dataproc batch ids must be unique: one per scheduled run and try
        batch_id=${pyLiteral(`${name}-{{ ts_nodash | lower }}-try{{ ti.try_number }}`)},
        batch=${pyLiteral(batch, 8)},
    )

${withBeam ? beamTask(name, beamDir, beamOptions) : '    engine >> spark\n'}`;
}

/** The Dataflow task (when the beam export is offered) and the branch to it. */
function beamTask(name: string, beamDir: string, beamOptions: Record<string, unknown>): string {
  return `    if BeamRunPythonPipelineOperator is None:
        engine >> spark
    else:
        beam = BeamRunPythonPipelineOperator(
            task_id='run_beam_on_dataflow',
            runner='DataflowRunner',
            # the beam export's folder, copied beside this file: ${beamDir}/ (pipeline.py, bb_beam.py, setup.py…)
            py_file=os.path.join(BEAM_DIR, 'pipeline.py'),
            pipeline_options=${pyLiteral(beamOptions, 12).replace(/"__BEAM_DIR__\/setup.py"/, "os.path.join(BEAM_DIR, 'setup.py')")},
            dataflow_config=DataflowConfiguration(
                job_name=${pyLiteral(`${name}-{{ ts_nodash | lower }}-try{{ ti.try_number }}`)},
                project_id='{{ var.value.batchbook_gcp_project }}',
                location="{{ var.value.get('batchbook_gcp_region', 'europe-west1') }}",
            ),
        )

        engine >> [spark, beam]
`;
}

