import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportProject, openProject, runPipeline, type RunReport } from '@batchbook/pipeline-core/node';

/**
 * Conformance of the dbt export: each case's exported dbt project runs with `dbt build` on
 * dbt-duckdb (all in one Python process) and its curated rows, rejects and rule outcomes must
 * equal `batchbook run` on the same raw data as multisets (py/compare.py, shared with the other
 * engines), with the same "failed or not" exit status. Besides the samples, a small generated
 * project exercises every rule kind and the two cases where dbt's own test semantics would
 * differ from Batchbook's: a warn-severity rule with action fail (exit 0, nothing published)
 * and an error-severity rule with action reject (exit non-zero, outputs published).
 */
const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const python = join(repo, 'e2e', '.venv', 'bin', 'python');

const EVERY_RULE_SPEC = `version: 1
name: every_rule
parameters:
  run_date: { type: date, default: "2026-01-02" }
sources:
  items:
    format: csv
    path: items/items_{run_date}.csv
    schema:
      - { name: id, type: integer }
      - { name: code, type: string }
      - { name: qty, type: integer }
      - { name: price, type: double }
      - { name: day, type: date }
      - { name: seen_at, type: timestamp }
      - { name: active, type: boolean }
      - { name: shop, type: string }
  shops:
    format: ndjson
    path: shops/shops_{run_date}.ndjson
    schema:
      - { name: shop, type: string }
      - { name: budget, type: "decimal(10,2)" }
stages:
  - { name: raw_items, kind: ingest, source: items }
  - { name: raw_shops, kind: ingest, source: shops }
  - name: items
    kind: cleanse
    input: raw_items
    steps:
      - { step: trim, columns: [code] }
      - { step: derive, column: total, expr: "qty * price" }
  - name: checked
    kind: validate
    input: items
    rules:
      - { rule: not_null, columns: [code, shop], severity: warn, action: warn }
      - { rule: unique, columns: [id], severity: error, action: reject }
      - { rule: accepted_values, column: qty, values: [1, 2, 3, 5], severity: warn, action: warn }
      - { rule: accepted_values, column: active, values: [true], severity: warn, action: warn }
      - { rule: range, column: day, min: "2026-01-01", max: "2026-01-02", severity: warn, action: reject }
      - { rule: range, column: price, min: 0.5, severity: warn, action: warn }
      - { rule: regex, column: code, pattern: "[A-Z]{2}-\\\\d+", severity: warn, action: warn }
      - { rule: relationship, columns: [shop], to: raw_shops, severity: warn, action: reject }
      # the literal holds Jinja openers: the dbt export must escape them in models and tests
      - { rule: expression, expr: "day <= $run_date AND price > 0 AND coalesce(code, '') <> '{{x}} {%y%} {#z#}'", severity: warn, action: reject }
      - { name: few_rows, rule: row_count, max: 5, severity: warn, action: fail }
      - { rule: freshness, column: seen_at, max_age_hours: 12, severity: warn, action: warn }
      - { rule: conservation, stage: items, severity: error, action: fail }
      - name: budget_covers
        rule: reconcile
        left: { fn: sum, column: total, group_by: [shop] }
        right: { stage: raw_shops, fn: sum, column: budget, group_by: [shop] }
        tolerance: { relative: 0.5 }
        severity: warn
        action: warn
  - name: by_shop
    kind: aggregate
    input: checked
    group_by: [shop]
    measures:
      - { name: n, fn: count }
      - { name: revenue, fn: sum, column: total }
  - { name: item_budget, kind: join, left: checked, right: raw_shops, type: inner, on: [shop], right_prefix: shop_ }
  # custom SQL runs as written on dbt-duckdb (its literal holds a Jinja opener too)
  - name: shop_names
    kind: sql
    inputs: [raw_shops]
    sql: "SELECT upper(shop) AS shop_code, budget FROM raw_shops WHERE shop <> '{{none}}'"
    schema: [{ name: shop_code, type: string }, { name: budget, type: "decimal(10,2)" }]
  - { name: both_shop_lists, kind: union, inputs: [shop_names, shop_names] }
  - { name: items_out, kind: output, input: checked, format: parquet, path: items, partition_by: [day] }
  - { name: shops_out, kind: output, input: by_shop, format: csv, path: "shops/{run_date}" }
  - { name: item_budget_out, kind: output, input: item_budget, format: parquet, path: item_budget }
  - { name: shop_names_out, kind: output, input: both_shop_lists, format: csv, path: "shop_names/{run_date}" }
`;
// Day 1: six readable rows (row_count max 5, severity warn, action fail, fails: exit 0, nothing
// published), one unreadable qty, several warn rules failing. Day 2: a duplicate id (unique,
// severity error, action reject, fails: exit non-zero, outputs published), a stale timestamp.
const EVERY_RULE_DATA: Record<string, string> = {
  'items/items_2026-01-02.csv': `id,code,qty,price,day,seen_at,active,shop
1,AB-1,1,2.5,2026-01-01,2026-01-02 10:00:00,true,s1
2, CD-22 ,2,3.0,2026-01-02,2026-01-02 11:00:00,false,s1
3,xx-3,4,1.25,2026-01-02,2026-01-02 12:00:00,true,s2
4,,3,0,2026-01-02,2026-01-01 08:00:00,true,s2
5,EF-5,5,0.25,2025-12-31,2026-01-02 09:00:00,,s3
6,GH-6,2,10,2026-01-02,2026-01-02 13:00:00,true,
7,IJ-7,two,1,2026-01-02,2026-01-02 13:00:00,true,s1
`,
  'shops/shops_2026-01-02.ndjson': '{"shop":"s1","budget":"10.00"}\n{"shop":"s2","budget":"5.5"}\n{"shop":"s4","budget":"1"}\n',
  'items/items_2026-01-03.csv': `id,code,qty,price,day,seen_at,active,shop
1,AB-1,1,2.5,2026-01-02,2026-01-03 10:00:00,true,s1
1,AB-12,2,2.5,2026-01-02,2026-01-03 10:30:00,true,s1
2,CD-2,3,4,2026-01-03,2026-01-03 11:00:00,true,s2
3,EF-3,5,1.5,2026-01-02,2026-01-02 23:00:00,false,s2
`,
  'shops/shops_2026-01-03.ndjson': '{"shop":"s1","budget":"7.5"}\n{"shop":"s2","budget":"20"}\n',
};

