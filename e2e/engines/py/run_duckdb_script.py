"""Runs an exported DuckDB script with its own run.sh, on a stand-in DuckDB CLI (bin/duckdb, over
the duckdb Python package), so run.sh's folders, variables and exit statuses are what is tested."""
import os
import subprocess
import sys

BIN = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'bin')


def main(script_dir: str, run_date: str, input_root: str, output_root: str) -> int:
    env = dict(os.environ, PATH=BIN + os.pathsep + os.path.dirname(sys.executable) + os.pathsep + os.environ.get('PATH', ''))
    proc = subprocess.run(['bash', os.path.join(script_dir, 'run.sh'), run_date, input_root, output_root], env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        print('run.sh (%s): exit %d: %s' % (script_dir, proc.returncode, proc.stderr.strip().splitlines()[-1:] or ''), file=sys.stderr)
    return proc.returncode


if __name__ == '__main__':
    sys.exit(main(*sys.argv[1:5]))
