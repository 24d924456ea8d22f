/** bb_runtime.py, part 2: the helpers exported expressions call (emit/python.ts), one per operator and catalog function. Python source, shipped verbatim in Beam exports. */
export const RUNTIME_EXPR_PY = String.raw`

# ---- expression helpers: what the exported expressions call (NULL in, NULL out) -------------

def _pair(a, b):
    """Two operands in their common type: a double wins; a date meets a timestamp as midnight."""
    if isinstance(a, float) or isinstance(b, float):
        if isinstance(a, (int, D)) and not isinstance(a, bool):
            return float(a), b
        if isinstance(b, (int, D)) and not isinstance(b, bool):
            return a, float(b)
        return a, b
    if isinstance(a, _dt.datetime) != isinstance(b, _dt.datetime):
        return as_type(a, 'timestamp'), as_type(b, 'timestamp')
    return a, b


def add(a, b):
    if a is None or b is None:
        return None
    a, b = _pair(a, b)
    if isinstance(a, D) or isinstance(b, D):
        return _CTX.add(D(a), D(b))
    return _int(a + b) if isinstance(a, int) and isinstance(b, int) else a + b


def sub(a, b):
    if a is None or b is None:
        return None
    a, b = _pair(a, b)
    if isinstance(a, D) or isinstance(b, D):
        return _CTX.subtract(D(a), D(b))
    return _int(a - b) if isinstance(a, int) and isinstance(b, int) else a - b


def mul(a, b):
    if a is None or b is None:
        return None
    a, b = _pair(a, b)
    if isinstance(a, D) or isinstance(b, D):
        return _CTX.multiply(D(a), D(b))
    return _int(a * b) if isinstance(a, int) and isinstance(b, int) else a * b


def div(a, b):
    """Always a double; NULL for a zero divisor (not an error, not Infinity)."""
    if a is None or b is None:
        return None
    b = float(b)
    return None if b == 0 else float(a) / b


def mod(a, b):
    """The remainder with the quotient truncated toward zero (the sign of a); NULL for b = 0."""
    if a is None or b is None or b == 0:
        return None
    a, b = _pair(a, b)
    if isinstance(a, float):
        return _math.fmod(a, b)
    if isinstance(a, D) or isinstance(b, D):
        return _CTX.remainder(D(a), D(b))
    r = abs(a) % abs(b)
    return -r if a < 0 else r


def neg(a):
    if a is None:
        return None
    return _int(-a) if isinstance(a, int) else -a


def concat2(a, b):
    return None if a is None or b is None else a + b


def eq(a, b):
    if a is None or b is None:
        return None
    a, b = _pair(a, b)
    return a == b


def ne(a, b):
    r = eq(a, b)
    return None if r is None else not r


def lt(a, b):
    if a is None or b is None:
        return None
    a, b = _pair(a, b)
    return a < b


def le(a, b):
    if a is None or b is None:
        return None
    a, b = _pair(a, b)
    return a <= b


def gt(a, b):
    return lt(b, a)


def ge(a, b):
    return le(b, a)


def and_(*xs):
    if any(x is False for x in xs):
        return False
    return None if any(x is None for x in xs) else True


def or_(*xs):
    if any(x is True for x in xs):
        return True
    return None if any(x is None for x in xs) else False


def not_(x):
    return None if x is None else not x


def true(x):
    """A predicate holds only when TRUE (NULL counts as false)."""
    return x is True


def in_(x, items):
    if x is None:
        return None
    seen_null = False
    for it in items:
        r = eq(x, it)
        if r:
            return True
        seen_null = seen_null or r is None
    return None if seen_null else False


def between(x, lo, hi):
    return and_(ge(x, lo), le(x, hi))


@_ft.lru_cache(maxsize=1024)
def _like_re(pattern, ci):
    out = ''.join('.*' if ch == '%' else '.' if ch == '_' else _re.escape(ch) for ch in pattern)
    return _re.compile(out, _re.S | (_re.I if ci else 0))


def like(s, pattern, ci=False):
    """LIKE without an escape character; ILIKE compares both sides lower-cased."""
    if s is None or pattern is None:
        return None
    if ci:
        s, pattern = s.lower(), pattern.lower()
    return _like_re(pattern, False).fullmatch(s) is not None


_INTEGER_TEXT = _re.compile(r'[ \t\n\r\x0c]*([+-]?[0-9]+)[ \t\n\r\x0c]*\Z')


def cast(v, to, safe=False):
    """CAST / TRY_CAST of the expression language (docs/expression-language.md, CAST and TRY_CAST)."""
    if v is None:
        return None
    kind, p, s = parse_type(to)
    out = _language_cast(v, kind, p, s)
    if out is None and not safe:
        raise EvalError('CAST(%s AS %s) failed' % (value_text(v), to))
    return out


def _language_cast(v, kind, p, s):
    if kind == 'integer':
        if isinstance(v, str):
            m = _INTEGER_TEXT.match(v)
            return _in_range(int(m.group(1))) if m else None
        if isinstance(v, bool):
            return int(v)
        if isinstance(v, float):
            return _in_range(int(v)) if _math.isfinite(v) else None
        if isinstance(v, D):
            return _in_range(int(v))
    if kind == 'boolean' and isinstance(v, int) and not isinstance(v, bool):
        return v != 0
    return _convert(v, kind, p, s)


# ---- functions of the catalog (functions.ts), one helper each ---------------------------------

def _strict(fn):
    @_ft.wraps(fn)
    def wrapper(*args):
        return None if any(a is None for a in args) else fn(*args)
    return wrapper


lower = _strict(lambda s: s.lower())
upper = _strict(lambda s: s.upper())
trim = _strict(lambda s: s.strip(' '))
ltrim = _strict(lambda s: s.lstrip(' '))
rtrim = _strict(lambda s: s.rstrip(' '))
length = _strict(len)
starts_with = _strict(lambda s, p: s.startswith(p))
ends_with = _strict(lambda s, p: s.endswith(p))
contains = _strict(lambda s, p: p in s)


def concat(*xs):
    return ''.join('' if x is None else x for x in xs)


@_strict
def substr(s, start, n=None):
    begin = max(start, 1) - 1
    return s[begin:] if n is None else s[begin:begin + max(n, 0)]


@_strict
def replace(s, search, rep):
    return s if search == '' else s.replace(search, rep)


@_strict
def left(s, n):
    return s[:n] if n > 0 else ''


@_strict
def right(s, n):
    return s[-n:] if n > 0 else ''


def _pad(s, n, fill, on_left):
    if n <= 0:
        return ''
    if len(s) >= n:
        return s[:n]
    pad = (fill * n)[:n - len(s)]
    return pad + s if on_left else s + pad


@_strict
def lpad(s, n, fill=' '):
    return _pad(s, n, fill, True)


@_strict
def rpad(s, n, fill=' '):
    return _pad(s, n, fill, False)


@_strict
def split_part(s, delim, i):
    parts = list(s) if delim == '' else s.split(delim)
    if i == 0 or abs(i) > len(parts):
        return ''
    return parts[i - 1] if i > 0 else parts[i]


@_ft.lru_cache(maxsize=1024)
def regex(pattern):
    """A pattern in the syntax RE2, Java and Python share, compiled with RE2's meaning:
    \\d \\w \\s are ASCII classes and $ matches only at the very end (not before a final newline)."""
    classes = {'d': '0-9', 'w': '0-9A-Za-z_', 's': '\\t\\n\\f\\r '}
    out, i, in_class, n = [], 0, False, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == '\\' and i + 1 < n:
            nxt = pattern[i + 1]
            if nxt in classes:
                out.append(classes[nxt] if in_class else '[' + classes[nxt] + ']')
            elif nxt.lower() in classes and not in_class:
                out.append('[^' + classes[nxt.lower()] + ']')
            else:
                out.append(ch + nxt)
            i += 2
            continue
        if in_class:
            in_class = ch != ']'
            out.append(ch)
        elif ch == '[':
            j = i + 1
            if pattern[j:j + 1] == '^':
                j += 1
            if pattern[j:j + 1] == ']':
                j += 1
            out.append(pattern[i:j])
            in_class = True
            i = j
            continue
        elif ch == '$' and '(?m' not in pattern:
            out.append('\\Z')
        else:
            out.append(ch)
        i += 1
    return _re.compile(''.join(out))


@_strict
def regexp_matches(s, pattern):
    return regex(pattern).search(s) is not None


def regexp_full_match(s, pattern):
    return None if s is None else regex(pattern).fullmatch(s) is not None


@_ft.lru_cache(maxsize=256)
def _replacement(rep):
    parts, i = [], 0
    while i < len(rep):
        if rep[i] == '\\' and i + 1 < len(rep) and rep[i + 1].isdigit():
            parts.append(int(rep[i + 1]))
            i += 2
        elif rep[i] == '\\' and i + 1 < len(rep):
            parts.append(rep[i + 1])
            i += 2
        else:
            parts.append(rep[i])
            i += 1
    return tuple(parts)


@_strict
def regexp_replace(s, pattern, rep):
    """Every match replaced, scanning as RE2 does: an empty match right where the previous match
    ended is skipped (Python's re.sub would replace it)."""
    parts, rx = _replacement(rep), regex(pattern)
    out, pos, last_end = [], 0, -1
    while pos <= len(s):
        m = rx.search(s, pos)
        if m is None:
            break
        out.append(s[pos:m.start()])
        if m.start() == m.end() == last_end:
            if pos >= len(s):
                break
            out.append(s[pos])
            pos += 1
            continue
        out.append(''.join(p if isinstance(p, str) else (m.group(p) or '') for p in parts))
        pos = last_end = m.end()
        if m.start() == m.end():
            if pos >= len(s):
                break
            out.append(s[pos])
            pos += 1
    out.append(s[pos:])
    return ''.join(out)


@_strict
def regexp_extract(s, pattern, group=0):
    m = regex(pattern).search(s)
    return (m.group(group) or '') if m else ''


@_strict
def abs_(x):
    return _int(abs(x)) if isinstance(x, int) else abs(x)


def _round_double(x, digits):
    scale = 10.0 ** abs(digits)
    r = x * scale if digits >= 0 else x / scale
    if not _math.isfinite(r):
        return x
    n = float(_round_away(r))
    out = n / scale if digits >= 0 else n * scale
    return out if _math.isfinite(out) else x


@_strict
def round_(x, digits=0):
    """Half away from zero for every numeric type (never banker's rounding)."""
    if isinstance(x, float):
        return _round_double(x, digits)
    if isinstance(x, D):
        s = max(-x.as_tuple().exponent, 0)
        q = x.quantize(D(1).scaleb(-digits), rounding=_dec.ROUND_HALF_UP, context=_CTX)
        return q.quantize(D(1).scaleb(-min(s, max(digits, 0))), context=_CTX)
    if digits >= 0:
        return x
    unit = 10 ** -digits
    return _int(_round_away(_CTX.divide(D(x), unit)) * unit)


@_strict
def floor(x):
    if isinstance(x, float):
        return float(_math.floor(x)) if _math.isfinite(x) else x
    if isinstance(x, D):
        return x.to_integral_value(rounding=_dec.ROUND_FLOOR, context=_CTX)
    return x


@_strict
def ceil(x):
    if isinstance(x, float):
        return float(_math.ceil(x)) if _math.isfinite(x) else x
    if isinstance(x, D):
        return x.to_integral_value(rounding=_dec.ROUND_CEILING, context=_CTX)
    return x


@_strict
def sign(x):
    return (x > 0) - (x < 0)


def _finite(fn, *args):
    try:
        out = fn(*(float(a) for a in args))
    except (ValueError, OverflowError, ZeroDivisionError):
        return None
    return out if _math.isfinite(out) else None


power = _strict(lambda x, y: _finite(_math.pow, x, y))
sqrt = _strict(lambda x: None if x < 0 else _finite(_math.sqrt, x))
ln = _strict(lambda x: _finite(_math.log, x) if x > 0 else None)
exp = _strict(lambda x: _finite(_math.exp, x))


def greatest(*xs):
    vals = [x for x in xs if x is not None]
    return max(vals) if vals else None


def least(*xs):
    vals = [x for x in xs if x is not None]
    return min(vals) if vals else None


def coalesce(*xs):
    for x in xs:
        if x is not None:
            return x
    return None


def nullif(a, b):
    return None if eq(a, b) else a


def _day(d):
    return d.date() if isinstance(d, _dt.datetime) else d


year = _strict(lambda d: d.year)
quarter = _strict(lambda d: (d.month - 1) // 3 + 1)
month = _strict(lambda d: d.month)
day = _strict(lambda d: d.day)
day_of_week = _strict(lambda d: d.isoweekday())
day_of_year = _strict(lambda d: d.timetuple().tm_yday)
hour = _strict(lambda t: t.hour)
minute = _strict(lambda t: t.minute)
to_date = _strict(_day)


@_strict
def date_trunc(unit, d):
    u = unit.lower()
    day0 = _day(d)
    if u == 'year':
        out = day0.replace(month=1, day=1)
    elif u == 'quarter':
        out = day0.replace(month=(day0.month - 1) // 3 * 3 + 1, day=1)
    elif u == 'month':
        out = day0.replace(day=1)
    elif u == 'week':
        out = day0 - _dt.timedelta(days=day0.isoweekday() - 1)
    elif u == 'day':
        out = day0
    elif u == 'hour':
        return d.replace(minute=0, second=0, microsecond=0)
    else:
        raise EvalError('unknown date unit %r' % unit)
    return as_type(out, 'timestamp') if isinstance(d, _dt.datetime) else out


@_strict
def date_add(d, days):
    try:
        return d + _dt.timedelta(days=days)
    except OverflowError:
        raise EvalError('date out of range: %s + %d days' % (text(d), days))


@_strict
def add_months(d, months):
    total = d.year * 12 + d.month - 1 + months
    y, m = divmod(total, 12)
    if not 1 <= y <= 9999:
        raise EvalError('date out of range: %s + %d months' % (text(d), months))
    return d.replace(year=y, month=m + 1, day=min(d.day, _cal.monthrange(y, m + 1)[1]))


@_strict
def date_diff(unit, a, b):
    a, b = _day(a), _day(b)
    u = unit.lower()
    if u == 'day':
        return (b - a).days
    if u == 'month':
        return (b.year * 12 + b.month) - (a.year * 12 + a.month)
    return b.year - a.year


_MONTHS = ('January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December')
_DAYS = ('Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday')
_STRFTIME = {
    'Y': lambda t: '%04d' % t.year, 'y': lambda t: '%02d' % (t.year % 100), 'm': lambda t: '%02d' % t.month,
    'd': lambda t: '%02d' % t.day, 'j': lambda t: '%03d' % t.timetuple().tm_yday, 'H': lambda t: '%02d' % t.hour,
    'I': lambda t: '%02d' % ((t.hour + 11) % 12 + 1), 'p': lambda t: 'AM' if t.hour < 12 else 'PM',
    'M': lambda t: '%02d' % t.minute, 'S': lambda t: '%02d' % t.second, 'f': lambda t: '%06d' % t.microsecond,
    'b': lambda t: _MONTHS[t.month - 1][:3], 'B': lambda t: _MONTHS[t.month - 1],
    'a': lambda t: _DAYS[t.weekday()][:3], 'A': lambda t: _DAYS[t.weekday()], '%': lambda t: '%',
}


@_strict
def strftime(d, fmt):
    """The portable codes only (the spec refuses others), written without the locale or the
    platform's strftime (whose %Y does not pad years below 1000 on glibc)."""
    t = d if isinstance(d, _dt.datetime) else _dt.datetime(d.year, d.month, d.day)
    out, i = [], 0
    while i < len(fmt):
        if fmt[i] == '%' and i + 1 < len(fmt):
            out.append(_STRFTIME[fmt[i + 1]](t))
            i += 2
        else:
            out.append(fmt[i])
            i += 1
    return ''.join(out)


@_strict
def last_day(d):
    d = _day(d)
    return d.replace(day=_cal.monthrange(d.year, d.month)[1])


@_strict
def make_date(y, m, d):
    try:
        return _dt.date(y, m, d) if 1 <= y <= 9999 else None
    except (ValueError, OverflowError):
        return None
`;