interface Case {
  readonly sample: string;
  readonly runDate: string;
}
const CASES: readonly Case[] = [
  { sample: 'nightly-reconciliation', runDate: '2026-11-24' },
  { sample: 'nightly-reconciliation', runDate: '2026-11-25' },
  { sample: 'peak-sales', runDate: '2026-11-16' },
  { sample: 'every-rule (generated)', runDate: '2026-01-02' },
  { sample: 'every-rule (generated)', runDate: '2026-01-03' },
];

interface Outcome {
  readonly report: RunReport;
  readonly exit: number;
  readonly seconds: number;
  readonly publishLog: string[];
  readonly problems: unknown[];
}
const outcomes = new Map<Case, Outcome>();

beforeAll(async () => {
  const t0 = performance.now();
  execFileSync('bash', [join(here, 'setup-venv.sh')], { stdio: 'inherit' });
  const work = await mkdtemp(join(tmpdir(), 'batchbook-dbt-'));
  const generated = join(work, 'every-rule');
  await mkdir(generated);
  await writeFile(join(generated, 'pipeline.yaml'), EVERY_RULE_SPEC);
  for (const [path, text] of Object.entries(EVERY_RULE_DATA)) {
    await mkdir(dirname(join(generated, 'data', path)), { recursive: true });
    await writeFile(join(generated, 'data', path), text);
  }
  const t1 = performance.now();
  const prepared = [];
  for (const [i, c] of CASES.entries()) {
    const project = await openProject(c.sample.startsWith('every-rule') ? generated : join(repo, 'samples', c.sample));
    const spec = project.loaded.spec;
    if (!spec) throw new Error(`${c.sample}: invalid spec`);
    const dir = join(work, `case-${i}`);
    const lake = join(dir, 'lake');
    const report = await runPipeline({ spec, specText: project.specText, projectDir: project.dir, inbox: project.inbox, lake, params: { run_date: c.runDate }, threads: 2 });
    await writeFile(join(dir, 'report.json'), JSON.stringify(report));
    await exportProject({ project: project as never, target: 'dbt', out: join(dir, 'export'), params: report.params, toolVersion: 'test', preview: false });
    const job = { dir: join(dir, 'export', 'dbt'), run_date: c.runDate, input_root: project.inbox, output_root: join(dir, 'dbt-out'), work: join(dir, 'dbt-work') };
    const compare = {
      lake,
      report: join(dir, 'report.json'),
      out: job.output_root,
      run_date: c.runDate,
      outputs: spec.stages.flatMap((s) => (s.kind === 'output' ? [{ stage: s.name, path: s.path.replace(/\{run_date\}/g, c.runDate), format: s.format }] : [])),
      reject_stages: spec.stages.filter((s) => s.kind === 'ingest' || s.kind === 'cleanse' || s.kind === 'validate').map((s) => s.name),
    };
    await writeFile(join(dir, 'compare.json'), JSON.stringify(compare));
    prepared.push({ c, report, job, compareFile: join(dir, 'compare.json') });
  }
  const t2 = performance.now();
  await writeFile(join(work, 'jobs.json'), JSON.stringify(prepared.map((p) => p.job)));
  const run = spawnSync(python, [join(here, 'py', 'run_dbt.py'), join(work, 'jobs.json'), join(work, 'results.json')], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`dbt batch failed:\n${run.stderr.slice(-3000)}`);
  const t3 = performance.now();
  const results = JSON.parse(await readFile(join(work, 'results.json'), 'utf8')) as { jobs: { exit: number; seconds: number; publish_log: string[] }[] };
  for (const [i, p] of prepared.entries()) {
    const cmp = spawnSync(python, [join(here, 'py', 'compare.py'), p.compareFile], { encoding: 'utf8' });
    if (cmp.status !== 0) throw new Error(`compare failed: ${cmp.stderr}`);
    const r = results.jobs[i]!;
    outcomes.set(p.c, { report: p.report, exit: r.exit, seconds: r.seconds, publishLog: r.publish_log, problems: JSON.parse(cmp.stdout) as unknown[] });
  }
  const s = (a: number, b: number) => Math.round((b - a) / 100) / 10;
  process.stderr.write(`dbt suite timings (s): ${JSON.stringify({ venv: s(t0, t1), 'runner+export': s(t1, t2), dbt: s(t2, t3), compare: s(t3, performance.now()), per_build: results.jobs.map((j) => Math.round(j.seconds * 10) / 10) })}\n`);
});

