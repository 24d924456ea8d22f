/**
 * Python source of the Spark job's match-stage helpers.
 *
 * greedy_pairs: one-to-one pairs picked in a total order — greedySql.ts's rounds as DataFrames
 * (Spark SQL has no recursive query): each round keeps the pairs that come first for both their
 * left and their right item among those still possible, and drops the pairs that now conflict.
 * The first pair in the order always qualifies, so each round makes progress and the result is
 * the sequential greedy pass's. The rounds run on the executors; only "is anything left" comes
 * back to the driver (a count per round); each round is one pass over the pairs still kept or open. A night of unique keys takes one round.
 *
 * Open items, kept as `batchbook run` keeps them in its lake, under the output root:
 * `state/<stage>/run_date=<date>/open_{left,right}.parquet` (a folder of one Parquet part file, as
 * Spark writes a path; its reader takes the runner's single file as well). A run reads the latest
 * date EARLIER than its own whose right side (written last) is there, never a later one, and writes
 * its own after its outputs (not when a rule with action fail held them back). The dates are found
 * by listing the files with the binaryFile source (paths only, no contents read): a public API,
 * so it works on gs://, s3:// and under Spark Connect.
 */
export const SPARK_MATCH_PY = String.raw`
# a right side's state file, or a part file in a folder of that name (the same pattern in Java and Python)
_STATE_DATE = r'/run_date=([0-9]{4}-[0-9]{2}-[0-9]{2})/open_right[.]parquet(/|$)'


def greedy_pairs(candidates, order):
    """(lid, rid) one-to-one, greedily in the order of the columns order, then lid, then rid (NULLS LAST)."""
    by = [F.col(_q(c)).asc_nulls_last() for c in order]
    open_first = F.col('_bb_kept').asc()  # rows still open sort before the kept ones in each item's partition
    first_left = F.row_number().over(Window.partitionBy('lid').orderBy(open_first, *by, F.col('rid')))
    first_right = F.row_number().over(Window.partitionBy('rid').orderBy(open_first, *by, F.col('lid')))
    taken_left = F.max('_bb_best').over(Window.partitionBy('lid'))
    taken_right = F.max('_bb_best').over(Window.partitionBy('rid'))
    pairs = candidates.select('lid', 'rid', *[_q(c) for c in order], F.lit(False).alias('_bb_kept')).cache()
    left = pairs.count()
    while left:
        # one round in one pass over the rows (the plan grows by a few nodes a round, not by a copy of itself):
        # the open pairs first for both their items are kept, the open pairs sharing an item with them dropped
        marked = pairs.withColumn('_bb_best', ~F.col('_bb_kept') & (first_left == 1) & (first_right == 1))
        marked = marked.withColumn('_bb_gone', ~F.col('_bb_kept') & ~F.col('_bb_best') & (taken_left | taken_right))
        after = (marked.where(~F.col('_bb_gone')).select('lid', 'rid', *[_q(c) for c in order], (F.col('_bb_kept') | F.col('_bb_best')).alias('_bb_kept'))
                 .cache())
        left = after.where(~F.col('_bb_kept')).count()  # materialises the round before the last one's rows are dropped
        pairs.unpersist()
        pairs = after
    return pairs.select('lid', 'rid')


def state_dates(spark, root):
    """The run dates with open items kept under root (state/<stage>), sorted; none on a first night."""
    try:
        files = spark.read.format('binaryFile').option('recursiveFileLookup', True).load(root + '/run_date=*/open_right.parquet')
        found = files.select(F.regexp_extract('path', _STATE_DATE, 1).alias('d')).where("d <> ''").distinct().collect()  # one row per date
    except Exception as e:
        if 'PATH_NOT_FOUND' in str(e) or 'Path does not exist' in str(e):
            return []
        raise
    return sorted(r['d'] for r in found)


def carried_date(dates, run_date):
    """The date whose open items a run carries in: the latest EARLIER than its own (a re-run of an
    earlier date never reads what later dates made), or None on a first night."""
    earlier = [d for d in dates if d < run_date]
    return max(earlier) if earlier else None


def read_open_items(spark, root, items, run_date):
    """Each side's carried open items as the view the match stage reads: the latest earlier date's, or none."""
    carried = carried_date(state_dates(spark, root), run_date)
    for side in ('left', 'right'):
        if carried is None:
            df = spark.sql(items['empty'][side])
        else:
            path = '%s/run_date=%s/open_%s.parquet' % (root, carried, side)
            df = spark.read.parquet(path)
            have = {f.name.lower() for f in df.schema.fields}
            missing = [c for c in items['columns'][side] if c not in have]
            if missing:
                raise SourceError("match stage '%s': the open items kept in %s have no column %s, which its %s input has now: "
                                  're-run the earlier dates with this spec so that their open items have it'
                                  % (items['stage'], path, ', '.join("'%s'" % c for c in missing), side))
        df.createOrReplaceTempView(_q(items['carried'][side]))
    return carried


def write_open_items(sql, root, items, run_date):
    """This run date's open items of each side, one Parquet file each (replaced on a re-run of the date)."""
    for side in ('left', 'right'):
        df = plain_timestamps(sql(items['state'][side]))
        df.coalesce(1).write.mode('overwrite').parquet('%s/run_date=%s/open_%s.parquet' % (root, run_date, side))
`;
