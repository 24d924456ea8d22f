"""Loads an exported Airflow DAG with Airflow's own DagBag and reports what Airflow sees, as JSON.

    python check_airflow.py <export>/airflow report.json  → writes a JSON report (Airflow logs to stdout)
    python check_airflow.py --load folders.json report.json → only loads each folder's DAGs (import
        errors, DAG ids, tasks, schedule), for the conformance corpus's exports

It also renders the templated fields of both job tasks for a scheduled run and for each of two
tries, calls the failure callback against a local webhook (with the URL given through an Airflow
Variable, then with it unset), and runs the Cloud Scheduler wrapper's date logic. No network
beyond 127.0.0.1, no Airflow metadata database.
"""
import copy
import http.server
import importlib.util
import json
import os
import sys
import tempfile
import threading

home = tempfile.mkdtemp(prefix='airflow-home-')
os.environ.update({
    'AIRFLOW_HOME': home,
    'AIRFLOW__CORE__LOAD_EXAMPLES': 'False',
    'AIRFLOW__CORE__DAGS_FOLDER': home,
    'AIRFLOW__LOGGING__LOGGING_LEVEL': 'ERROR',
    # Airflow gives a DAG file 30 s to import; a DAG importing the Google provider takes seconds on an
    # idle machine but more than 30 s under load (the engine suites run two files at a time), which
    # would report a timeout as an import error. A real import error is raised at once, not timed.
    'AIRFLOW__CORE__DAGBAG_IMPORT_TIMEOUT': '600',
    'AIRFLOW_VAR_BATCHBOOK_BUCKET': 'bucket-x',
    'AIRFLOW_VAR_BATCHBOOK_GCP_PROJECT': 'project-x',
    'AIRFLOW_VAR_BATCHBOOK_GCP_REGION': 'region-x',
    'AIRFLOW_VAR_BATCHBOOK_SERVICE_ACCOUNT': 'runner@project-x.iam.gserviceaccount.com',
})

import pendulum  # noqa: E402
from airflow.models import DagBag  # noqa: E402
from airflow.utils.context import VariableAccessor  # noqa: E402


class Hook(http.server.BaseHTTPRequestHandler):
    received = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers['Content-Length']))
        Hook.received.append({'path': self.path, 'headers': dict(self.headers), 'body': json.loads(body)})
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


class TryOf:
    def __init__(self, n):
        self.try_number = n
        self.task_id = 'submit_spark_batch'
        self.log_url = 'http://airflow/log'


def plain(value):
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def main(folder, report):
    bag = DagBag(dag_folder=os.path.join(folder, 'dags'), include_examples=False)
    out = {'import_errors': {k: str(v) for k, v in bag.import_errors.items()}, 'dags': {}}
    for dag_id, dag in bag.dags.items():
        tasks = {}
        for t in dag.tasks:
            tasks[t.task_id] = {
                'type': type(t).__name__, 'retries': t.retries, 'retry_exponential_backoff': t.retry_exponential_backoff,
                'retry_delay_s': t.retry_delay.total_seconds(), 'max_retry_delay_s': t.max_retry_delay.total_seconds() if t.max_retry_delay else None,
                'sla_s': t.sla.total_seconds() if t.sla else None,
                'on_failure_callback': getattr(t.on_failure_callback, '__name__', None), 'downstream': sorted(t.downstream_task_ids),
            }
        scheduled = pendulum.datetime(2026, 11, 25, 2, 30, tz=dag.timezone)
        module = sys.modules[dag.fileloc] if dag.fileloc in sys.modules else None
        rendered = {}
        for n in (1, 2):
            for name in ('submit_spark_batch', 'run_beam_on_dataflow'):
                # a fresh copy per try, as each try re-parses the DAG file (rendering mutates nested objects)
                task = copy.deepcopy(dag.get_task(name))
                ctx = {'params': dict(dag.params), 'data_interval_end': scheduled, 'ts_nodash': scheduled.in_timezone('UTC').strftime('%Y%m%dT%H%M%S'),
                       'ti': TryOf(n), 'var': {'value': VariableAccessor(deserialize_json=False)}}
                ctx.update(dag.user_defined_macros or {})
                task.render_template_fields(ctx, jinja_env=dag.get_template_env())
                if name == 'submit_spark_batch':
                    rendered['spark_try%d' % n] = {'batch_id': task.batch_id, 'project_id': task.project_id, 'region': task.region, 'batch': plain(task.batch)}
                else:
                    rendered['beam_try%d' % n] = {'py_file': task.py_file, 'pipeline_options': plain(task.pipeline_options), 'job_name': task.dataflow_config.job_name,
                                                  'runner': str(task.runner)}
        manual = dict(dag.params)
        manual['run_date'] = '2026-10-01'
        out['dags'][dag_id] = {
            'schedule': dag.timetable.summary, 'timezone': dag.timezone.name, 'catchup': dag.catchup, 'max_active_runs': dag.max_active_runs,
            'params': plain(dict(dag.params)), 'tasks': tasks, 'rendered': rendered,
            'run_date_for_manual': dag.user_defined_macros['batchbook_run_date'](manual, scheduled),
            'choose_engine': {e: dag.get_task('choose_engine').python_callable(params={'engine': e}) for e in ('spark', 'beam')},
            'alerts': check_callback(dag, scheduled),
        }
    out['scheduled_run'] = check_scheduled_run(os.path.join(folder, 'cloud-scheduler', 'scheduled_run.py'))
    with open(report, 'w', encoding='utf-8') as f:
        json.dump(out, f, indent=1, default=str)


