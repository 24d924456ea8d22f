"""Runs exported dbt projects with dbt-duckdb, in one Python process (dbt's programmatic runner).

    python run_dbt.py jobs.json results.json

jobs.json: [{"dir": the export's dbt/ folder, "run_date": …, "input_root": …, "output_root": …,
             "work": a scratch folder for the DuckDB file, dbt's target/ and logs/}, …]
results.json receives, per job in order: exit (0 when dbt succeeded, 1 otherwise, as the `dbt`
command exits), seconds, and the dbt log lines Batchbook's publish step wrote.
"""
import json
import os
import sys
import time

from dbt.cli.main import dbtRunner


def run(job):
    os.makedirs(job['work'], exist_ok=True)
    os.environ['BATCHBOOK_DBT_DATABASE'] = os.path.join(job['work'], 'pipeline.duckdb')
    variables = {'run_date': job['run_date'], 'input_root': job['input_root'], 'output_root': job['output_root']}
    args = ['build', '--project-dir', job['dir'], '--profiles-dir', job['dir'],
            '--target-path', os.path.join(job['work'], 'target'), '--log-path', os.path.join(job['work'], 'logs'),
            '--vars', json.dumps(variables)]
    started = time.time()
    result = dbtRunner().invoke(args)
    seconds = time.time() - started
    if result.exception is not None:
        print('dbt failed to run: %s' % result.exception, file=sys.stderr)
    log = os.path.join(job['work'], 'logs', 'dbt.log')
    lines = [l.strip() for l in open(log, encoding='utf-8')] if os.path.exists(log) else []
    return {'exit': 0 if result.success else 1, 'seconds': seconds,
            'publish_log': [l[l.index('batchbook:'):] for l in lines if 'batchbook:' in l]}


def main(jobs_file, results_file):
    jobs = json.load(open(jobs_file))
    json.dump({'jobs': [run(job) for job in jobs]}, open(results_file, 'w'), indent=2)


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
