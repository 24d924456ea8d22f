import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mayMatchEmpty } from '../../expr/emit/spark.js';
import { loadSpec } from '../../spec/load.js';
import { exportPipeline } from '../exportPipeline.js';
import { formatRefusal } from '../refusal.js';
import { SPARK_MATCH_PY } from './sparkMatchPy.js';
import { sparkValueCast } from './sparkTypes.js';

/**
 * The Spark export's own checks, without Spark: what it refuses and the shape of the SQL that
 * fixes a difference found by the conformance corpus. That the SQL gives the runner's values is
 * checked on a real Spark session by e2e/engines (the corpus runs there).
 */
const spec = (derive: string) =>
  loadSpec(`version: 1
name: t
sources:
  s: { format: csv, path: "s_{run_date}.csv", schema: [{ name: s, type: string }, { name: d, type: double }, { name: n, type: "decimal(10,2)" }] }
stages:
  - { name: raw, kind: ingest, source: s }
  - { name: c, kind: cleanse, input: raw, steps: [{ step: derive, column: x, expr: "${derive}" }] }
  - { name: a, kind: aggregate, input: c, group_by: [], measures: [{ name: m, fn: avg, column: n }, { name: e, fn: avg, column: d }] }
  - { name: o, kind: output, input: c, format: csv, path: o }
`).spec!;

const spark = (derive: string) => exportPipeline({ spec: spec(derive), specText: '', toolVersion: 't' }, { target: 'spark' });