describe.each(CASES)('dbt build: $sample on $runDate', (c) => {
  it('gives the runner’s curated rows, rejects and rule outcomes, and fails exactly when the runner does', () => {
    const o = outcomes.get(c)!;
    expect(o.problems).toEqual([]);
    expect(o.exit !== 0).toBe(o.report.exit_code !== 0);
  });
});

describe('the generated every-rule project covers what it is meant to', () => {
  it('day 1: a warn-severity rule with action fail fails — the runner exits 0 and publishes nothing, and so does dbt', () => {
    const o = outcomes.get(CASES[3]!)!;
    expect(o.report.rules.find((r) => r.name === 'few_rows')).toMatchObject({ status: 'fail', failing: 1 });
    expect(o.report.exit_code).toBe(0);
    expect(o.report.published).toBe(false);
    expect(o.exit).toBe(0);
    expect(o.publishLog.join('\n')).toContain('outputs NOT published: rule(s) with action fail failed: checked.few_rows');
  });

  it('day 2: an error-severity rule with action reject fails — the runner publishes and exits non-zero, and so does dbt', () => {
    const o = outcomes.get(CASES[4]!)!;
    expect(o.report.rules.find((r) => r.name === 'unique_id')).toMatchObject({ status: 'fail', failing: 2 });
    expect(o.report.exit_code).not.toBe(0);
    expect(o.report.published).toBe(true);
    expect(o.exit).toBe(1);
    expect(o.publishLog.join('\n')).toContain('published 4 output(s)');
  });

  it('every rule kind fails somewhere and passes somewhere across the two days', () => {
    const rules = [3, 4].flatMap((i) => outcomes.get(CASES[i]!)!.report.rules);
    const kinds = new Set(rules.map((r) => r.rule));
    expect([...kinds].sort()).toEqual(['accepted_values', 'conservation', 'expression', 'freshness', 'not_null', 'range', 'reconcile', 'regex', 'relationship', 'row_count', 'unique']);
    for (const k of kinds) {
      if (k === 'conservation') continue; // conservation holds by construction
      expect(rules.some((r) => r.rule === k && r.status === 'fail'), `${k} fails on a day`).toBe(true);
      expect(rules.some((r) => r.rule === k && r.status === 'pass'), `${k} passes on a day`).toBe(true);
    }
  });
});
