/** bb_runtime.py, part 5: typing ingested rows, reject records, file encoding, Pub/Sub messages, custom SQL. Python source, shipped verbatim in Beam exports. */
export const RUNTIME_IO_PY = String.raw`

# ---- rows in and out ----------------------------------------------------------------------------

def typed_row(columns, values, lineage, error, raw, reader_error):
    """An ingested row: every pinned column typed from its text; a value that does not fit
    rejects the row with the reason (the reader's own error wins)."""
    row, parts = {}, []
    for (name, type_), v in zip(columns, values):
        row[name] = typed = from_text(v, type_)
        if type_ != 'string' and v is not None and typed is None:
            parts.append("%s: cannot read '%s' as %s" % (name, v, type_))
    reason = error if reader_error else (error or _reasons(parts))
    row['_bb_lin'] = lineage
    row['_bb_reason'] = reason
    row['_bb_dropped'] = False
    row['_bb_raw'] = (raw if raw is not None else ','.join('' if v is None else v for v in values)) if reason is not None else None
    return row


def start_row(row):
    """A stage's working copy of an input row: nothing rejected or dropped yet."""
    out = dict(row)
    out['_bb_reason'], out['_bb_dropped'], out['_bb_raw'], out['_bb_flags'] = None, False, None, {}
    return out


def check_row_rules(row, rules):
    """Flags every row rule on the row (unique / relationship flags are already set) and gives
    it the reasons of the reject-action rules it fails, in rule order."""
    flags = dict(row['_bb_flags'])
    reasons = []
    for i, rule in rules:
        if i not in flags:
            flags[i] = bool(rule.fails(row))
        if flags[i] and rule.action == 'reject':
            reasons.append('%s: %s' % (rule.name, rule.reason(row)))
    out = dict(row)
    out['_bb_flags'] = flags
    out['_bb_reason'] = '; '.join(reasons) if reasons else None
    return out


def reject_record(row):
    lin = row.get('_bb_lin')
    out = {'source_name': lin[0] if lin else None, 'source_file': lin[3] if lin else None,
           'source_row': lin[4] if lin else None, 'source_line': lin[5] if lin else None,
           'reject_reason': row['_bb_reason'], 'raw_line': row.get('_bb_raw')}
    out.update(columns_of(row))
    return out


def partition_dir(column, value):
    """col=value as a hive partition folder (percent-encoded; NULL as DuckDB and Spark name it)."""
    return '%s=%s' % (column, '__HIVE_DEFAULT_PARTITION__' if value is None else _quote(text(value)))


def _quote(s):
    import urllib.parse
    return urllib.parse.quote(s, safe='')


def _csv_field(v):
    if v is None:
        return ''
    s = text(v)
    if s == '' or any(ch in s for ch in ',"\n\r'):
        return '"' + s.replace('"', '""') + '"'
    return s


def arrow_type(type_):
    import pyarrow as pa
    kind, p, s = parse_type(type_)
    return {'string': pa.string(), 'integer': pa.int64(), 'double': pa.float64(), 'boolean': pa.bool_(),
            'date': pa.date32(), 'timestamp': pa.timestamp('us')}.get(kind) or pa.decimal128(p, s)


def encode_rows(fmt, columns, rows):
    """The bytes of a Parquet or CSV file (header, NULL as empty, '' quoted) holding rows."""
    if fmt == 'csv':
        lines = [','.join(_csv_field(c) for c, _ in columns)]
        lines += [','.join(_csv_field(r.get(c)) for c, _ in columns) for r in rows]
        return ('\n'.join(lines) + '\n').encode('utf-8')
    import pyarrow as pa
    import pyarrow.parquet as pq
    schema = pa.schema([(c, arrow_type(t)) for c, t in columns])
    table = pa.Table.from_pydict({c: [r.get(c) for r in rows] for c, _ in columns}, schema=schema)
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    return sink.getvalue().to_pybytes()


def message_row(data, source, fmt, columns, options):
    """One Pub/Sub message (streaming): a CSV record in the pinned column order, or a JSON object."""
    names = [c for c, _ in columns]
    body = data.decode('utf-8') if isinstance(data, bytes) else data
    if fmt == 'csv':
        import csv as _csvm
        rec = next(_csvm.reader([body], delimiter=options.get('delimiter', ',')), [])
        ok = len(rec) == len(names)
        values = tuple((None if v in (options.get('null_values') or ['']) else v) for v in rec) if ok else (None,) * len(names)
        err = None if ok else 'Expected Number of Columns: %d Found: %d' % (len(names), len(rec))
    else:
        try:
            obj = _json.loads(body)
        except ValueError:
            obj = None
        ok = isinstance(obj, dict)
        values = tuple(_json_text(obj.get(c)) for c in names) if ok else (None,) * len(names)
        err = None if ok else 'not valid JSON: ' + body[:120]
    return typed_row(columns, values, (source, 0, None, 'pubsub', None, None), err, None if ok else body, False)


def run_duckdb_sql(query, tables, input_columns, columns):
    """Custom SQL (DuckDB dialect) over the input rows, as the runner runs it; rows typed to the
    declared columns. Needs the duckdb package on the workers."""
    import duckdb
    import pyarrow as pa
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    for name, rows in tables.items():
        cols = input_columns[name]
        schema = pa.schema([(c, arrow_type(t)) for c, t in cols])
        con.register(name, pa.Table.from_pydict({c: [r.get(c) for r in rows] for c, _ in cols}, schema=schema))
    select = ', '.join('CAST(q."%s" AS %s) AS "%s"' % (c.replace('"', '""'), _duck_type(t), c.replace('"', '""')) for c, t in columns)
    body = _re.sub(r';\s*\Z', '', query.strip())
    result = con.execute('SELECT %s FROM (\n%s\n) q' % (select, body)).fetch_arrow_table().to_pylist()
    con.close()
    return result


def _duck_type(type_):
    kind, p, s = parse_type(type_)
    return {'string': 'VARCHAR', 'integer': 'BIGINT', 'double': 'DOUBLE', 'boolean': 'BOOLEAN', 'date': 'DATE',
            'timestamp': 'TIMESTAMP'}.get(kind) or 'DECIMAL(%d,%d)' % (p, s)
`;
