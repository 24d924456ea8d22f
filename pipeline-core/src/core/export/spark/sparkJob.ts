import type { ExportContext } from '../exportFile.js';
import { exportParams, RUN_DATE } from '../layout.js';
import { pyLiteral } from '../python/pyLiteral.js';
import type { SparkPlan } from './sparkPlan.js';
import { SPARK_MATCH_PY } from './sparkMatchPy.js';
import { SPARK_READ_PY } from './sparkReadPy.js';
import type { SparkView } from './sparkTypes.js';
import { SPARK_WRITE_PY } from './sparkWritePy.js';

/** SQL that costs more to recompute than to read back from a cache: a shuffle (window, join, grouping, distinct). */
const SHUFFLES = /\bOVER\s*\(|\bJOIN\b|\bGROUP BY\b|\bDISTINCT\b/i;

/**
 * Which views the job caches: a stage's first materialised form — `__rows` of a validate stage
 * (its rows with the rule flags), else `__all` (the rows before the live / rejects split) — read
 * by the live rows, the rejects, the counts and the rules; and the output of a one-view stage (a
 * join or aggregate that the next stages read). Only where recomputing costs more than keeping
 * the rows: a source read (with its row numbering) or a shuffle. A cleanse of plain projections
 * over a cached stage is recomputed from that cache by each reader, which is cheaper than a
 * second copy of every row in memory. Caching replaces localCheckpoint, which Spark Connect and
 * serverless executors that scale down do not keep.
 */
function cached(stage: string, view: SparkView, views: readonly string[], reads: boolean): boolean {
  if (view.cache) return true;
  const first = [`${stage}__rows`, `${stage}__all`].find((v) => views.includes(v));
  const materialised = view.name === first || (views.length === 1 && view.name === stage);
  return materialised && (reads || SHUFFLES.test(view.sql));
}

/** The plan as data the job walks: stage by stage, the views to create, the counts, the rules. */
function planData(ctx: ExportContext, plan: SparkPlan) {
  const spec = ctx.spec;
  return {
    pipeline: spec.name,
    params: exportParams(spec, ctx.params).map((p) => ({ name: p.name, type: p.type, default: p.value ?? null })),
    sources: Object.fromEntries(
      Object.entries(spec.sources).map(([name, s]) => [name, { format: s.format, path: s.path, columns: s.schema.map((c) => c.name), types: s.schema.map((c) => c.type), options: s.options ?? {} }]),
    ),
    stages: plan.stages.map(({ stage, compiled }) => ({
      name: stage.name,
      kind: stage.kind,
      read: compiled.read?.source ?? null,
      native_all: compiled.read?.nativeSql ?? null,
      views: compiled.views.map((v) => [v.name, v.sql, cached(stage.name, v, compiled.views.map((x) => x.name), compiled.read !== undefined), v.greedy ?? null, v.materialise ?? false]),
      stats: compiled.stats,
      rejects: compiled.rejects ?? null,
      rules: (compiled.rules ?? []).map((r) => ({ name: r.name, rule: r.rule.rule, severity: r.rule.severity, action: r.rule.action, check: r.check, flag: r.flag ?? null })),
      write: compiled.write ?? null,
      open_items: compiled.openItems ?? null,
    })),
  };
}

/** job.py: one PySpark file, parameters as arguments, for Spark 3.5 and 4.x with ANSI mode on. */
export function sparkJob(ctx: ExportContext, plan: SparkPlan): string {
  const runDate = exportParams(ctx.spec, ctx.params).find((p) => p.name === RUN_DATE)?.value ?? '';
  return `#!/usr/bin/env python3
"""${ctx.spec.name}: PySpark job exported by Batchbook ${ctx.toolVersion}. Generated: edit pipeline.yaml, not this file.

    spark-submit job.py --input-root <dir|gs://…|s3://…> --output-root <dir> --run-date ${runDate || 'YYYY-MM-DD'} [--param name=value]

Exit status: 0 ok, 3 an error-severity rule failed, 1 runtime error, 2 bad arguments.
Logs one JSON object per line on stdout (stage_end, rule, run_end…), the lines \`batchbook run\`
writes to its log.jsonl, so the exported monitoring configs (../monitoring) match them.
"""
import argparse
import datetime
import json
import os
import re
import sys
import time
import uuid

from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T
from pyspark.sql.window import Window

PLAN = ${pyLiteral(planData(ctx, plan))}

# ---- reading raw files with Spark's splittable readers (see README) -----------------------
${SPARK_READ_PY.trim()}


# ---- writing outputs and rejects as the other engines do (see README) ----------------------
${SPARK_WRITE_PY.trim()}


# ---- match stages: one-to-one picks in rounds, open items carried across dates (see README) --
${SPARK_MATCH_PY.trim()}
# ---------------------------------------------------------------------------------------------


def parse_args(argv):
    parser = argparse.ArgumentParser(description=PLAN['pipeline'])
    parser.add_argument('--input-root', required=True, help='folder holding the raw files (the project inbox layout)')
    parser.add_argument('--output-root', required=True, help='folder receiving curated/, rejects/ and validation/')
    parser.add_argument('--run-date', help='the business date to process (YYYY-MM-DD)')
    parser.add_argument('--param', action='append', default=[], help='name=value for other parameters')
    args = parser.parse_args(argv)
    values = {}
    for p in PLAN['params']:
        values[p['name']] = p['default']
    if args.run_date:
        values['run_date'] = args.run_date
    for item in args.param:
        name, _, value = item.partition('=')
        if name not in values:
            parser.error('unknown parameter %r' % name)
        values[name] = value
    for p in PLAN['params']:
        v = values.get(p['name'])
        if v is None:
            parser.error('parameter %s has no value' % p['name'])
        if p['type'] == 'date':
            try:
                datetime.date.fromisoformat(str(v))
            except ValueError:
                parser.error('parameter %s: %r is not a date (YYYY-MM-DD)' % (p['name'], v))
        if p['type'] == 'integer' and not re.fullmatch(r'[+-]?[0-9]+', str(v)):
            parser.error('parameter %s: %r is not an integer' % (p['name'], v))
        if re.search(r'[/\\\\]|\\.\\.', str(v)) and p['type'] == 'string':
            parser.error('parameter %s: %r may not contain path separators' % (p['name'], v))
    return args, values


def sql_literal(value, type_):
    if type_ == 'date':
        return "DATE '%s'" % value
    if type_ == 'integer':
        return '%dL' % int(value)
    return "'" + str(value).replace('\\\\', '\\\\\\\\').replace("'", "\\\\'") + "'"


def new_run_id(now):
    return now.strftime('%Y%m%dT%H%M%SZ') + '-' + uuid.uuid4().hex[:6]


class Job:
    def __init__(self, spark, args, values):
        self.spark = spark
        self.input_root = args.input_root.rstrip('/')
        self.output_root = args.output_root.rstrip('/')
        self.values = values
        self.tokens = {'__bb_param_%s__' % p['name']: sql_literal(values[p['name']], p['type']) for p in PLAN['params']}
        self.files = []
        self.rejected = {}  # stage -> rows it rejected, from its counts
        self.run_id = new_run_id(datetime.datetime.now(datetime.timezone.utc))

    def log(self, level, msg, **fields):
        """One structured log line, with the fields batchbook run's log.jsonl lines carry."""
        now = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='milliseconds').replace('+00:00', 'Z')
        record = {'level': level, 'time': now, 'run_id': self.run_id, 'pipeline': PLAN['pipeline']}
        record.update(fields)
        record['msg'] = msg
        print(json.dumps(record, default=str), flush=True)

    def sql(self, text):
        for token, literal in self.tokens.items():
            text = text.replace(token, literal)
        return self.spark.sql(text)

    def path(self, template):
        return re.sub(r'\\{([^}]*)\\}', lambda m: str(self.values[m.group(1)]), template)

    def read_source(self, stage, name):
        src = PLAN['sources'][name]
        pattern = self.input_root + '/' + self.path(src['path'])
        try:
            rows, files, native = SourceReader(self.spark, self.input_root).read(pattern, src['format'], src['columns'], src['types'], src['options'])
        except SourceError as e:
            raise SourceError("source '%s': %s" % (name, e))
        rows.createOrReplaceTempView('\`%s__read\`' % stage)
        # one row per file: kept in memory, read by every rejects write of a stage downstream
        files.select(F.col('_bb_path').alias('path'), 'first_row').cache().createOrReplaceTempView('\`%s__files\`' % stage)
        return native

    def view(self, name, text, cache, greedy=None, materialise=False):
        """A stage's view; materialised once (cache) when later views and counts read it again.
        greedy: text gives candidate pairs, the view is the one-to-one pairs picked in that order.
        materialise: written under the output root's _work folder and read back (a plan cut, see sparkTypes.ts)."""
        df = greedy_pairs(self.sql(text), greedy) if greedy else self.sql(text)
        if materialise:
            folder = '%s/_work/%s' % (self.output_root, name)
            plain_timestamps(df).write.mode('overwrite').parquet(folder)
            df = self.spark.read.parquet(folder)
        if cache:
            df = df.cache()
        df.createOrReplaceTempView('\`%s\`' % name.replace('\`', '\`\`'))

    def rule_counts(self, st):
        """Failing rows or groups per rule of a stage: every row rule in one query over its flags."""
        counts = {}
        flagged = [r for r in st['rules'] if r['flag']]
        if flagged:
            view = flagged[0]['flag']['view'].replace('\`', '\`\`')
            row = self.sql('SELECT %s FROM \`%s\`' % (', '.join('count(*) FILTER (WHERE \`%s\`) AS \`r%d\`' % (r['flag']['column'], i)
                                                               for i, r in enumerate(flagged)), view)).first()
            counts.update({r['name']: int(row['r%d' % i] or 0) for i, r in enumerate(flagged)})
        for r in st['rules']:
            if not r['flag']:
                counts[r['name']] = int(self.sql(r['check']).first()['failing'] or 0)
        return counts

    def run(self):
        started = time.time()
        run_date = str(self.values['run_date'])
        self.log('info', 'run started', event='run_start', params=self.values)
        results, rows_in, rows_rejected, rows_out, current = [], 0, 0, 0, None
        try:
            for st in PLAN['stages']:
                current, stage_started = st['name'], time.time()
                native = self.read_source(st['name'], st['read']) if st['read'] else False
                if st['open_items']:
                    carried = read_open_items(self.spark, self.state_root(st['open_items']), st['open_items'], run_date)
                    self.log('info', 'stage %s carries the open items of %s' % (st['name'], carried or 'no earlier date'),
                             event='open_items_read', stage=st['name'], carried_from=carried)
                for name, text, cache, greedy, materialise in st['views']:
                    self.view(name, st['native_all'] if native and name == st['name'] + '__all' else text, cache, greedy, materialise)
                counts = self.sql(st['stats']).first()
                print('  %-24s %-9s %9d rows%s' % (st['name'], st['kind'], counts['rows_out'],
                      ' (%d rejected)' % counts['rejected'] if counts['rejected'] else ''), file=sys.stderr)
                rows_in += counts['rows_in'] if st['read'] else 0
                rows_rejected += counts['rejected'] if st['rejects'] else 0
                self.rejected[st['name']] = counts['rejected']
                rows_out += counts['rows_out'] if st['write'] else 0
                failing = self.rule_counts(st)
                self.log('info', 'stage %s done' % st['name'], event='stage_end', stage=st['name'], kind=st['kind'], rows_in=counts['rows_in'],
                         rows_out=counts['rows_out'], rows_rejected=counts['rejected'], rows_filtered=counts['filtered'],
                         duration_ms=int((time.time() - stage_started) * 1000))
                for r in st['rules']:
                    n = failing[r['name']]
                    result = {'stage': st['name'], 'name': r['name'], 'rule': r['rule'], 'severity': r['severity'],
                              'action': r['action'], 'status': 'fail' if n > 0 else 'pass', 'failing': n}
                    results.append(result)
                    self.log('info' if n == 0 else 'error' if r['severity'] == 'error' else 'warn',
                             'rule %s.%s %s' % (st['name'], r['name'], 'passed' if n == 0 else 'failed: %d failing' % n),
                             event='rule', stage=st['name'], rule=r['name'], rule_kind=r['rule'], severity=r['severity'],
                             action=r['action'], status=result['status'], failing=n)
            current = None
            self.write_validation(results, run_date)
            self.write_rejects(run_date)
            failed_fail = [r for r in results if r['status'] == 'fail' and r['action'] == 'fail']
            if failed_fail:
                print('outputs NOT published: rule(s) with action fail failed: %s' % ', '.join('%s.%s' % (r['stage'], r['name']) for r in failed_fail), file=sys.stderr)
            else:
                self.write_outputs()
                self.write_open_items(run_date)
        except Exception as e:
            cause = str(e).splitlines()[0] if str(e) else type(e).__name__
            where = {'stage': current} if current else {}
            if current:
                self.log('error', 'stage %s failed' % current, event='stage_failed', stage=current, cause=cause)
            self.log('error', 'run error', event='run_end', run_date=run_date, status='error', exit_code=1, published=False, **where,
                     duration_ms=int((time.time() - started) * 1000), rows_in=rows_in, rows_out=0, rows_rejected=0,  # nothing was written
                     rule_failures=sum(1 for r in results if r['status'] == 'fail'), cause=cause)
            raise
        failed_error = [r for r in results if r['status'] == 'fail' and r['severity'] == 'error']
        for r in results:
            if r['status'] == 'fail':
                print('  rule failed: %s.%s (%s, %s, %s): %d failing' % (r['stage'], r['name'], r['rule'], r['severity'], r['action'], r['failing']), file=sys.stderr)
        code = 3 if failed_error else 0
        any_failed = any(r['status'] == 'fail' for r in results)
        self.log('info' if code == 0 and not any_failed else 'warn' if code == 0 else 'error', 'run %s' % ('succeeded' if code == 0 else 'failed'),
                 event='run_end', run_date=run_date, status='succeeded' if code == 0 else 'failed', exit_code=code, published=not failed_fail,
                 duration_ms=int((time.time() - started) * 1000), rows_in=rows_in, rows_out=0 if failed_fail else rows_out,
                 rows_rejected=rows_rejected, rule_failures=sum(1 for r in results if r['status'] == 'fail'))
        return code

    def write_validation(self, results, run_date):
        # built in the JVM from literals: createDataFrame of Python rows would start a Python worker
        # process (seconds, and its memory) only for these few rows
        cols = [('stage', 'string'), ('name', 'string'), ('rule', 'string'), ('severity', 'string'), ('action', 'string'), ('status', 'string'), ('failing', 'bigint')]
        rows = [F.struct(*[F.lit(r[k]).cast(t).alias(k) for k, t in cols]) for r in results]
        rows = rows or [F.struct(*[F.lit(None).cast(t).alias(k) for k, t in cols])]
        df = self.spark.range(1).select(F.inline(F.array(*rows))).where(F.lit(bool(results)))
        df.coalesce(1).write.mode('overwrite').json('%s/validation/%s' % (self.output_root, run_date))

    def write_rejects(self, run_date):
        """Every stage that can reject writes its folder, empty or not: a re-run leaves no stale rejects."""
        files = ' UNION ALL '.join('SELECT %s AS source, path, first_row FROM \`%s__files\`' % (sql_literal(st['read'], 'string'), st['name'])
                                   for st in PLAN['stages'] if st['read']) or \
            'SELECT CAST(NULL AS STRING) AS source, CAST(NULL AS STRING) AS path, CAST(NULL AS BIGINT) AS first_row'
        for st in PLAN['stages']:
            rej = st['rejects']
            if not rej:
                continue
            cols = ''.join(', r.\`%s\`' % c.replace('\`', '\`\`') for c in rej['columns'])
            df = self.sql('SELECT r._bb_src AS source_name, r._bb_file AS source_file, CAST(r._bb_row - f.first_row + 1 AS BIGINT) AS source_row, '
                          'CAST(NULL AS BIGINT) AS source_line, r._bb_reason AS reject_reason, r._bb_raw AS raw_line%s FROM \`%s\` r '
                          'LEFT JOIN (%s) f ON f.source = r._bb_src AND f.path = r._bb_file' % (cols, rej['view'], files))
            if not self.rejected.get(st['name']):
                df = df.limit(0)  # the counts found none: write the empty folder without reading the stage's rows again
            plain_timestamps(df).coalesce(1).write.mode('overwrite').parquet('%s/rejects/%s/%s' % (self.output_root, run_date, st['name']))

    def state_root(self, items):
        return '%s/state/%s' % (self.output_root, items['stage'])

    def write_open_items(self, run_date):
        """The open items of each carrying match stage, kept for the next run date (with the outputs)."""
        for st in PLAN['stages']:
            if st['open_items']:
                write_open_items(self.sql, self.state_root(st['open_items']), st['open_items'], run_date)

    def write_outputs(self):
        for st in PLAN['stages']:
            w = st['write']
            if w:
                write_output(self.spark.table('\`%s\`' % w['view']), w['format'], w['partitionBy'],
                             '%s/curated/%s' % (self.output_root, self.path(w['path'])))


def local_mode(spark):
    """On local[N] (a laptop, CI) a few shuffle partitions per core instead of the cluster default
    of 200: each partition is a task, and 200 tasks of a few rows on 2 cores cost more than the
    work. Only when the setting was left at its default; a cluster keeps its own."""
    if spark.conf.get('spark.master', '').startswith('local') and spark.conf.get('spark.sql.shuffle.partitions') == '200':
        spark.conf.set('spark.sql.shuffle.partitions', '4')


def main(argv):
    args, values = parse_args(argv)
    spark = (SparkSession.builder.appName(PLAN['pipeline'])
             .config('spark.sql.ansi.enabled', 'true')
             .config('spark.sql.session.timeZone', 'UTC')
             .config('spark.sql.sources.partitionOverwriteMode', 'dynamic')
             .config('spark.sql.parquet.outputTimestampType', 'TIMESTAMP_MICROS')
             .config('spark.sql.adaptive.enabled', 'true')
             .getOrCreate())
    local_mode(spark)
    try:
        return Job(spark, args, values).run()
    except SourceError as e:
        print('error: %s' % e, file=sys.stderr)
        return 1
    finally:
        spark.catalog.clearCache()
        spark.stop()


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
`;
}
