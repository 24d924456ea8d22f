import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { allCases, baseJob, compareAll, conformanceFailures, logTimings, prepare, runDriver, sameFailure, setupVenv, type Prepared } from './harness.js';

/**
 * Conformance of the dbt export: each case's exported dbt project runs with `dbt build` on
 * dbt-duckdb (all in one Python process) and must give `batchbook run`'s curated rows, rejects
 * and rule outcomes as multisets, failing exactly when the runner fails. The corpus's every_rule
 * case holds the two places where dbt's own test semantics would differ from Batchbook's: a
 * warn-severity rule with action fail (exit 0, nothing published) and an error-severity rule
 * with action reject (exit non-zero, outputs published); its rules carry Jinja openers in
 * literals and custom SQL, which the export must escape.
 */
interface DbtResult {
  exit: number;
  seconds: number;
  publish_log: string[];
  /** dbt's own failure lines ("Failure in test …") and its "Done. PASS=… SKIP=…" summary. */
  dbt_failures: string[];
  docs_exit?: number;
  manifest?: string;
}

/** The case whose project also runs `dbt docs generate`: its lineage is checked in the manifest. */
const DOCS_CASE = 'nightly-reconciliation 2026-11-24';

let prepared: Prepared[];
const outcomes = new Map<string, DbtResult & { problems: unknown[] }>();

beforeAll(async () => {
  setupVenv();
  const work = await mkdtemp(join(tmpdir(), 'batchbook-dbt-'));
  const t0 = performance.now();
  prepared = await prepare(await allCases(work), work);
  const t1 = performance.now();
  const runs = prepared.filter((p) => p.written.includes('dbt'));
  const results = await runDriver<{ jobs: DbtResult[] }>('run_dbt.py', runs.map((p) => ({ ...baseJob(p, 'dbt'), work: join(p.dir, 'dbt-work'), docs: p.c.id === DOCS_CASE })), work, 'dbt');
  const t2 = performance.now();
  const problems = await compareAll(runs.map((p) => ({ p, out: baseJob(p, 'dbt').output_root })), work, 'dbt');
  runs.forEach((p, i) => outcomes.set(p.c.id, { ...results.jobs[i]!, problems: problems[i]! }));
  const s = (a: number, b: number) => Math.round(b - a) / 1000;
  logTimings('dbt', { 'runner+export': s(t0, t1), dbt: s(t1, t2), compare: s(t2, performance.now()), per_build: results.jobs.map((j) => Math.round(j.seconds * 10) / 10) });
});

