/** bb_runtime.py, part 4: validation rules and aggregate measures. Python source, shipped verbatim in Beam exports. */
export const RUNTIME_RULES_PY = String.raw`

# ---- validation rules -------------------------------------------------------------------------

class Rule(object):
    """A validation rule's identity and what its failure does (severity -> exit status,
    action -> fail: nothing is published, reject: failing rows go to rejects, warn: nothing)."""
    row_rule = False
    needs = ()  # what the pipeline must compute for it: 'unique', 'relationship'

    def __init__(self, name, rule, severity='error', action='fail'):
        self.name, self.rule, self.severity, self.action = name, rule, severity, action

    def result(self, failing, stage):
        return {'stage': stage, 'name': self.name, 'rule': self.rule, 'severity': self.severity,
                'action': self.action, 'status': 'fail' if failing > 0 else 'pass', 'failing': int(failing)}


def _pairs_text(columns, row):
    return ', '.join('%s=%s' % (c, value_text(row[c])) for c in columns)


class NotNull(Rule):
    row_rule = True

    def __init__(self, name, columns, **kw):
        Rule.__init__(self, name, 'not_null', **kw)
        self.columns = columns

    def fails(self, row):
        return any(row[c] is None for c in self.columns)

    def reason(self, row):
        return 'null in ' + ', '.join(c for c in self.columns if row[c] is None)


class Unique(Rule):
    """Rows whose (non-NULL) key occurs more than once all fail; the pipeline counts the keys."""
    row_rule = True
    needs = ('unique',)

    def __init__(self, name, columns, **kw):
        Rule.__init__(self, name, 'unique', **kw)
        self.columns = columns

    def key(self, row):
        return join_key([row[c] for c in self.columns])

    def reason(self, row):
        return 'not unique: ' + _pairs_text(self.columns, row)


class AcceptedValues(Rule):
    row_rule = True

    def __init__(self, name, column, values, **kw):
        Rule.__init__(self, name, 'accepted_values', **kw)
        self.column, self.values = column, values

    def fails(self, row):
        v = row[self.column]
        return v is not None and in_(v, self.values) is False

    def reason(self, row):
        return "%s: '%s' is not an accepted value" % (self.column, value_text(row[self.column]))


class Range(Rule):
    row_rule = True

    def __init__(self, name, column, min=None, max=None, shown=('-inf', '+inf'), **kw):
        Rule.__init__(self, name, 'range', **kw)
        self.column, self.min, self.max, self.shown = column, min, max, shown

    def fails(self, row):
        v = row[self.column]
        return v is not None and ((self.min is not None and lt(v, self.min) is True) or (self.max is not None and gt(v, self.max) is True))

    def reason(self, row):
        return '%s: %s is outside [%s, %s]' % (self.column, value_text(row[self.column]), self.shown[0], self.shown[1])


class Regex(Rule):
    row_rule = True

    def __init__(self, name, column, pattern, shown=None, **kw):
        """pattern: translated for Python's re; shown: the spec's own (RE2) pattern, for the reason."""
        Rule.__init__(self, name, 'regex', **kw)
        self.column, self.pattern, self.shown = column, pattern, pattern if shown is None else shown

    def fails(self, row):
        v = row[self.column]
        return v is not None and not regexp_full_match(v, self.pattern)

    def reason(self, row):
        return "%s: '%s' does not match %s" % (self.column, row[self.column], self.shown)


class Relationship(Rule):
    """Rows whose (non-NULL) key has no match in another stage fail; the pipeline joins them."""
    row_rule = True
    needs = ('relationship',)

    def __init__(self, name, columns, to, to_columns=None, **kw):
        Rule.__init__(self, name, 'relationship', **kw)
        self.columns, self.to, self.to_columns = columns, to, to_columns or columns

    def key(self, row):
        return join_key([row[c] for c in self.columns])

    def target_key(self, row):
        return join_key([row[c] for c in self.to_columns])

    def reason(self, row):
        return '%s has no match in %s' % (_pairs_text(self.columns, row), self.to)


class Expression(Rule):
    row_rule = True

    def __init__(self, name, text_, check, **kw):
        Rule.__init__(self, name, 'expression', **kw)
        self.text, self.check = text_, check

    def fails(self, row):
        return self.check(row) is False

    def reason(self, row):
        return 'rule not true: %s' % self.text


class RowCount(Rule):
    def __init__(self, name, min=None, max=None, **kw):
        Rule.__init__(self, name, 'row_count', **kw)
        self.min, self.max = min, max

    def failing(self, n):
        return int((self.min is not None and n < self.min) or (self.max is not None and n > self.max))


class Freshness(Rule):
    def __init__(self, name, column, max_age_seconds, **kw):
        Rule.__init__(self, name, 'freshness', **kw)
        self.column, self.max_age_seconds = column, max_age_seconds

    def failing(self, latest, run_date):
        as_of = _dt.datetime(run_date.year, run_date.month, run_date.day) + _dt.timedelta(days=1)
        latest = as_type(latest, 'timestamp')
        return int(latest is None or latest < as_of - _dt.timedelta(seconds=self.max_age_seconds))


class Side(object):
    """One side of a reconcile rule: fn(column) per group of group_by, as a double."""

    def __init__(self, stage, fn, column=None, group_by=()):
        # column: a name, or a function of the row (a side measured by an expression)
        self.stage, self.fn, self.column, self.group_by = stage, fn, column, list(group_by)

    def measure(self):
        return Measure(self.fn, self.column, 'double')


class Reconcile(Rule):
    def __init__(self, name, left, right, absolute=None, relative=None, **kw):
        Rule.__init__(self, name, 'reconcile', **kw)
        self.left, self.right, self.absolute, self.relative = left, right, absolute, relative

    def mismatch(self, lv, rv):
        lv, rv = lv or 0.0, rv or 0.0
        diff = lv - rv
        within = []
        if self.absolute is not None:
            within.append(abs(diff) <= self.absolute + 1e-9)
        if self.relative is not None:
            within.append(abs(diff) <= self.relative * max(abs(lv), abs(rv)) + 1e-9)
        return not any(within) if within else diff != 0


class Conservation(Rule):
    def __init__(self, name, stage, **kw):
        Rule.__init__(self, name, 'conservation', **kw)
        self.stage = stage

    def failing(self, stats):
        return int(stats['rows_in'] != stats['rows_out'] + stats['rejected'] + stats['filtered'])


# ---- measures: aggregate functions as accumulators (create / add / merge / extract) -----------

class Measure(object):
    """fn over a column (a name), an expression (a function of the row) or the rows (None),
    cast to 'type_' like the runner's CAST(fn(x) AS type)."""

    def __init__(self, fn, arg=None, type_='double'):
        self.fn, self.arg, self.type = fn, arg, type_

    def value(self, row):
        if self.arg is None:
            return 1
        return self.arg(row) if callable(self.arg) else row[self.arg]

    def create(self):
        return {'n': 0, 'v': None, 'seen': set()} if self.fn == 'count_distinct' else {'n': 0, 'v': None}

    def add(self, acc, row):
        v = self.value(row)
        if v is None or (self.fn == 'count_if' and v is not True):
            return acc
        acc['n'] += 1
        if self.fn == 'count_distinct':
            acc['seen'].add(_key_part(v))
        elif self.fn in ('sum', 'avg'):
            acc['v'] = v if acc['v'] is None else add(acc['v'], v) if not isinstance(v, float) else acc['v'] + v
        elif self.fn == 'min':
            acc['v'] = v if acc['v'] is None or lt(v, acc['v']) else acc['v']
        elif self.fn == 'max':
            acc['v'] = v if acc['v'] is None or gt(v, acc['v']) else acc['v']
        return acc

    def merge(self, accs):
        out = self.create()
        for a in accs:
            out['n'] += a['n']
            if self.fn == 'count_distinct':
                out['seen'] |= a['seen']
            elif a['v'] is not None:
                if out['v'] is None:
                    out['v'] = a['v']
                elif self.fn in ('sum', 'avg'):
                    out['v'] = add(out['v'], a['v']) if not isinstance(a['v'], float) else out['v'] + a['v']
                elif self.fn == 'min':
                    out['v'] = a['v'] if lt(a['v'], out['v']) else out['v']
                else:
                    out['v'] = a['v'] if gt(a['v'], out['v']) else out['v']
        return out

    def extract(self, acc):
        if self.fn in ('count', 'count_if'):
            v = acc['n']
        elif self.fn == 'count_distinct':
            v = len(acc['seen'])
        elif self.fn == 'avg':
            v = None if acc['n'] == 0 else float(_CTX.divide(D(acc['v']), acc['n'])) if not isinstance(acc['v'], float) else acc['v'] / acc['n']
        else:
            v = acc['v']
        return convert(v, self.type, safe=False)
`;
