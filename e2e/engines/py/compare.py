"""Compares one engine's run-contract outputs with a `batchbook run` lake, as multisets of rows.

    python compare.py cases.json   → prints, per case, a JSON list of differences ([] when equal)

cases.json: [{"lake": runner lake, "report": runner report.json, "out": engine output root,
              "run_date": …, "outputs": [{"stage", "path", "format"}], "reject_stages": […],
              "state": [{"name", "expected": parquet file, "actual": parquet file or folder of part
              files}] (optional: carried open items, compared as multisets; a missing file is a difference)}, …]
Values are compared as canonical text; doubles with a relative tolerance of 1e-9 (float
arithmetic may differ between engines) and -0.0 equal to 0.0 (DuckDB's storage may drop the sign
of a zero), everything else exactly. CSV outputs are text: a number in them is compared as a
number (15 significant digits), since engines spell doubles differently (DuckDB writes 1e-07,
Spark 1.0E-7). Reader-error reasons keep their 'line N:' prefix only (the parser's wording is the
engine's own).
"""
import collections
import datetime
import decimal
import glob
import json
import os
import re
import sys

import duckdb

CON = duckdb.connect()
CON.execute("SET TimeZone = 'UTC'")


def canon(v):
    if v is None:
        return None
    if isinstance(v, bool):
        return 'true' if v else 'false'
    if isinstance(v, float):
        return 'f:%.9g' % (0.0 if v == 0 else v)
    if isinstance(v, decimal.Decimal):
        return format(v.normalize(), 'f') if v == v.to_integral() else format(v, 'f').rstrip('0')
    if isinstance(v, datetime.datetime):
        if v.tzinfo is not None:
            v = v.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return v.isoformat(sep=' ')
    if isinstance(v, int):
        return str(v)
    return str(v)


def data_files(folder, fmt):
    real = os.path.realpath(folder)
    if os.path.isfile(real):
        return [real]
    ext = '.parquet' if fmt == 'parquet' else '.csv'
    return sorted(f for f in glob.glob(os.path.join(real, '**', '*'), recursive=True)
                  if os.path.isfile(f) and f.endswith(ext) and not os.path.basename(f).startswith(('.', '_')))


def rows(files, fmt, normalise=None):
    if not files:
        return collections.Counter(), []
    lst = '[' + ', '.join("'%s'" % f.replace("'", "''") for f in files) + ']'
    if fmt == 'parquet':
        rel = CON.execute('SELECT * FROM read_parquet(%s, hive_partitioning = true, union_by_name = true)' % lst)
    else:
        rel = CON.execute('SELECT * FROM read_csv(%s, header = true, all_varchar = true, hive_partitioning = true, union_by_name = true)' % lst)
    names = [d[0] for d in rel.description]
    order = sorted(range(len(names)), key=lambda i: names[i])
    out = collections.Counter()
    for r in rel.fetchall():
        rec = {names[i]: canon(r[i]) for i in order}
        if fmt == 'csv':
            rec = {k: canon_text(v) for k, v in rec.items()}
        if normalise:
            rec = normalise(rec)
        out[tuple(sorted(rec.items()))] += 1
    return out, sorted(names)


NUMBER = re.compile(r'[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?')


def canon_text(v):
    """CSV values are text: 12.5, 12.50 and 1.25E1 are the same number; integers stay exact."""
    if v is None or not NUMBER.fullmatch(v):
        return v
    if re.fullmatch(r'[+-]?\d+', v):
        return str(int(v))
    f = float(v)
    return 'n:%.15g' % (0.0 if f == 0 else f)


def reject_normaliser(run_date, unknown_lines=False):
    """unknown_lines: the engine cannot know source lines (Spark's splittable readers), so the
    runner's line is compared as NULL and a reader error (the runner's 'line N: …', Spark's
    'malformed CSV record …') only as being one."""
    def norm(rec):
        if unknown_lines:
            reason = rec.get('reject_reason') or ''
            if re.match(r'(line \d+: |malformed CSV record)', reason):
                rec['reject_reason'] = '<reader error>'
            rec['source_line'] = None
        return base(rec)

    def base(rec):
        f = rec.get('source_file')
        if f:
            m = re.match(r'raw/[^/]+/%s/(.*)$' % re.escape(run_date), f)
            rec['source_file'] = m.group(1) if m else f
        reason = rec.get('reject_reason') or ''
        m = re.match(r'(line \d+): ', reason)
        if m and rec.get('source_line') is not None:
            rec['reject_reason'] = m.group(1) + ': <reader error>'
        return rec
    return norm