describe('dbt build', () => {
  it('gives the runner’s curated rows, rejects and rule outcomes on every case, and fails exactly when the runner does (or refuses what the case declares)', () => {
    const failures = conformanceFailures(prepared, 'dbt', (p) => outcomes.get(p.c.id), sameFailure);
    expect(failures).toEqual([]);
  });

  it('a warn-severity rule with action fail that fails: exit 0, nothing published, and the publish step says why', () => {
    const o = outcomes.get('corpus every_rule 2026-01-02')!;
    expect(o.exit).toBe(0);
    expect(o.publish_log.join('\n')).toContain('outputs NOT published: rule(s) with action fail failed: checked.few_rows');
  });

  it('an error-severity rule with action reject that fails: outputs published, dbt exits 1', () => {
    const o = outcomes.get('corpus every_rule 2026-01-03')!;
    expect(o.exit).toBe(1);
    expect(o.publish_log.join('\n')).toContain('published 5 output(s)');
  });

  it('dbt itself fails the build on exactly the error-severity rules the runner failed, naming each, and skips no model for them (only a stage error skips, as the runner stops)', () => {
    const wrong = prepared.flatMap((p) => {
      const o = outcomes.get(p.c.id);
      if (!o) return [];
      // the runner's report says which rules failed at severity error; each is the dbt test <stage>__<rule>
      const want = p.report.rules.filter((r) => r.status === 'fail' && r.severity === 'error').map((r) => `Failure in test ${r.stage}__${r.name} `);
      const got = o.dbt_failures.filter((l) => l.includes('Failure in test')).map((l) => l.slice(l.indexOf('Failure in test')).replace(/\(.*$/, ''));
      const done = o.dbt_failures.find((l) => l.includes('Done. PASS=')) ?? '';
      const count = (what: string) => Number(new RegExp(` ${what}=(\\d+) `).exec(done)?.[1] ?? NaN);
      // dbt's ERROR counts failed error tests and failed models; a failed model (a stage error) skips its
      // children, as the runner stops on a stage error: only then may anything be skipped
      const modelErrors = count('ERROR') - want.length;
      const problems = [
        ...(JSON.stringify([...got].sort()) === JSON.stringify([...want].sort()) ? [] : [`dbt failures ${JSON.stringify(got)}, runner's error rules ${JSON.stringify(want)}`]),
        ...(modelErrors === 0 && count('SKIP') === 0 ? [] : modelErrors > 0 && p.report.status === 'error' ? [] : [`summary: ${done}, runner status ${p.report.status}`]),
      ];
      return problems.map((x) => `${p.c.id}: ${x}`);
    });
    expect(wrong).toEqual([]);
    // the corpus day with a failing error rule is among them (not a vacuous pass)
    expect(outcomes.get('corpus every_rule 2026-01-03')!.dbt_failures.join('\n')).toContain('Failure in test checked__unique_id');
  });

  it('dbt docs generate works and its manifest shows the lineage through source() and ref(), one model per relation with standard materializations', async () => {
    const o = outcomes.get(DOCS_CASE)!;
    expect(o.docs_exit).toBe(0);
    const manifest = JSON.parse(await readFile(o.manifest!, 'utf8')) as {
      parent_map: Record<string, string[]>;
      nodes: Record<string, { raw_code: string; config: { materialized: string }; depends_on: { nodes: string[] } }>;
    };
    // samples/nightly-reconciliation/pipeline.yaml: pos_orders → raw_orders → clean_orders → checked_orders, and
    // clean_orders → paid_orders; order_settlement joins paid_orders with reconciliation. Each stage is its
    // relations (stageTables.ts): <stage>__all (or a validate stage's __judged) holding every row it saw, the
    // view <stage> over it, <stage>__stats, … — each its own model.
    const m = (name: string) => `model.nightly_reconciliation.${name}`;
    const parents = (name: string) => [...manifest.parent_map[m(name)]!].sort();
    expect(parents('raw_orders__all')).toEqual(['source.nightly_reconciliation.raw.pos_orders']);
    expect(parents('raw_orders')).toEqual([m('raw_orders__all')]);
    expect(parents('clean_orders__all')).toEqual([m('raw_orders')]);
    expect(parents('clean_orders')).toEqual([m('clean_orders__all')]);
    expect(parents('checked_orders__judged')).toEqual([m('clean_orders')]);
    expect(parents('checked_orders')).toEqual([m('checked_orders__judged')]);
    expect(parents('checked_orders__stats')).toEqual([m('checked_orders__judged')]);
    expect(parents('checked_orders__rules')).toEqual([m('checked_orders__judged')]);
    expect(parents('order_settlement__all')).toEqual([m('paid_orders'), m('reconciliation')]);
    // through source() / ref() in the model's SQL, not only in comments
    expect(manifest.nodes[m('raw_orders__all')]!.raw_code).toMatch(/FROM \{\{ source\("raw", "pos_orders"\) \}\}/);
    expect(manifest.nodes[m('clean_orders__all')]!.raw_code).toMatch(/FROM \{\{ ref\("raw_orders"\) \}\}/);
    expect(manifest.nodes[m('order_settlement__all')]!.raw_code).toMatch(/JOIN \{\{ ref\("reconciliation"\) \}\}/);
    // dbt's own materializations: a table where the runner materialises (the ingest's rows, counts), a view where it reads once
    const materialized = (name: string) => manifest.nodes[m(name)]!.config.materialized;
    expect([materialized('raw_orders__all'), materialized('raw_orders'), materialized('checked_orders__judged'), materialized('checked_orders__stats')]).toEqual(['table', 'view', 'view', 'table']);
    expect(Object.values(manifest.nodes).filter((n) => n.config.materialized === 'batchbook_stage')).toEqual([]);
  });
});