describe('the Spark export', () => {
  it('refuses a regexp_replace whose pattern can match the empty string (Java replaces an empty match right after a match, RE2 does not)', () => {
    const refused = spark("regexp_replace(s, 'x*', '-')");
    expect(refused.written).toEqual([]);
    expect(refused.refusals.map(formatRefusal)).toEqual([expect.stringContaining("regexp_replace with the pattern 'x*', which can match the empty string")]);
    expect(spark("regexp_replace(s, 'x+', '-')").written).toEqual(['spark']);
  });

  it('tells patterns that can match the empty string', () => {
    for (const p of ['x*', '^', '$', 'a?', '(a|)', '(?i)b*', '[']) expect(mayMatchEmpty(p), p).toBe(true);
    for (const p of ['x+', 'a', '^a$', '(?i)abc', '(?P<n>a)', '\\d{2}']) expect(mayMatchEmpty(p), p).toBe(false);
  });

  it('casts typed values as DuckDB does: doubles to integers half to even, decimals half away from zero, doubles to decimals via x·10^s', () => {
    expect(sparkValueCast('x', 'double', 'integer')).toContain('bround(x, 0)');
    expect(sparkValueCast('x', 'decimal(10,2)', 'integer')).toContain('round(x, 0)');
    expect(sparkValueCast('x', 'double', 'decimal(8,2)')).toContain('round(x * 1e2D, 0)');
    expect(sparkValueCast('x', 'integer', 'double')).toBe('try_cast(x AS DOUBLE)');
  });

  it('averages a decimal from its exact sum, and writes CSV timestamps and decimals as text', () => {
    const job = spark("s || 'x'").files.find((f) => f.path === 'spark/job.py')!.content;
    expect(job).toContain('CAST(sum(`n`) AS DOUBLE) / count(`n`)');
    expect(job).toContain('avg(CAST(`d` AS DOUBLE))');
    expect(job).toContain("option('ignoreTrailingWhiteSpace', False)");
  });

  it('reads with spark.read and uses no API Spark Connect lacks (binaryFiles, localCheckpoint, _jvm, _jsc, sparkContext)', () => {
    const job = spark("s || 'x'").files.find((f) => f.path === 'spark/job.py')!.content;
    for (const banned of ['binaryFiles', 'localCheckpoint', '_jvm', '_jsc', 'sparkContext']) expect(job).not.toContain(banned);
    expect(job).toContain('self.spark.read');
    expect(job).toContain("_metadata.file_path");
  });

  it('gives a Parquet ingest a typed __all view (no text casts, nothing to reject) and a CSV ingest none', () => {
    const text = `version: 1
name: p
sources:
  f: { format: parquet, path: "f.parquet", schema: [{ name: k, type: integer }, { name: day, type: date }] }
  c: { format: csv, path: "c.csv", schema: [{ name: k, type: integer }] }
stages:
  - { name: raw_f, kind: ingest, source: f }
  - { name: raw_c, kind: ingest, source: c }
  - { name: o, kind: output, input: raw_f, format: parquet, path: o }
`;
    const job = exportPipeline({ spec: loadSpec(text).spec!, specText: text, toolVersion: 't' }, { target: 'spark' }).files.find((f) => f.path === 'spark/job.py')!.content;
    const native = [...job.matchAll(/"native_all": (None|"(?:[^"\\]|\\.)*")/g)].map((m) => (m[1] === 'None' ? null : (JSON.parse(m[1]!) as string)));
    expect(native).toEqual([
      'SELECT `k`, `day`, _bb_path AS _bb_file, _bb_row, CAST(NULL AS BIGINT) AS _bb_line, CAST(NULL AS STRING) AS _bb_reason, CAST(NULL AS STRING) AS _bb_raw, FALSE AS _bb_dropped FROM `raw_f__read`',
      null,
      null,
    ]);
    expect(job).toContain('"types": ["integer", "date"]');
  });

  it('translates regular expressions to Java and refuses a pattern it cannot translate', () => {
    const job = spark("CAST(regexp_matches(s, '^[[:alpha:]]+$') AS string)").files.find((f) => f.path === 'spark/job.py')!.content;
    expect(job).toContain("RLIKE '^[A-Za-z]+");
    expect(job).not.toContain('[[:alpha:]]');
    const refused = spark("CAST(regexp_matches(s, '(?<n>a)') AS string)");
    expect(refused.refusals.map(formatRefusal)).toEqual([expect.stringContaining('write (?P<name>…)')]);
  });

  it('writes a job.py Python compiles, which logs its stage ends, rule outcomes and run end as JSON lines', () => {
    const job = spark("s || 'x'").files.find((f) => f.path === 'spark/job.py')!.content;
    for (const event of ['stage_end', 'rule', 'run_end', 'stage_failed']) expect(job).toContain(`event='${event}'`);
    const dir = mkdtempSync(join(tmpdir(), 'bb-spark-job-'));
    writeFileSync(join(dir, 'job.py'), job);
    execFileSync(process.env['BATCHBOOK_PYTHON'] ?? 'python3', ['-m', 'py_compile', join(dir, 'job.py')]);
  });

  describe('a match stage', () => {
    const text = `version: 1
name: m
parameters: { run_date: { type: date, default: "2026-11-24" } }
sources:
  o: { format: csv, path: "o_{run_date}.csv", schema: [{ name: ref, type: string }, { name: amount, type: "decimal(12,2)" }, { name: day, type: date }] }
  s: { format: csv, path: "s_{run_date}.csv", schema: [{ name: ref, type: string }, { name: paid, type: "decimal(12,2)" }, { name: on, type: date }] }
stages:
  - { name: orders, kind: ingest, source: o }
  - { name: settlements, kind: ingest, source: s }
  - name: settle
    kind: match
    left: orders
    right: settlements
    keys: [{ left: ref, right: ref, normalise: [trim, upper] }]
    amount: { left: amount, right: paid }
    tolerance: { absolute: 0.01 }
    date: { left: day, right: on, within_days: 3 }
    cardinality: one_to_many
    open_items: { max_age_days: 3 }
  - { name: open_out, kind: output, input: settle.unmatched_left, format: parquet, path: open }
`;
    const exported = () => exportPipeline({ spec: loadSpec(text).spec!, specText: text, toolVersion: 't' }, { target: 'spark' });
    const python = process.env['BATCHBOOK_PYTHON'] ?? 'python3';
    /** Runs Python over the job's match helpers (plain Python: the date choice needs no Spark). */
    const py = (code: string) => execFileSync(python, ['-c', `import re\n${SPARK_MATCH_PY}\n${code}`], { encoding: 'utf8' }).trim();

    it('is exported, not refused, and its job compiles', () => {
      const out = exported();
      expect(out.refusals).toEqual([]);
      const job = out.files.find((f) => f.path === 'spark/job.py')!.content;
      const dir = mkdtempSync(join(tmpdir(), 'bb-spark-match-'));
      writeFileSync(join(dir, 'job.py'), job);
      execFileSync(python, ['-m', 'py_compile', join(dir, 'job.py')]);
      // NOT IN is an anti join (a null-aware nested-loop join in Spark), no DuckDB-only syntax
      expect(job).not.toMatch(/RECURSIVE|NOT IN|QUALIFY|date_diff/);
    });

    it('carries in the open items of the latest EARLIER date: never the run date itself, never a later one', () => {
      const dates = "['2026-11-21', '2026-11-23', '2026-11-25', '2026-11-27']";
      expect(py(`print(carried_date(${dates}, '2026-11-25'))`)).toBe('2026-11-23');
      expect(py(`print(carried_date(${dates}, '2026-11-24'))`)).toBe('2026-11-23');
      expect(py(`print(carried_date(${dates}, '2026-11-30'))`)).toBe('2026-11-27');
      expect(py(`print(carried_date(${dates}, '2026-11-21'))`)).toBe('None');
      expect(py(`print(carried_date([], '2026-11-21'))`)).toBe('None');
    });

    it("finds a state's date from the right side's file, as Spark writes it (a folder of part files) or as the runner does (one file)", () => {
      const date = (path: string) => py(`m = re.search(_STATE_DATE, ${JSON.stringify(path)}); print(m.group(1) if m else '-')`);
      expect(date('gs://b/lake/state/settle/run_date=2026-11-23/open_right.parquet/part-00000-x.snappy.parquet')).toBe('2026-11-23');
      expect(date('file:/lake/state/settle/run_date=2026-11-24/open_right.parquet')).toBe('2026-11-24');
      // the left side is written first: a date whose right side is missing was not finished
      expect(date('file:/lake/state/settle/run_date=2026-11-24/open_left.parquet/part-0.parquet')).toBe('-');
      expect(date('file:/lake/state/settle/run_date=2026-11-2/open_right.parquet')).toBe('-');
    });

    it('reads its carried items, writes its own and checks the age rule in the plan the job walks', () => {
      const job = exported().files.find((f) => f.path === 'spark/job.py')!.content;
      const literal = job.slice(job.indexOf('PLAN = ') + 'PLAN = '.length, job.indexOf('\n\n# ---- reading'));
      const plan = JSON.parse(execFileSync(python, ['-c', 'import json, sys; print(json.dumps(eval(sys.stdin.read())))'], { input: literal, encoding: 'utf8' })) as { stages: { name: string; views: [string, string, boolean, string[] | null, boolean][]; open_items: { carried: Record<string, string>; state: Record<string, string> } | null; rules: { name: string; check: string }[] }[] };
      const settle = plan.stages.find((st) => st.name === 'settle')!;
      expect(settle.open_items!.carried).toEqual({ left: 'settle__carried_left', right: 'settle__carried_right' });
      expect(settle.open_items!.state['left']).toContain('FROM `settle__ol`');
      expect(settle.rules.map((r) => r.name)).toEqual(['open_items_age']);
      // the one-to-one picks (within tolerance, then the mismatches) are rounds of DataFrames: Spark SQL has no recursive query
      expect(settle.views.filter((v) => v[3]).map((v) => [v[0], v[3]])).toEqual([['settle__p1', ['gap', 'day_gap']], ['settle__p2', ['gap', 'day_gap']]]);
      // the items and pairs later steps read are written and read back (a plan cut), the outputs' views are not
      expect(settle.views.filter((v) => v[4]).map((v) => v[0])).toEqual(['settle__l', 'settle__r', 'settle__c', 'settle__p1', 'settle__own', 'settle__pm', 'settle__p2', 'settle__ol', 'settle__or']);
      expect(settle.rules[0]!.check).toContain('age_days > 3');
      expect(plan.stages.filter((st) => st.open_items).map((st) => st.name)).toEqual(['settle']);
    });

    it('tells in its README where the open items are kept and that dates run in order', () => {
      const readme = exported().files.find((f) => f.path === 'spark/README.md')!.content;
      expect(readme).toContain('`<output-root>/state/settle/run_date=<date>/open_left.parquet`');
      expect(readme).toContain('Run the dates in order');
      expect(spark("s || 'x'").files.find((f) => f.path === 'spark/README.md')!.content).not.toContain('open items');
    });
  });
});