def diff(kind, name, expected, actual):
    if expected == actual:
        return []
    missing = list((expected - actual).items())[:3]
    extra = list((actual - expected).items())[:3]
    return [{'what': kind, 'name': name, 'expected_rows': sum(expected.values()), 'actual_rows': sum(actual.values()),
             'missing': [dict(k) | {'_count': n} for k, n in missing], 'unexpected': [dict(k) | {'_count': n} for k, n in extra]}]


def engine_rules(out, run_date):
    files = [f for f in glob.glob(os.path.join(out, 'validation', run_date, '**', '*'), recursive=True)
             if os.path.isfile(f) and f.endswith('.json')]
    res = collections.Counter()
    for f in files:
        for line in open(f, encoding='utf-8'):
            if line.strip():
                r = json.loads(line)
                res[(r['stage'], r['name'], r['status'], int(r['failing']))] += 1
    return res


def compare(case):
    report = json.load(open(case['report']))
    run_date = case['run_date']
    problems = []
    expected_rules = collections.Counter((r['stage'], r['name'], r['status'], int(r['failing'])) for r in report['rules'])
    actual_rules = engine_rules(case['out'], run_date)
    if expected_rules != actual_rules:
        problems.append({'what': 'validation', 'missing': [list(k) for k in expected_rules - actual_rules], 'unexpected': [list(k) for k in actual_rules - expected_rules]})
    published = report['published']
    for o in case['outputs']:
        exp_files = data_files(os.path.join(case['lake'], 'curated', o['path']), o['format']) if published else []
        act_files = data_files(os.path.join(case['out'], 'curated', o['path']), o['format'])
        problems += diff('output', o['stage'], rows(exp_files, o['format'])[0], rows(act_files, o['format'])[0])
    norm = reject_normaliser(run_date, case.get('unknown_lines', False))
    for stage in case['reject_stages']:
        exp = glob.glob(os.path.join(case['lake'], 'rejects', run_date, stage + '.parquet'))
        act = [f for f in glob.glob(os.path.join(case['out'], 'rejects', run_date, stage + '*'), recursive=False)]
        act = [f for a in act for f in (data_files(a, 'parquet') if os.path.isdir(a) else [a])]
        problems += diff('rejects', stage, rows([os.path.realpath(f) for f in exp], 'parquet', norm)[0], rows(act, 'parquet', norm)[0])
    for st in case.get('state', []):
        # a state file is one Parquet file, or (Spark) a folder of part files under that name
        files = {k: data_files(st[k], 'parquet') if os.path.exists(st[k]) else [] for k in ('expected', 'actual')}
        missing = [st[k] for k in ('expected', 'actual') if not files[k]]
        if missing:
            problems.append({'what': 'state', 'name': st['name'], 'missing_files': missing})
        else:
            problems += diff('state', st['name'], rows(files['expected'], 'parquet')[0], rows(files['actual'], 'parquet')[0])
    if case.get('layout') and published:
        for o in case['outputs']:
            problems += layout_problems(o, os.path.join(case['lake'], 'curated', o['path']), os.path.join(case['out'], 'curated', o['path']))
    return problems


def folders(root, files):
    """The partition folders holding data files, relative to the output folder (percent-encoded as written)."""
    real = os.path.realpath(root)
    return sorted({os.path.relpath(os.path.dirname(f), real) for f in files} - {'.'})


def timestamp_kinds(files):
    """Which columns of Parquet files are timestamps, plain or UTC-adjusted (TIMESTAMP WITH TIME ZONE)."""
    kinds = {}
    for f in files:
        for col, ctype, *_ in CON.execute("DESCRIBE SELECT * FROM read_parquet('%s', hive_partitioning = false)" % f.replace("'", "''")).fetchall():
            if ctype.startswith('TIMESTAMP'):
                kinds[col] = ctype
    return kinds


def layout_problems(o, expected_root, actual_root):
    exp = data_files(expected_root, o['format'])
    act = data_files(actual_root, o['format'])
    problems = []
    if folders(expected_root, exp) != folders(actual_root, act):
        problems.append({'what': 'partition folders', 'name': o['stage'], 'expected': folders(expected_root, exp), 'actual': folders(actual_root, act)})
    if o['format'] == 'parquet' and exp and act and timestamp_kinds(exp) != timestamp_kinds(act):
        problems.append({'what': 'parquet timestamp types', 'name': o['stage'], 'expected': timestamp_kinds(exp), 'actual': timestamp_kinds(act)})
    return problems


if __name__ == '__main__':
    print(json.dumps([compare(case) for case in json.load(open(sys.argv[1]))], indent=1, default=str))
