import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { compileDuckdbPlan, type DuckdbPlan } from '../../core/compile/duckdb/plan.js';
import { rejectsQuery } from '../../core/compile/duckdb/rejects.js';
import { quoteIdent } from '../../core/compile/sql.js';
import { executePlan, type ExecutionResult } from '../../core/execute/executePlan.js';
import type { SqlRow } from '../../core/execute/sqlEngine.js';
import { loadSpec } from '../../core/spec/load.js';
import { resolveParams } from '../../core/spec/params.js';
import { NodeDuckdbEngine } from '../duckdb/nodeEngine.js';
import { nativeSourceRelation } from '../runner/sourceRelation.js';
import { removeDir, tempDir } from './fixtures.js';

/** Test support: compiles a spec and runs its stages on native DuckDB over inline files. */
export interface StageRun {
  readonly result: ExecutionResult;
  readonly plan: DuckdbPlan;
  rows(stage: string, orderBy?: string): Promise<SqlRow[]>;
  rejects(stage: string): Promise<SqlRow[]>;
  close(): Promise<void>;
}

export async function runStages(specYaml: string, files: Readonly<Record<string, string>>, params: Record<string, string> = {}): Promise<StageRun> {
  const loaded = loadSpec(specYaml);
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (!loaded.spec || errors.length) throw new Error(`spec errors: ${errors.map((e) => `${e.line}:${e.column} ${e.message}`).join('; ')}`);
  const spec = loaded.spec;
  const dir = await tempDir('bb-stage-');
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, rel)), { recursive: true });
    await writeFile(join(dir, rel), text);
  }
  const values = resolveParams(spec, params, '2026-01-01');
  const relations = new Map(
    await Promise.all(
      Object.entries(spec.sources).map(async ([name, s]) => {
        const path = join(dir, s.path.replace(/\{(\w+)\}/g, (_, p: string) => String(values[p])));
        return [name, await nativeSourceRelation(name, s, [path], [s.path])] as const;
      }),
    ),
  );
  const engine = await NodeDuckdbEngine.open({ threads: 2 });
  const plan = compileDuckdbPlan(spec, { params: values, sourceRelation: (n) => relations.get(n)! });
  const result = await executePlan(engine, plan, { now: () => performance.now() });
  return {
    result,
    plan,
    rows: (stage, orderBy = 'ALL') => engine.query(`SELECT * EXCLUDE (_bb_src, _bb_file, _bb_row) FROM ${quoteIdent(stage)} ORDER BY ${orderBy}`).catch(() => engine.query(`SELECT * FROM ${quoteIdent(stage)} ORDER BY ${orderBy}`)),
    rejects: (stage) => engine.query(rejectsQuery(plan, stage)),
    close: async () => {
      engine.close();
      await removeDir(dir);
    },
  };
}
