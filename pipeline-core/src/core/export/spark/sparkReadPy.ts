/**
 * Python source of the Spark job's raw-file reading: Spark's own splittable readers
 * (`spark.read` csv / text (NDJSON, parsed with from_json) / json / parquet with an all-text
 * schema, PERMISSIVE mode with a corrupt-record column for reader rejects, the file from
 * `_metadata.file_path`; a Parquet file whose column types all fit the pinned ones is read typed,
 * as the runner reads it), then a numbering of the rows
 * in file order that matches the embedded runner's `source_row` without one task holding a whole
 * file: each split's rows get consecutive monotonically_increasing_id values, so a row's number is
 * its id minus its split's first id plus the rows of the splits before it (a small per-split
 * aggregate, broadcast back). Nothing here needs a private API, so it runs under Spark Connect.
 *
 * What a splittable read cannot know, and the job therefore leaves NULL: the physical line a
 * record starts on (a quoted field may span lines), and for a CSV reader error its field count.
 */
export const SPARK_READ_PY = String.raw`
_ENCODINGS = {'utf-8': 'UTF-8', 'latin-1': 'ISO-8859-1', 'utf-16': 'UTF-16'}


# Parquet types whose every value a pinned type holds exactly, as DuckDB reads them (decimals: the
# same precision and scale, spelled decimal(p,s) on both sides; a plain Parquet TIMESTAMP, which
# Spark reads as timestamp_ntz, is the same wall clock in the job's UTC session). Floats, instants
# (isAdjustedToUTC) and anything else go through text like a CSV value.
_NATIVE = {'integer': ('tinyint', 'smallint', 'int', 'bigint'), 'double': ('double',), 'string': ('string',),
           'boolean': ('boolean',), 'date': ('date',), 'timestamp': ('timestamp_ntz',)}
_NATIVE_AS = {'integer': 'bigint'}


class SourceError(Exception):
    """A source that cannot be read at all (no file, missing pinned columns): the run stops."""


def _q(name):
    return '\x60%s\x60' % name.replace('\x60', '\x60\x60')


def _csv_options(options):
    quote = options.get('quote', '"')
    encoding = _ENCODINGS.get(options.get('encoding', 'utf-8'), 'UTF-8')
    out = {'sep': options.get('delimiter', ','), 'quote': quote or '\u0000', 'escape': options.get('escape', quote) or '\\',
           'encoding': encoding, 'ignoreLeadingWhiteSpace': False, 'ignoreTrailingWhiteSpace': False}
    if encoding == 'UTF-16':
        out['multiLine'] = True  # Spark splits lines on the byte 0x0A: UTF-16 text needs the whole-file parser
    return out


def _corrupt(data_column):
    """The reader-error flag. It names a data column besides the corrupt-record one because Spark
    refuses a scan of the corrupt-record column alone, which the row-numbering aggregate would be."""
    return F.col('_bb_corrupt').isNotNull() | (F.coalesce(F.length(F.col(_q(data_column))), F.lit(0)) < 0)  # never NULL


def _numbered(df, key, counted=None):
    """(df with _bb_row: 1.. over the source's files in path order, the files' first _bb_row).
    counted: which rows may be a file's first row (default: all). NDJSON numbers blank lines
    (the runner counts them in a row's number) but a file's first row is its first non-blank line."""
    df = df.withColumn(key, F.monotonically_increasing_id())
    first = F.min(F.when(counted, F.col(key))) if counted is not None else F.min(key)
    blocks = df.groupBy('_bb_path', '_bb_block').agg(F.min(key).alias('_bb_first'), F.count(F.lit(1)).alias('_bb_n'), first.alias('_bb_fc'))
    before = Window.unboundedPreceding
    in_file = Window.partitionBy('_bb_path').orderBy('_bb_block').rowsBetween(before, -1)
    overall = Window.orderBy('_bb_path', '_bb_block').rowsBetween(before, -1)  # one row per split: small
    blocks = blocks.select('_bb_path', '_bb_block', '_bb_first', '_bb_fc',
                           F.coalesce(F.sum('_bb_n').over(in_file), F.lit(0)).alias('_bb_foff'),
                           F.coalesce(F.sum('_bb_n').over(overall), F.lit(0)).alias('_bb_goff'))
    n = F.col(key) - F.col('_bb_first') + 1
    numbered = (df.join(F.broadcast(blocks.drop('_bb_fc')), ['_bb_path', '_bb_block'])
                .withColumn('_bb_frow', n + F.col('_bb_foff'))
                .withColumn('_bb_row', n + F.col('_bb_goff'))
                .drop(key, '_bb_first', '_bb_foff', '_bb_goff'))
    # min ignores the splits with no counted row (NULL)
    files = blocks.groupBy('_bb_path').agg((F.min(F.col('_bb_fc') - F.col('_bb_first') + F.col('_bb_goff')) + 1).alias('first_row'))
    return numbered, files


class SourceReader:
    """One source as (rows: the pinned columns as text, _bb_path, _bb_row, _bb_error, _bb_raw; files: _bb_path, first_row)."""

    def __init__(self, spark, input_root):
        self.spark = spark
        root = input_root if '://' in input_root else os.path.abspath(input_root)
        self.root = re.sub(r'^[A-Za-z][A-Za-z0-9+.-]*:/*', '', root).strip('/')

    def read(self, pattern, fmt, columns, types, options):
        """(rows, files, native): native when the pinned columns arrive typed (Parquet of matching types), else as text."""
        try:
            if fmt == 'parquet':
                df, files, native = self._parquet(pattern, columns, types)
            else:
                df, files = getattr(self, '_' + fmt)(pattern, columns, options)
                native = False
            df.schema  # analysis: a missing file or column fails here, before any stage runs
            return df, files, native
        except SourceError:
            raise
        except Exception as e:
            text = str(e)
            if 'PATH_NOT_FOUND' in text or 'Path does not exist' in text:
                raise SourceError('no file matches %s' % pattern)
            if 'UNRESOLVED_COLUMN' in text or 'cannot resolve' in text:
                raise SourceError('%s lacks a pinned column: %s' % (pattern, text.splitlines()[0]))
            raise

    def _with_file(self, df):
        path = F.regexp_replace(F.url_decode(F.col('_metadata.file_path')), r'^[A-Za-z][A-Za-z0-9+.-]*:/*', '')
        prefix = self.root + '/'
        shown = F.when(path.startswith(prefix), F.substring(path, len(prefix) + 1, 1 << 30)).otherwise(path)
        return df.withColumn('_bb_path', shown).withColumn('_bb_block', F.col('_metadata.file_block_start'))

    def _text_schema(self, names):
        return ', '.join('%s STRING' % _q(n) for n in names) + ', _bb_corrupt STRING'

    def _csv(self, pattern, columns, options):
        # a record with the wrong number of fields is a reader error only when every field is parsed
        self.spark.conf.set('spark.sql.csv.parser.columnPruning.enabled', 'false')
        opts = _csv_options(options)
        header = options.get('header', True)
        skip = int(options.get('skip_rows', 0) or 0)
        names = list(columns)
        if header:
            found = self.spark.read.options(**opts).option('header', True).csv(pattern).columns
            by_stripped = {n.strip(): n for n in found}
            missing = [c for c in columns if c not in by_stripped]
            if missing:
                raise SourceError('%s has no column %s (its header: %s)' % (pattern, ', '.join("'%s'" % m for m in missing), ', '.join(found)))
            names = found
        raw = (self.spark.read.options(**opts).option('header', header).option('enforceSchema', not header)
               .option('mode', 'PERMISSIVE').option('columnNameOfCorruptRecord', '_bb_corrupt')
               .schema(self._text_schema(names)).csv(pattern))
        source = dict(zip([n.strip() for n in names], names)) if header else {c: c for c in columns}
        nulls = list(options.get('null_values') or [''])
        bad = _corrupt(columns[0] if not header else source[columns[0]])
        cells = [F.when(~bad & ~F.col(_q(source[c])).isin(nulls), F.col(_q(source[c]))).alias(c) for c in columns]
        df = self._with_file(raw).select(*cells, '_bb_corrupt', bad.alias('_bb_bad'), '_bb_path', '_bb_block')
        bad = F.col('_bb_bad')
        if skip:  # the first records of each file are not data (header: false only; see the export)
            df = _numbered(df, '_bb_k')[0].where(F.col('_bb_frow') > skip).drop('_bb_frow', '_bb_row')
        # the runner numbers well-formed records only: a second id over those
        good, files = _numbered(df.where(~bad), '_bb_g')
        good = good.withColumn('_bb_error', F.lit(None).cast('string')).withColumn('_bb_raw', F.lit(None).cast('string'))
        rejects = (df.where(bad).withColumn('_bb_frow', F.lit(None).cast('bigint')).withColumn('_bb_row', F.lit(None).cast('bigint'))
                   .withColumn('_bb_error', F.lit('malformed CSV record (not %d fields)' % len(names)))
                   .withColumn('_bb_raw', F.col('_bb_corrupt')))
        return good.unionByName(rejects).drop('_bb_corrupt', '_bb_bad', '_bb_block', '_bb_frow'), files

    def _ndjson(self, pattern, columns, options):
        # Line by line with Spark's text reader (splittable), parsed with from_json: the JSON reader
        # skips blank lines, but the runner counts them in a row's number (line 5 is row 5). A line
        # is blank as the runner's trim sees it (Unicode space separators only: a tab is not blank).
        lines = self._with_file(self.spark.read.text(pattern)).select('value', '_bb_path', '_bb_block')
        blank = F.col('value').rlike(r'^\p{Zs}*$')
        df, files = _numbered(lines, '_bb_i', ~blank)
        parsed = F.from_json('value', self._text_schema(columns), {'mode': 'PERMISSIVE', 'columnNameOfCorruptRecord': '_bb_corrupt'})
        df = df.where(~blank).withColumn('_bb_j', parsed)
        # the runner accepts an object only: a JSON array, string or number on a line is a reject
        bad = F.col('_bb_j._bb_corrupt').isNotNull() | ~F.col('value').rlike(r'^\p{Zs}*[{]')
        cells = [F.when(~bad, F.col('_bb_j').getField(c)).alias(c) for c in columns]
        error = F.when(bad, F.concat(F.lit('not valid JSON: '), F.substring('value', 1, 120)))
        return df.select(*cells, '_bb_path', '_bb_row', error.alias('_bb_error'), F.lit(None).cast('string').alias('_bb_raw')), files

    def _json(self, pattern, columns, options):
        # one JSON array per file: Spark's multiLine reader, not splittable
        raw = (self.spark.read.option('mode', 'PERMISSIVE').option('columnNameOfCorruptRecord', '_bb_corrupt')
               .option('multiLine', True).schema(self._text_schema(columns)).json(pattern))
        bad = _corrupt(columns[0])
        cells = [F.when(~bad, F.col(_q(c))).alias(c) for c in columns]
        df, files = _numbered(self._with_file(raw).select(*cells, '_bb_corrupt', '_bb_path', '_bb_block'), '_bb_i')
        error = F.when(bad, F.concat(F.lit('not valid JSON: '), F.substring('_bb_corrupt', 1, 120)))
        return df.withColumn('_bb_error', error).withColumn('_bb_raw', F.lit(None).cast('string')).drop('_bb_corrupt', '_bb_block', '_bb_frow'), files

    def _parquet(self, pattern, columns, types):
        raw = self.spark.read.parquet(pattern)
        found = {f.name: f.dataType.simpleString() for f in raw.schema.fields}
        if all(found.get(c) in _NATIVE.get(t, (t,)) for c, t in zip(columns, types)):
            # every value fits its pinned type as it is: read typed, as the runner reads Parquet
            cells = [F.col(_q(c)).cast(_NATIVE_AS.get(t, t)).alias(c) for c, t in zip(columns, types)]
            df, files = _numbered(self._with_file(raw).select(*cells, '_bb_path', '_bb_block'), '_bb_i')
            return df.drop('_bb_block', '_bb_frow'), files, True
        cells = [F.col(_q(c)).cast('string').alias(c) for c in columns]
        df, files = _numbered(self._with_file(raw).select(*cells, '_bb_path', '_bb_block'), '_bb_i')
        return df.withColumn('_bb_error', F.lit(None).cast('string')).withColumn('_bb_raw', F.lit(None).cast('string')).drop('_bb_block', '_bb_frow'), files, False
`;
