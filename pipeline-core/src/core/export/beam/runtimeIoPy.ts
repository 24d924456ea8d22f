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


# ---- split reads: one big file read by many workers, never held whole ----------------------------

def file_parts(fmt, options, size, split_bytes, open_file):
    """How one file is read, as parts for many workers: Parquet by row group ('rows', group, rows
    before it), so row numbers stay exact; a CSV or NDJSON file (UTF-8 or Latin-1) larger than
    split_bytes in byte ranges ('bytes', start, end); anything else whole ([None])."""
    if fmt == 'parquet':
        import pyarrow.parquet as pq
        with open_file() as f:
            meta = pq.ParquetFile(f).metadata
        parts, before = [], 0
        for g in range(meta.num_row_groups):
            parts.append(('rows', g, before))
            before += meta.row_group(g).num_rows
        return parts or [None]
    splittable = fmt in ('csv', 'ndjson') and options.get('encoding', 'utf-8') in ('utf-8', 'latin-1')
    if splittable and split_bytes and size > split_bytes:
        return [('bytes', start, min(start + split_bytes, size)) for start in range(0, size, split_bytes)]
    return [None]


def read_row_group(f, group, before, columns):
    """Reader tuples (see READERS) of one Parquet row group, in batches; rows numbered from before + 1."""
    import pyarrow.parquet as pq
    i = before
    for batch in pq.ParquetFile(f).iter_batches(batch_size=8192, row_groups=[group], columns=list(columns)):
        for rec in batch.to_pylist():
            i += 1
            yield (i, None, None, None, None) + tuple(_parquet_text(rec.get(c)) for c in columns)


def lines_in_range(f, start, end):
    """(byte offset, line) of every line starting in [start, end): the line crossing end is this
    range's, the partial line at start the previous range's (as Hadoop's and Beam's text splits)."""
    if start > 0:
        f.seek(start - 1)
        f.readline()  # the rest of the previous range's last line (just its '\n' when it ends at start)
    pos = f.tell()
    while pos < end:
        line = f.readline()
        if not line:
            break
        yield pos, line
        pos += len(line)


def _header_end(f, fmt, columns, options, shown):
    """(byte offset after the header and skipped rows, the field names) of a CSV / NDJSON file."""
    if fmt != 'csv':
        return 0, list(columns)
    f.seek(0)
    for _ in range(int(options.get('skip_rows', 0) or 0)):
        f.readline()
    if not options.get('header', True):
        return f.tell(), list(columns)
    line = f.readline()
    while line and not line.strip():
        line = f.readline()
    names = [h.strip() for h in next(_csv.reader([line.decode('utf-8-sig').rstrip('\r\n')], **csv_dialect(options)), [])]
    missing = [c for c in columns if c not in names]
    if missing:
        raise SourceError("%s has no column %s (its header: %s)" % (shown, ', '.join("'%s'" % m for m in missing), ', '.join(names)))
    return f.tell(), names


def read_text_range(fmt, f, start, end, shown, columns, options):
    """(byte offset, error, raw record, values…) of the CSV records / NDJSON lines starting in one
    byte range. No line numbers (counting them means reading every byte before the range): a
    reject keeps its file and raw record. A CSV record must fit on one line here (a quoted line
    break splits it into two records, both rejected)."""
    skip_to, names = _header_end(f, fmt, columns, options, shown)
    encoding = 'latin-1' if options.get('encoding') == 'latin-1' else 'utf-8'
    nulls = set(options.get('null_values') or [''])
    for pos, line in lines_in_range(f, max(start, skip_to), end):
        text = line.decode(encoding, 'replace').rstrip('\n').rstrip('\r')
        if pos == 0:
            text = text.lstrip('\ufeff')
        if fmt == 'ndjson':
            if text.strip(' ') == '':
                continue
            obj = ndjson_object(text)
            if obj is None:
                yield (pos, 'not valid JSON: ' + text[:120], text) + (None,) * len(columns)
                continue
            yield (pos, None, None) + tuple(_json_text(obj.get(c)) for c in columns)
            continue
        record = next(_csv.reader([text], **csv_dialect(options)), [])
        if not record or record == ['']:
            continue
        if len(record) != len(names):
            yield (pos, 'Expected Number of Columns: %d Found: %d' % (len(names), len(record)), text) + (None,) * len(columns)
            continue
        by_name = dict(zip(names, record))
        yield (pos, None, None) + tuple(None if by_name[c] in nulls else by_name[c] for c in columns)


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
