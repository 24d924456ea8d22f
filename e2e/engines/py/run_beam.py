"""Runs exported Beam pipelines on the DirectRunner, each through its own command line
(`python pipeline.py --input_root … --output_root … --run_date …`), two at a time.

    python run_beam.py jobs.json results.json

jobs.json: [{"dir": the export's beam/ folder, "run_date": …, "input_root": …, "output_root": …,
             "yaml": also run pipeline.beam.yaml with Beam YAML's launcher into output_root + '-yaml',
             "streaming": also check the streaming variant, "log": file receiving the launcher's stdout}, …]
results.json receives, per job in order: exit status, seconds and the end of its stderr.
A job with "streaming" also gets `python -m py_compile` of its files, and its streaming variant is
built (not run) with every CSV / JSON source on a Pub/Sub subscription, so its graph is checked
(once per project: the graph does not depend on the day).
"""
import concurrent.futures
import json
import subprocess
import sys
import time


STREAMING_GRAPH = """
import sys, bb_beam, pipeline
subs = ['%s=projects/batchbook-test/subscriptions/%s' % (n, n) for n, s in pipeline.PLAN['sources'].items() if s['format'] != 'parquet']
args = ['--input_root', sys.argv[1], '--output_root', sys.argv[2], '--run_date', sys.argv[3]] + ['--subscription=' + s for s in subs]
sys.exit(bb_beam.main(args, pipeline.PLAN, pipeline.build, streaming=True, construct_only=True))
"""


def run(job):
    started = time.time()
    cmd = [sys.executable, 'pipeline.py', '--input_root', job['input_root'], '--output_root', job['output_root'],
           '--run_date', job['run_date'], '--direct_num_workers=1', '--direct_running_mode=in_memory']
    proc = subprocess.run(cmd, cwd=job['dir'], capture_output=True, text=True)
    seconds = time.time() - started
    with open(job['log'], 'w', encoding='utf-8') as log:  # the launcher's JSON log lines
        log.write(proc.stdout)
    compiled = graph = None
    if job.get('streaming'):
        compiled = subprocess.run([sys.executable, '-m', 'py_compile', 'pipeline_streaming.py', 'pipeline.py', 'bb_beam.py', 'bb_runtime.py'],
                                  cwd=job['dir'], capture_output=True, text=True)
        graph = subprocess.run([sys.executable, '-c', STREAMING_GRAPH, job['input_root'], job['output_root'] + '-streaming', job['run_date']],
                               cwd=job['dir'], capture_output=True, text=True)
    yaml = None
    if job.get('yaml'):
        started = time.time()
        y = subprocess.run([sys.executable, '-m', 'apache_beam.yaml.main', '--yaml_pipeline_file=pipeline.beam.yaml', '--runner=FnApiRunner',
                            '--direct_num_workers=1', '--input_root=' + job['input_root'], '--output_root=' + job['output_root'] + '-yaml',
                            '--run_date=' + job['run_date']], cwd=job['dir'], capture_output=True, text=True)
        yaml = {'exit': y.returncode, 'seconds': round(time.time() - started, 2), 'stderr': y.stderr[-3000:]}
    streaming = {'compiles': compiled.returncode == 0, 'compile_errors': compiled.stderr[-2000:],
                 'graph': graph.returncode, 'errors': graph.stderr[-2000:]} if compiled else None
    return {'exit': proc.returncode, 'seconds': round(seconds, 2), 'stderr': proc.stderr[-3000:], 'yaml': yaml, 'streaming': streaming}


def main(jobs_file, results_file):
    jobs = json.load(open(jobs_file))
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(run, jobs))
    json.dump({'jobs': results}, open(results_file, 'w'), indent=2)


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
