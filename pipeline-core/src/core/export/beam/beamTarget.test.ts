import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../spec/load.js';
import { exportPipeline } from '../exportPipeline.js';

const SPEC = `
version: 1
name: t
sources:
  s:
    format: csv
    path: "in/s_{run_date}.csv"
    schema: [{ name: a, type: string }, { name: b, type: string }, { name: "amount (€)", type: "decimal(10,2)" }, { name: day, type: date }]
stages:
  - { name: raw, kind: ingest, source: s }
  - name: class
    kind: cleanse
    input: raw
    steps:
      - { step: derive, column: x, expr: "regexp_replace(a, 'z', b)" }
      - { step: parse_date, column: b, formats: ["%Y-%m-%d"], type: date, into: d2 }
      - { step: filter, expr: "\\"amount (€)\\" > 0 AND day >= $run_date", on_false: reject }
  - { name: agg, kind: aggregate, input: class, group_by: [a], measures: [{ name: n, fn: count }] }
  - name: q
    kind: sql
    inputs: [agg]
    sql: "SELECT a, n FROM agg"
    schema: [{ name: a, type: string }, { name: n, type: integer }]
  - name: v
    kind: validate
    input: class
    rules:
      - { rule: regex, column: a, pattern: "[a-z]+" }
      - { rule: expression, expr: "length(x) < 10", action: reject }
  - { name: o, kind: output, input: v, format: csv, path: out }
  - { name: o2, kind: output, input: q, format: parquet, path: "q/{run_date}" }
`;

function ctx(text = SPEC) {
  const loaded = loadSpec(text);
  if (!loaded.spec) throw new Error(JSON.stringify(loaded.diagnostics));
  return { spec: loaded.spec, specText: text, toolVersion: '9.9.9', params: { run_date: '2026-11-24' } };
}

function files(text = SPEC) {
  const result = exportPipeline(ctx(text), { target: 'beam' });
  return { result, file: (p: string) => result.files.find((f) => f.path === `beam/${p}`)?.content ?? '' };
}

describe('beam target', () => {
  it('writes the pipeline, its streaming variant, the runtime, Dataflow packaging, a README and provenance', () => {
    const { result } = files();
    expect(result.refusals).toEqual([]);
    expect(result.written).toEqual(['beam']);
    expect(result.files.map((f) => f.path).sort()).toEqual(
      expect.arrayContaining(['beam/README.md', 'beam/bb_beam.py', 'beam/bb_runtime.py', 'beam/pipeline.py', 'beam/pipeline_streaming.py', 'beam/provenance.json', 'beam/requirements.txt', 'beam/setup.py']),
    );
  });

  it('exports what Spark refuses (a non-literal regexp replacement) and gives Python names to Python keywords', () => {
    const { file } = files();
    const py = file('pipeline.py');
    expect(py).toContain('bb.regexp_replace(r["a"], "z", r["b"])');
    expect(py).toContain('class_ = run.cleanse("class", raw, [');
    expect(py).toContain('bb.Filter("\\"amount (€)\\" > 0 AND day >= $run_date", lambda r: bb.and_(bb.gt(r["amount (€)"], 0), bb.ge(r["day"], P["run_date"])), on_false="reject")');
  });

  it('runs a regex rule translated for re, and names the spec\'s own pattern in its reasons (as the runner does)', () => {
    const py = files(SPEC.replace('pattern: "[a-z]+"', 'pattern: "(?P<w>[[:lower:]]+)"')).file('pipeline.py');
    expect(py).toContain('bb.Regex("regex_a", "a", "(?P<w>[a-z]+)", shown="(?P<w>[[:lower:]]+)"');
  });

  it('flags custom SQL "check manually" and asks for duckdb on the workers', () => {
    const { result, file } = files();
    expect(result.flags).toEqual([expect.objectContaining({ target: 'beam', stage: 'q', message: expect.stringContaining('check manually') })]);
    expect(file('README.md')).toContain('## Check manually');
    expect(file('requirements.txt')).toContain('duckdb==');
    expect(file('setup.py')).toContain("'duckdb==");
  });

  it('gives both command lines and, per stage, what streaming would need', () => {
    const readme = files().file('README.md');
    expect(readme).toContain('pipeline.py --input_root ../data --output_root ./out --run_date 2026-11-24');
    expect(readme).toContain('--runner=DataflowRunner');
    expect(readme).toContain('--setup_file=./setup.py');
    for (const [stage, need] of [['agg', 'needs a window'], ['class', 'no window needed'], ['q', 'not available in streaming'], ['o', 'needs a window'], ['raw', '--subscription s=']] as const) {
      expect(readme).toMatch(new RegExp(`\\| \`${stage}\` \\| [a-z]+ \\| [^\\n]*${need.replace(/[-=]/g, '\\$&')}`));
    }
  });

  it('every generated Python file compiles', () => {
    const { result } = files();
    const dir = mkdtempSync(join(tmpdir(), 'bb-beam-export-'));
    const py = result.files.filter((f) => f.path.endsWith('.py'));
    for (const f of py) {
      mkdirSync(dirname(join(dir, f.path)), { recursive: true });
      writeFileSync(join(dir, f.path), f.content);
    }
    execFileSync(process.env['BATCHBOOK_PYTHON'] ?? 'python3', ['-m', 'py_compile', ...py.map((f) => join(dir, f.path))]);
  });
});

describe('beam target refusals name the construct, the target and the stage, and write nothing', () => {
  const refused = (text: string) => {
    const result = exportPipeline(ctx(text), { target: 'beam' });
    expect(result.written).toEqual([]);
    expect(result.files).toEqual([]);
    return result.refusals;
  };

  it('a regular expression Python would read differently', () => {
    const r = refused(SPEC.replace("regexp_replace(a, 'z', b)", "regexp_replace(a, '\\\\p{L}', b)"));
    expect(r).toEqual([expect.objectContaining({ target: 'beam', stage: 'class', construct: expect.stringContaining('a regular expression with Unicode classes') })]);
  });

  it('a parse_date format code Python reads differently', () => {
    // %g (milliseconds) is a DuckDB code Python's strptime lacks (%e, used before, is not a DuckDB code either: the spec check refuses it)
    const r = refused(SPEC.replace('formats: ["%Y-%m-%d"]', 'formats: ["%Y-%m-%d.%g"]'));
    expect(r).toEqual([expect.objectContaining({ target: 'beam', stage: 'class', construct: 'parse_date format code %g' })]);
  });

  it('a regex rule with a negated POSIX class inside a class (Python cannot nest classes)', () => {
    const r = refused(SPEC.replace('pattern: "[a-z]+"', 'pattern: "[x[:^alpha:]]+"'));
    expect(r).toEqual([expect.objectContaining({ target: 'beam', stage: 'v', construct: expect.stringContaining("regex rule 'regex_a' with [:^alpha:] inside a class") })]);
  });
});
