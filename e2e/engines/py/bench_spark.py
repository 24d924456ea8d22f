"""The Spark scale figure: the exported flights job on local Spark against `batchbook run`, side by side.

    python bench_spark.py <flights project dir> [--spark-only] [--runner-only] [--driver-memory 1536m]

The project is one `flightsProject` made (pipeline.yaml + data/; see pipeline-core/src/node/bench/flights.ts),
with the Spark export in <dir>/export/spark. Each side runs as its own process tree; wall time is
measured around it and peak RSS is the largest SUM of the tree's resident sizes, sampled from /proc
every 0.2 s (Spark is a Python driver plus a JVM: the largest single process would understate it),
each process counted by its proportional set size so pages two processes share count once.
The outputs are compared as multisets of rows (averages to 9 decimals) with DuckDB.
"""
import argparse
import os
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, '..', '..', '..'))
CLI = os.path.join(REPO, 'pipeline-core', 'bin', 'batchbook.js')
RUN_DATE = '2024-12-31'


def resident(pid, stat_rss):
    """Proportional set size of pid: its resident pages, each page shared with a forked process split
    among the processes that map it (a plain RSS sum counts such pages once per process)."""
    try:
        with open('/proc/%d/smaps_rollup' % pid) as f:
            for line in f:
                if line.startswith('Pss:'):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return stat_rss


def same_space(pid, space):
    """Whether pid is a child still running in its parent's address space: a JVM starting a Python
    worker (posix_spawn, CLONE_VM) is for an instant two processes over one memory, which both RSS and
    PSS count twice (a 1.3 GB driver measured as 2.6 GB). Such a child has its parent's exact virtual
    and resident sizes."""
    parent = space[pid][0]
    return parent in space and space[parent][1:] == space[pid][1:]


def tree_rss(root):
    """(memory of root and every descendant, {command name: bytes}) from /proc, as proportional
    set sizes (see resident)."""
    children, rss, names, space = {}, {}, {}, {}
    for pid in os.listdir('/proc'):
        if not pid.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % pid) as f:
                head, tail = f.read().rsplit(')', 1)
            fields = tail.split()
            children.setdefault(int(fields[1]), []).append(int(pid))
            rss[int(pid)] = int(fields[21]) * os.sysconf('SC_PAGE_SIZE')
            names[int(pid)] = head.split('(', 1)[1]
            space[int(pid)] = (int(fields[1]), int(fields[20]), int(fields[21]))  # parent, vsize, rss
        except (OSError, IndexError, ValueError):
            continue
    total, parts, todo = 0, {}, [root]
    while todo:
        p = todo.pop()
        mem = 0 if p not in rss or same_space(p, space) else resident(p, rss[p])
        total += mem
        parts[names.get(p, '?')] = parts.get(names.get(p, '?'), 0) + mem
        todo.extend(children.get(p, []))
    return total, parts


def measured(label, cmd, log_path, env=None):
    """(wall seconds, peak summed RSS bytes, exit code) of cmd, its output in log_path."""
    peak = [0, {}]
    with open(log_path, 'w') as log:
        started = time.time()
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        done = threading.Event()

        def sample():
            while not done.is_set():
                total, parts = tree_rss(proc.pid)
                if total > peak[0]:
                    peak[0], peak[1] = total, parts
                done.wait(0.2)
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        code = proc.wait()
        wall = time.time() - started
        done.set()
        sampler.join()
    print('%-44s %8.1f s %8.0f MB  exit %d  (log: %s)' % (label, wall, peak[0] / 2**20, code, log_path), flush=True)
    print('    at the peak: %s; load average %s' % (', '.join('%s %d MB' % (k, v / 2**20) for k, v in sorted(peak[1].items(), key=lambda kv: -kv[1])),
                                                 open('/proc/loadavg').read().split()[0]), flush=True)
    return wall, peak[0], code


def spark_side(project, driver_memory):
    out = os.path.join(project, 'spark-out')
    subprocess.run(['rm', '-rf', out], check=True)
    submit = os.path.join(os.path.dirname(sys.executable), 'spark-submit')
    # local mode: a few shuffle partitions per core, not the cluster default of 200 (each a task)
    cmd = [submit, '--master', 'local[2]', '--driver-memory', driver_memory, '--conf', 'spark.sql.shuffle.partitions=4',
           os.path.join(project, 'export', 'spark', 'job.py'),
           '--input-root', os.path.join(project, 'data'), '--output-root', out, '--run-date', RUN_DATE]
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable)
    wall, rss, code = measured('job.py on local[2] (driver %s)' % driver_memory, cmd, os.path.join(project, 'spark.log'), env)
    return wall, rss, code, os.path.join(out, 'curated', 'delays_by_state_month')


def runner_side(project):
    lake = os.path.join(project, 'lake')
    if not os.path.isdir(os.path.join(lake, 'raw')):  # land once, untimed: the Spark job reads the inbox as it is
        subprocess.run(['node', CLI, 'run', project, '--lake', lake], check=False, capture_output=True)
    wall, rss, code = measured('batchbook run --replay', ['node', CLI, 'run', project, '--lake', lake, '--replay'], os.path.join(project, 'runner.log'))
    return wall, rss, code, os.path.join(lake, 'curated', 'delays_by_state_month')


def same_rows(a, b):
    """(equal, rows of a): the two output folders hold the same rows (averages to 9 decimals)."""
    import duckdb
    if not os.path.isdir(a) or not os.path.isdir(b):
        return False, 0
    q = ("SELECT state, CAST(year_month AS VARCHAR) AS year_month, CAST(flights AS BIGINT) AS flights, round(avg_delay, 9) AS avg_delay, "
         "CAST(late AS BIGINT) AS late FROM read_parquet('%s/**/*.parquet', hive_partitioning = true, hive_types_autocast = false)")
    diff, n = duckdb.sql('SELECT (SELECT count(*) FROM (%s EXCEPT ALL %s)) + (SELECT count(*) FROM (%s EXCEPT ALL %s)), (SELECT count(*) FROM (%s))'
                         % (q % a, q % b, q % b, q % a, q % a)).fetchone()
    return diff == 0 and n > 0, n


def main(argv):
    p = argparse.ArgumentParser()
    p.add_argument('project')
    p.add_argument('--spark-only', action='store_true')
    p.add_argument('--runner-only', action='store_true')
    p.add_argument('--driver-memory', default='1536m')
    a = p.parse_args(argv)
    project = os.path.abspath(a.project)
    spark = None if a.runner_only else spark_side(project, a.driver_memory)
    runner = None if a.spark_only else runner_side(project)
    if spark and runner:
        equal, n = same_rows(spark[3], runner[3])
        print('Spark / runner: wall %.2fx (target <= 4x), Spark peak RSS %.2f GB (target <= 3 GB); outputs equal: %s (%d rows)'
              % (spark[0] / runner[0], spark[1] / 2**30, 'yes' if equal else 'NO', n))
    return 0 if all(s is None or s[2] in (0, 3) for s in (spark, runner)) else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
