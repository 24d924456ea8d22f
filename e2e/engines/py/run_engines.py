"""Runs a batch of exported artifacts on the real engines, each engine started once:
DuckDB scripts with the duckdb package, every PySpark job in ONE local SparkSession.

    python run_engines.py jobs.json results.json

jobs.json: [{"engine": "duckdb"|"spark", "dir": export folder of that target, "run_date": …,
             "input_root": …, "output_root": …, "log": file receiving what the job prints to stdout}, …]
results.json receives the exit status and seconds of each job, in order.
"""
import contextlib
import importlib.util
import json
import os
import sys
import time

from run_duckdb_script import main as run_duckdb


def spark_session():
    """One local session: classic, or with BATCHBOOK_SPARK_CONNECT=1 PySpark's local Spark Connect
    server (remote("local[2]")), so the jobs run through the Connect protocol only."""
    from pyspark.sql import SparkSession
    builder = SparkSession.builder
    connect = os.environ.get('BATCHBOOK_SPARK_CONNECT') == '1'
    builder = builder.remote('local[2]') if connect else builder.master('local[2]')
    spark = (builder.appName('batchbook-conformance')
             .config('spark.sql.ansi.enabled', 'true')
             .config('spark.sql.session.timeZone', 'UTC')
             .config('spark.sql.sources.partitionOverwriteMode', 'dynamic')
             .config('spark.sql.parquet.outputTimestampType', 'TIMESTAMP_MICROS')
             .config('spark.sql.shuffle.partitions', '1')  # tiny data: one task per shuffle halves the suite's Spark time
             .config('spark.ui.enabled', 'false')
             .getOrCreate())
    if not connect:
        spark.sparkContext.setLogLevel('ERROR')
    return spark


def run_spark_jobs(jobs):
    spark = spark_session()
    out = []
    for i, job in enumerate(jobs):
        spec = importlib.util.spec_from_file_location('bb_job_%d' % i, os.path.join(job['dir'], 'job.py'))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        args, values = module.parse_args(['--input-root', job['input_root'], '--output-root', job['output_root'], '--run-date', job['run_date']])
        started = time.time()
        with open(job['log'], 'w', encoding='utf-8') as log, contextlib.redirect_stdout(log):
            try:
                code = module.Job(spark, args, values).run()
            except Exception as e:  # a runtime error is a result to compare, not a crash of the batch
                print('spark job failed (%s): %s' % (job['dir'], str(e).splitlines()[0]), file=sys.stderr)
                code = 1
        out.append((job, code, time.time() - started))
    spark.stop()
    return out


def main(jobs_file, results_file):
    jobs = json.load(open(jobs_file))
    results = {}
    for i, job in enumerate(jobs):
        if job['engine'] == 'duckdb':
            started = time.time()
            code = run_duckdb(job['dir'], job['run_date'], job['input_root'], job['output_root'])
            results[i] = {'exit': code, 'seconds': time.time() - started}
    spark = [(i, j) for i, j in enumerate(jobs) if j['engine'] == 'spark']
    if spark:
        os.environ.setdefault('PYSPARK_PYTHON', sys.executable)
        started = time.time()
        for (i, _), (_, code, secs) in zip(spark, run_spark_jobs([j for _, j in spark])):
            results[i] = {'exit': code, 'seconds': secs}
        results['spark_session_seconds'] = time.time() - started
    json.dump({'jobs': [results[i] for i in range(len(jobs))], 'spark_session_seconds': results.get('spark_session_seconds')}, open(results_file, 'w'), indent=2)


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