def check_callback(dag, scheduled):
    """The task failure callback posts the webhook when the URL resolves, and never raises when it does not."""
    callback = dag.get_task('submit_spark_batch').on_failure_callback
    if callback is None:
        return None
    server = http.server.HTTPServer(('127.0.0.1', 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = {'task_instance': TryOf(3), 'params': dict(dag.params), 'data_interval_end': scheduled,
               'dag_run': type('Run', (), {'run_id': 'scheduled__2026-11-24T01:30:00+00:00'})(), 'exception': RuntimeError('Batch failed: job.py exited 3')}
    os.environ['AIRFLOW_VAR_BATCHBOOK_ALERT_WEBHOOK'] = 'http://127.0.0.1:%d/hook' % server.server_port
    callback(context)
    sent = list(Hook.received)
    del os.environ['AIRFLOW_VAR_BATCHBOOK_ALERT_WEBHOOK']
    os.environ.pop('BATCHBOOK_ALERT_WEBHOOK', None)
    Hook.received.clear()
    callback(context)  # URL unset: logged, not raised
    server.shutdown()
    return {'sent': sent, 'sent_without_url': len(Hook.received)}


def check_scheduled_run(path):
    """scheduled_run.py computes the business day and runs job.main with it (job stubbed)."""
    if not os.path.exists(path):
        return None
    calls = []
    sys.modules['job'] = type(sys)('job')
    sys.modules['job'].main = lambda argv: calls.append(argv) or 0
    spec = importlib.util.spec_from_file_location('scheduled_run', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    import datetime
    import runpy
    utc = datetime.timezone.utc
    saved = sys.argv
    sys.argv = [path, '--input-root', 'gs://b/inbox']
    try:
        runpy.run_path(path, run_name='__main__')
    except SystemExit as e:
        exit_code = e.code
    finally:
        sys.argv = saved
    return {
        'exit_code': exit_code,
        'today': module.business_day(datetime.datetime.now(utc)),
        # 22:30 UTC on the 24th is 23:30 in Berlin, still the 24th: the business day is the 23rd
        'utc_2230': module.business_day(datetime.datetime(2026, 11, 24, 22, 30, tzinfo=utc)),
        # 23:30 UTC on the 24th is 00:30 on the 25th in Berlin: the business day is the 24th
        'utc_2330': module.business_day(datetime.datetime(2026, 11, 24, 23, 30, tzinfo=utc)),
        'job_argv': calls,
    }


def load_only(folders_file, report):
    out = []
    for folder in json.load(open(folders_file)):
        bag = DagBag(dag_folder=os.path.join(folder, 'dags'), include_examples=False)
        out.append({'import_errors': {k: str(v) for k, v in bag.import_errors.items()},
                    'dags': {dag_id: {'schedule': dag.timetable.summary, 'tasks': sorted(t.task_id for t in dag.tasks)} for dag_id, dag in bag.dags.items()}})
    json.dump(out, open(report, 'w'), indent=2)


if __name__ == '__main__':
    if sys.argv[1] == '--load':
        load_only(sys.argv[2], sys.argv[3])
    else:
        main(sys.argv[1], sys.argv[2])
