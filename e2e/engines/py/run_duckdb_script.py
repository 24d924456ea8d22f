"""Runs an exported DuckDB script (duckdb/pipeline.sql) the way run.sh does, with the duckdb package."""
import os
import re
import sys

import duckdb


def main(script_dir: str, run_date: str, input_root: str, output_root: str) -> int:
    sql = open(os.path.join(script_dir, 'pipeline.sql'), encoding='utf-8').read()
    run_sh = open(os.path.join(script_dir, 'run.sh'), encoding='utf-8').read()
    for d in re.findall(r'mkdir -p "\$OUTPUT_ROOT/([^"]*)"', run_sh):
        os.makedirs(os.path.join(output_root, d.replace('${RUN_DATE}', run_date)), exist_ok=True)
    con = duckdb.connect()
    for name, value in (('run_date', run_date), ('input_root', input_root), ('output_root', output_root)):
        con.execute(f"SET VARIABLE {name} = '{value}'")
    try:
        con.execute(sql)
    except duckdb.Error as e:
        print(f'duckdb: {str(e).splitlines()[0]}', file=sys.stderr)
        return 3 if 'rule' in str(e) else 1
    return 0


if __name__ == '__main__':
    sys.exit(main(*sys.argv[1:5]))
