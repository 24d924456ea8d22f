/**
 * Python source of Batchbook's raw-file readers, shared by the PySpark job (run inside
 * `binaryFiles().flatMap`) and the Beam pipeline. They reproduce the embedded DuckDB runner's
 * reading (src/node/runner/sourceRelation.ts): every value as text, empty fields as NULL,
 * a CSV record with the wrong number of fields becomes a reader error with its line number,
 * NDJSON lines are numbered counting blank lines, a line that is not a JSON object is rejected.
 *
 * Each reader yields tuples (row_in_file | None, error_line | None, error | None, raw | None,
 * line | None, values…): good rows are numbered 1.. in file order and carry the physical line
 * their record starts on (None for JSON and Parquet), reader errors carry their line instead.
 */
export const READERS_PY = String.raw`
import csv as _csv
import io as _io
import json as _json

_ENCODINGS = {'utf-8': 'utf-8-sig', 'latin-1': 'latin-1', 'utf-16': 'utf-16'}


class SourceError(Exception):
    """A file that cannot be read at all (missing pinned columns): the run stops."""


def _json_text(v):
    if v is None:
        return None
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return 'true' if v else 'false'
    if isinstance(v, (dict, list)):
        return _json.dumps(v, separators=(',', ':'), ensure_ascii=False)
    if isinstance(v, float):
        return repr(v)
    return str(v)


def csv_dialect(options):
    """The csv module's reader arguments for a source's CSV options."""
    quote = options.get('quote', '"')
    return dict(delimiter=options.get('delimiter', ','), quotechar=quote or None,
                quoting=_csv.QUOTE_MINIMAL if quote else _csv.QUOTE_NONE,
                doublequote=options.get('escape', quote) == quote,
                escapechar=None if options.get('escape', quote) == quote else options.get('escape'), strict=False)


def read_csv_bytes(data, shown, columns, options):
    """CSV as DuckDB's strict reader sees it. columns: the pinned names."""
    text = data.decode(_ENCODINGS.get(options.get('encoding', 'utf-8'), 'utf-8'))
    lines = text.split('\n')
    skip = int(options.get('skip_rows', 0) or 0)
    body = '\n'.join(lines[skip:])
    reader = _csv.reader(_io.StringIO(body, newline=''), **csv_dialect(options))
    nulls = set(options.get('null_values') or [''])
    header = options.get('header', True)
    names = None
    row = 0
    prev_line = 0
    for record in reader:
        first_line = prev_line + 1 + skip
        prev_line = reader.line_num
        if not record or record == ['']:
            continue
        if names is None:
            if header:
                names = [h.strip() for h in record]
                missing = [c for c in columns if c not in names]
                if missing:
                    raise SourceError("%s has no column %s (its header: %s)" % (shown, ', '.join("'%s'" % m for m in missing), ', '.join(names)))
                continue
            names = list(columns)
        if len(record) != len(names):
            raw = '\n'.join(lines[first_line - 1:prev_line + skip]).rstrip('\r')
            msg = 'line %d: Expected Number of Columns: %d Found: %d' % (first_line, len(names), len(record))
            yield (None, first_line, msg, raw, None) + (None,) * len(columns)
            continue
        row += 1
        by_name = dict(zip(names, record))
        yield (row, None, None, None, first_line) + tuple(None if by_name[c] in nulls else by_name[c] for c in columns)


def ndjson_object(line):
    """The JSON object a non-blank NDJSON line holds, or None when it is not one."""
    if not line.lstrip(' ').startswith('{'):
        return None
    try:
        obj = _json.loads(line)
    except ValueError:
        return None
    return obj if isinstance(obj, dict) else None


def read_ndjson_bytes(data, shown, columns, options):
    text = data.decode('utf-8-sig')
    lines = text.split('\n')
    if lines and lines[-1] == '':
        lines.pop()
    for i, line in enumerate(lines, start=1):
        line = line.rstrip('\r')
        if line.strip(' ') == '':
            continue
        obj = ndjson_object(line)
        if obj is None:
            yield (i, None, 'not valid JSON: ' + line[:120], None, i) + (None,) * len(columns)
            continue
        yield (i, None, None, None, i) + tuple(_json_text(obj.get(c)) for c in columns)


def read_json_bytes(data, shown, columns, options):
    items = _json.loads(data.decode('utf-8-sig'))
    if not isinstance(items, list):
        raise SourceError('%s is not a JSON array of objects' % shown)
    for i, obj in enumerate(items, start=1):
        obj = obj if isinstance(obj, dict) else {}
        yield (i, None, None, None, None) + tuple(_json_text(obj.get(c)) for c in columns)


def _parquet_text(v):
    import datetime as _dt
    import decimal as _dec
    if v is None:
        return None
    if isinstance(v, bool):
        return 'true' if v else 'false'
    if isinstance(v, _dt.datetime):
        if v.tzinfo is not None:
            v = v.astimezone(_dt.timezone.utc).replace(tzinfo=None)
        return v.isoformat(sep=' ')
    if isinstance(v, (_dt.date, _dec.Decimal, int)):
        return str(v)
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, bytes):
        return v.decode('utf-8', 'replace')
    return str(v)


def read_parquet_bytes(data, shown, columns, options):
    import pyarrow.parquet as _pq
    table = _pq.read_table(_io.BytesIO(data), columns=list(columns))
    for i, rec in enumerate(table.to_pylist(), start=1):
        yield (i, None, None, None, None) + tuple(_parquet_text(rec.get(c)) for c in columns)


READERS = {'csv': read_csv_bytes, 'ndjson': read_ndjson_bytes, 'json': read_json_bytes, 'parquet': read_parquet_bytes}
`;
