/** bb_runtime.py, part 3: rows, grouping keys and the cleanse steps. Python source, shipped verbatim in Beam exports. */
export const RUNTIME_STEPS_PY = String.raw`

# ---- rows ------------------------------------------------------------------------------------
# A row is a dict of its columns plus bookkeeping keys that start with '_bb_' (a prefix
# column names may not use):
#   _bb_lin     lineage (source, file index, row in file, shown file, source row, line) or None
#   _bb_reason  why the row was rejected (the first reason wins), or None
#   _bb_dropped True once a filter with on_false: drop removed it (it is only counted)
#   _bb_raw     the raw text of a row the reader or the ingest typing rejected

def alive(row):
    return row.get('_bb_reason') is None and not row.get('_bb_dropped')


def columns_of(row):
    return {k: v for k, v in row.items() if not k.startswith('_bb_')}


def _key_part(v):
    if v is None or isinstance(v, (str, bool)):
        return v
    if isinstance(v, float) and not _math.isfinite(v):
        return ('f', repr(v))
    if isinstance(v, (int, float, D)):
        n = D(v)
        return ('n', '0' if n == 0 else format(n.normalize(context=_CTX), 'f'))
    return ('t', text(v))


def group_key(values):
    """A deterministic, hashable key for grouping: equal numbers of any type give the same key;
    NULL is kept (GROUP BY and PARTITION BY put NULLs together)."""
    return tuple(_key_part(v) for v in values)


def join_key(values):
    """group_key, or None when a value is NULL (NULL never equals anything in a join)."""
    return None if any(v is None for v in values) else group_key(values)


# ---- cleanse steps: each computes the step's columns from the previous step's row ------------

def _reasons(parts):
    real = [p for p in parts if p is not None]
    return '; '.join(real) or None


def _cannot_read(column, value, what):
    return "%s: cannot read '%s' as %s" % (column, text(value), what)


class Step(object):
    """One row-level cleanse step: apply(row) -> (row, reason or None, dropped)."""
    dedupe = False

    def apply(self, row):
        raise NotImplementedError


class Trim(Step):
    def __init__(self, columns):
        self.columns = columns

    def apply(self, row):
        out = dict(row)
        for c in self.columns:
            out[c] = trim(row[c])
        return out, None, False


class Case(Step):
    def __init__(self, columns, to):
        self.columns, self.to = columns, to

    def apply(self, row):
        out = dict(row)
        for c in self.columns:
            out[c] = upper(row[c]) if self.to == 'upper' else lower(row[c])
        return out, None, False


class Cast(Step):
    def __init__(self, columns, type_, on_error='reject'):
        self.columns, self.type, self.on_error = columns, type_, on_error

    def apply(self, row):
        out, parts = dict(row), []
        for c in self.columns:
            out[c] = convert(row[c], self.type, safe=self.on_error != 'fail')
            if self.on_error == 'reject' and row[c] is not None and out[c] is None:
                parts.append(_cannot_read(c, row[c], self.type))
        return out, _reasons(parts), False


def _local_to_utc(naive, zone):
    """A wall-clock time in 'zone' as UTC: in a gap the offset before the transition, in an
    overlap the later instant (what DuckDB's ICU timezone() does)."""
    import zoneinfo
    z = zoneinfo.ZoneInfo(zone)
    utc = _dt.timezone.utc
    return max(naive.replace(tzinfo=z, fold=f).astimezone(utc) for f in (0, 1)).replace(tzinfo=None)


def _strptime(value, fmt):
    try:
        return _dt.datetime.strptime(value, fmt)
    except ValueError:
        return None


class ParseDate(Step):
    def __init__(self, column, formats, timezone=None, type_='timestamp', into=None, on_error='reject'):
        self.column, self.formats, self.timezone, self.type = column, formats, timezone, type_
        self.into, self.on_error = into or column, on_error
        self.zoned = any('%z' in f or '%Z' in f for f in formats)

    def parse(self, raw):
        if raw is None:
            return None
        value = raw.strip(' ')
        if self.zoned:
            value = _re.sub('[Zz]\\Z', '+00:00', value)
        for fmt in self.formats:
            # DuckDB's %z also reads a bare hour offset (+02), which Python's strptime does not
            t = _strptime(_re.sub('([+-][0-9]{2})\\Z', '\\1:00', value) if fmt.endswith('%z') else value, fmt)
            if t is None:
                continue
            if t.tzinfo is not None:
                t = t.astimezone(_dt.timezone.utc).replace(tzinfo=None)
                return t.date() if self.type == 'date' else t
            if self.type == 'date':
                return t.date()
            return _local_to_utc(t, self.timezone) if self.timezone and self.timezone != 'UTC' else t
        return None

    def apply(self, row):
        raw = row[self.column]
        out = dict(row)
        out[self.into] = value = self.parse(raw)
        failed = raw is not None and raw.strip(' ') != '' and value is None
        if failed and self.on_error == 'fail':
            raise EvalError(_cannot_read(self.column, raw, 'a %s (%s)' % (self.type, ' | '.join(self.formats))))
        reason = _cannot_read(self.column, raw, 'a %s (%s)' % (self.type, ' | '.join(self.formats))) if failed and self.on_error == 'reject' else None
        return out, reason, False


class ParseNumber(Step):
    def __init__(self, column, type_='double', thousands=',', decimal='.', currency=True, into=None, on_error='reject'):
        self.column, self.type, self.thousands, self.decimal = column, type_, thousands, decimal
        self.currency, self.into, self.on_error = currency, into or column, on_error
        grouped = '' if thousands == '' else '|\\d{1,3}(%s\\d{3})+' % _re.escape(thousands)
        self.shape = '^[+-]?(\\d+%s)(%s\\d+)?$' % (grouped, _re.escape(decimal))

    def parse(self, raw):
        if raw is None:
            return None
        t = raw.strip(' ')
        if self.currency:
            t = regex('^[^0-9+\\-.,]*|[^0-9.,]*$').sub('', t).strip(' ')
        if not regex(self.shape).fullmatch(t):
            return None
        if self.thousands:
            t = t.replace(self.thousands, '')
        return from_text(t.replace(self.decimal, '.'), self.type)

    def apply(self, row):
        raw = row[self.column]
        out = dict(row)
        out[self.into] = value = self.parse(raw)
        failed = raw is not None and raw.strip(' ') != '' and value is None
        what = "a number (thousands '%s', decimal '%s')" % (self.thousands, self.decimal)
        if failed and self.on_error == 'fail':
            raise EvalError(_cannot_read(self.column, raw, what))
        return out, _cannot_read(self.column, raw, what) if failed and self.on_error == 'reject' else None, False


class Filter(Step):
    def __init__(self, text_, keep, on_false='drop'):
        self.text, self.keep, self.on_false = text_, keep, on_false

    def apply(self, row):
        keep = self.keep(row) is True
        if self.on_false == 'drop':
            return row, None, not keep
        return row, None if keep else 'filter not true: %s' % self.text, False


class Derive(Step):
    def __init__(self, column, fn):
        self.column, self.fn = column, fn

    def apply(self, row):
        out = dict(row)
        out[self.column] = self.fn(row)
        return out, None, False


class Rename(Step):
    def __init__(self, mapping):
        self.mapping = mapping

    def apply(self, row):
        return {self.mapping.get(k, k): v for k, v in row.items()}, None, False


class Drop(Step):
    def __init__(self, columns):
        self.columns = frozenset(columns)

    def apply(self, row):
        return {k: v for k, v in row.items() if k not in self.columns}, None, False


class FillNull(Step):
    def __init__(self, values):
        self.values = values  # column -> typed value

    def apply(self, row):
        out = dict(row)
        for c, v in self.values.items():
            if out[c] is None:
                out[c] = v
        return out, None, False


class Standardise(Step):
    def __init__(self, column, mapping, ignore_case=True, unmapped='keep'):
        self.column, self.ignore_case, self.unmapped = column, ignore_case, unmapped
        self.mapping = {}
        for k, v in mapping.items():
            self.mapping.setdefault(self.probe(k), v)

    def probe(self, v):
        return v.strip(' ').lower() if self.ignore_case else v.strip(' ')

    def apply(self, row):
        raw = row[self.column]
        out = dict(row)
        key = None if raw is None else self.probe(raw)
        known = key in self.mapping
        out[self.column] = self.mapping[key] if known else (None if self.unmapped == 'null' else raw)
        reason = "%s: '%s' is not a known value" % (self.column, raw) if self.unmapped == 'reject' and raw is not None and not known else None
        return out, reason, False


class Dedupe(object):
    """Keeps the first row per key in order_by order (NULLs last), ties by source row; the
    others are rejected. Needs a grouping, so the pipeline runs it between row steps."""
    dedupe = True

    def __init__(self, keys, order_by):
        self.keys, self.order_by = keys, order_by

    def key(self, row):
        return group_key([row[k] for k in self.keys])

    def rank(self, rows):
        """rows of one key (all alive), in their kept-first order."""
        rows = sorted(rows, key=_seq)
        for col, direction in reversed(self.order_by):
            if direction == 'desc':
                rows.sort(key=lambda r: (r[col] is not None, _sortable(r[col])), reverse=True)
            else:
                rows.sort(key=lambda r: (r[col] is None, _sortable(r[col])))
        return rows

    def reason(self, row):
        return 'duplicate of a kept row with ' + ', '.join('%s=%s' % (k, value_text(row[k])) for k in self.keys)


def _sortable(v):
    if v is None:
        return 0
    if isinstance(v, _dt.datetime):
        return (v.date(), v.time())
    if isinstance(v, _dt.date):
        return (v, _dt.time())
    return v


def _seq(row):
    lin = row.get('_bb_lin')
    return (0, lin[0] or '', lin[1] if lin[1] is not None else -1, lin[2] if lin[2] is not None else -1) if lin else (1, repr(sorted(columns_of(row).items(), key=lambda kv: kv[0])))


def apply_steps(steps, row):
    """Row-level steps in order: a rejected row keeps flowing (later steps still compute its
    columns) but keeps its first reason; a dropped row is only counted."""
    for st in steps:
        was_alive = alive(row)
        out, reason, dropped = st.apply(row)
        if was_alive and reason is not None:
            out['_bb_reason'] = reason
        if was_alive and dropped:
            out['_bb_dropped'] = True
        row = out
    return row
`;
