import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mayMatchEmpty } from '../../expr/emit/spark.js';
import { loadSpec } from '../../spec/load.js';
import { exportPipeline } from '../exportPipeline.js';
import { formatRefusal } from '../refusal.js';
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
});
