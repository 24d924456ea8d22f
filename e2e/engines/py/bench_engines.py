"""The engines scale bench (issue 10): the exported flights pipeline on local Spark and on Beam's
DirectRunner, each beside `batchbook run` on the same project.

    python bench_engines.py <flights project dir> [--only spark|beam] [--driver-memory 1536m]
                            [--beam-workers 2] [--beam-mode multi_threading|multi_processing|in_memory]

The project (pipeline.yaml + data/ + export/spark + export/beam) is prepared by
`npm run bench:engines` (pipeline-core/src/node/bench/enginesBench.ts). Every side runs as its own
process tree, measured by bench_spark.measured: wall time around it, peak RSS the largest sum of the
tree's resident sizes (proportional: shared pages once) sampled every 0.2 s (Beam's multi_processing workers are children too).
Outputs are compared with the runner's as multisets of rows, partition folders read as columns.
"""
import argparse
import os
import subprocess
import sys

import bench_spark
from bench_spark import RUN_DATE, measured, same_rows

GB = 2 ** 30
SPARK_WALL_AIM, SPARK_RSS_AIM, BEAM_RSS_AIM = 4.0, 3 * GB, 4 * GB
OUTPUT = os.path.join('curated', 'delays_by_state_month')


def beam_side(project, workers, mode):
    out = os.path.join(project, 'beam-out')
    subprocess.run(['rm', '-rf', out], check=True)
    beam = os.path.join(project, 'export', 'beam')
    cmd = [sys.executable, os.path.join(beam, 'pipeline.py'), '--input_root', os.path.join(project, 'data'), '--output_root', out,
           '--run_date', RUN_DATE, '--direct_num_workers=%d' % workers, '--direct_running_mode=%s' % mode]
    # the pipeline imports bb_beam / bb_runtime from its own folder; multi_processing workers too
    env = dict(os.environ, PYTHONPATH=beam)
    wall, rss, code = measured('pipeline.py on the DirectRunner (%d %s)' % (workers, mode), cmd, os.path.join(project, 'beam.log'), env)
    return wall, rss, code, os.path.join(out, OUTPUT)


def verdict(ok):
    return 'met' if ok else 'MISSED'


def main(argv):
    p = argparse.ArgumentParser()
    p.add_argument('project')
    p.add_argument('--only', choices=['spark', 'beam'])
    p.add_argument('--driver-memory', default='1536m')
    p.add_argument('--beam-workers', type=int, default=2)
    p.add_argument('--beam-mode', default='multi_threading', choices=['multi_threading', 'multi_processing', 'in_memory'])
    a = p.parse_args(argv)
    project = os.path.abspath(a.project)
    runner = bench_spark.runner_side(project)
    spark = None if a.only == 'beam' else bench_spark.spark_side(project, a.driver_memory)
    beam = None if a.only == 'spark' else beam_side(project, a.beam_workers, a.beam_mode)
    print('\n== engines at scale: %s (load average %s) ==' % (os.path.basename(project), open('/proc/loadavg').read().split()[0]))
    print('%-34s %9s %10s %10s %7s  %s' % ('side', 'wall s', 'peak RSS', 'wall/run', 'exit', 'output = runner'))
    print('%-34s %9.1f %7.0f MB %9.2fx %7d  %s' % ('batchbook run --replay', runner[0], runner[1] / 2**20, 1.0, runner[2], '-'))
    ok = runner[2] in (0, 3)
    for label, side in (('Spark job.py, local[2]', spark), ('Beam pipeline.py, DirectRunner', beam)):
        if side is None:
            continue
        equal, n = same_rows(side[3], runner[3]) if side[2] in (0, 3) else (False, 0)
        print('%-34s %9.1f %7.0f MB %9.2fx %7d  %s' % (label, side[0], side[1] / 2**20, side[0] / runner[0], side[2], 'yes (%d rows)' % n if equal else 'NO'))
        ok = ok and equal
    if spark:
        print('Spark: wall %.2fx the runner (aim <= 4x): %s; peak RSS %.2f GB (aim <= 3 GB): %s; outputs equal: %s'
              % (spark[0] / runner[0], verdict(spark[0] <= SPARK_WALL_AIM * runner[0]), spark[1] / GB, verdict(spark[1] <= SPARK_RSS_AIM),
                 verdict(same_rows(spark[3], runner[3])[0])))
    if beam:
        done = beam[2] in (0, 3)
        print('Beam: completes (exit %d): %s; peak RSS %.2f GB (aim < 4 GB): %s; outputs equal: %s'
              % (beam[2], verdict(done), beam[1] / GB, verdict(done and beam[1] < BEAM_RSS_AIM), verdict(done and same_rows(beam[3], runner[3])[0])))
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
