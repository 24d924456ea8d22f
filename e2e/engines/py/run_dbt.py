"""Runs exported dbt projects with dbt-duckdb, in one Python process (dbt's programmatic runner).

    python run_dbt.py jobs.json results.json

jobs.json: [{"dir": the export's dbt/ folder, "run_date": …, "input_root": …, "output_root": …,
             "work": a scratch folder for the DuckDB file, dbt's target/ and logs/,
             "docs": optional, true to run `dbt docs generate` after the build}, …]
results.json receives, per job in order: exit (0 when dbt succeeded, 1 otherwise, as the `dbt`
command exits), seconds, the dbt log lines Batchbook's publish step wrote, dbt's own failure
lines ("Failure in test …", "Compilation Error …", the "Done. PASS=…" summary) and, with docs,
the exit of `dbt docs generate` and the path of the manifest it wrote.
"""
import json
import os
import re
import sys
import time

from dbt.cli.main import dbtRunner

ANSI = re.compile(r'\x1b\[[0-9;]*m')
DBT_FAILURE = re.compile(r'Failure in test|Compilation Error|Database Error|Done\. PASS=')


def failure_lines(lines):
    """dbt's failure lines, each with the two lines after it (an error's message follows its heading)."""
    out = []
    for i, l in enumerate(lines):
        if DBT_FAILURE.search(l):
            out.extend(x for x in lines[i:i + 3] if x and x not in out)
    return out


def run(job):
    os.makedirs(job['work'], exist_ok=True)
    os.environ['BATCHBOOK_DBT_DATABASE'] = os.path.join(job['work'], 'pipeline.duckdb')
    variables = {'run_date': job['run_date'], 'input_root': job['input_root'], 'output_root': job['output_root']}
    common = ['--project-dir', job['dir'], '--profiles-dir', job['dir'],
              '--target-path', os.path.join(job['work'], 'target'), '--log-path', os.path.join(job['work'], 'logs'),
              '--vars', json.dumps(variables)]
    log = os.path.join(job['work'], 'logs', 'dbt.log')
    # this invocation's lines only (the log is appended to when a job reuses a work folder)
    start = os.path.getsize(log) if os.path.exists(log) else 0
    started = time.time()
    result = dbtRunner().invoke(['build'] + common)
    seconds = time.time() - started
    if result.exception is not None:
        print('dbt failed to run: %s' % result.exception, file=sys.stderr)
    lines = []
    if os.path.exists(log):
        with open(log, encoding='utf-8', errors='replace') as f:
            f.seek(start)
            lines = [ANSI.sub('', l).strip() for l in f]
    out = {'exit': 0 if result.success else 1, 'seconds': seconds,
           'publish_log': [l[l.index('batchbook:'):] for l in lines if 'batchbook:' in l],
           'dbt_failures': failure_lines(lines)}
    if job.get('docs'):
        docs = dbtRunner().invoke(['docs', 'generate'] + common)
        out['docs_exit'] = 0 if docs.success else 1
        out['manifest'] = os.path.join(job['work'], 'target', 'manifest.json')
    return out


def main(jobs_file, results_file):
    jobs = json.load(open(jobs_file))
    json.dump({'jobs': [run(job) for job in jobs]}, open(results_file, 'w'), indent=2)


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
