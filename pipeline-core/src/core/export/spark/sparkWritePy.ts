/**
 * Python source of the Spark job's writes, made to match the other engines' files: Parquet
 * timestamps as plain TIMESTAMP (Spark's TIMESTAMP_NTZ, not UTC-adjusted instants), and hive
 * partition folders percent-encoded as DuckDB and Beam name them (`location=New%20York`; NULL as
 * `__HIVE_DEFAULT_PARTITION__`, the empty string as `location=`). Spark's own partitionBy escapes
 * fewer characters (a space stays a space) and reads '' as NULL, so rows whose partition values it
 * would spell differently are written per value into the folder named here; every other row goes
 * through partitionBy, sharded as usual.
 */
export const SPARK_WRITE_PY = String.raw`
_SAME_IN_SPARK = '^[A-Za-z0-9_.-]+$'  # partition values Spark's escaping and percent-encoding spell alike


def plain_timestamps(df):
    """Timestamps as TIMESTAMP_NTZ: Parquet then says isAdjustedToUTC=false, as DuckDB's files do."""
    ts = [f.name for f in df.schema.fields if isinstance(f.dataType, T.TimestampType)]
    return df.withColumns({n: F.col(_q(n)).cast('timestamp_ntz') for n in ts}) if ts else df


def _folder(column, value):
    import urllib.parse
    return '%s=%s' % (column, '__HIVE_DEFAULT_PARTITION__' if value is None else urllib.parse.quote(value, safe=''))


def _save(writer, fmt, target):
    if fmt == 'parquet':
        writer.parquet(target)
    else:
        # values keep their spaces (Spark trims them by default), NULL is an empty field
        writer.option('header', True).option('ignoreLeadingWhiteSpace', False).option('ignoreTrailingWhiteSpace', False) \
            .option('timestampFormat', 'yyyy-MM-dd HH:mm:ss').option('dateFormat', 'yyyy-MM-dd').csv(target)


def write_output(df, fmt, partition_by, target):
    if fmt == 'parquet':
        df = plain_timestamps(df)
    if not partition_by:
        _save(df.write.mode('overwrite'), fmt, target)
        return
    text = {c: F.col(_q(c)).cast('string') for c in partition_by}
    alike = F.lit(True)
    for c in partition_by:
        alike = alike & (text[c].isNull() | text[c].rlike(_SAME_IN_SPARK))
    # dynamic partition overwrite: only the partitions present are replaced
    _save(df.where(alike).write.mode('overwrite').partitionBy(*partition_by), fmt, target)
    rest = df.where(~alike)
    for values in rest.select(*[text[c].alias(c) for c in partition_by]).distinct().collect():
        match = F.lit(True)
        for c in partition_by:
            match = match & text[c].eqNullSafe(F.lit(values[c]))
        folder = '/'.join(_folder(c, values[c]) for c in partition_by)
        _save(rest.where(match).drop(*partition_by).write.mode('overwrite'), fmt, '%s/%s' % (target, folder))
`;
