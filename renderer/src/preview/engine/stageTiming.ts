import type { DuckdbPlan } from '@batchbook/pipeline-core';
import type { WasmSqlEngine } from './wasmEngine';

/**
 * A cell's timing, as `batchbook run --profile` reports a stage (src/node/runner/profile.ts):
 * its wall time, its rows and its heaviest operators from DuckDB's own profiler. The cell's
 * compiled statements are run again, each that produces rows under EXPLAIN (ANALYZE, FORMAT
 * json), which executes it and returns its operator tree; the rest (views, drops) run plainly.
 * Re-running gives the same tables (the statements are deterministic), so nothing downstream changes.
 */
export interface StageTiming {
  readonly stage: string;
  /** Wall time of the cell's statements, profiled (profiling adds a little). */
  readonly ms: number;
  readonly rows: number;
  readonly statements: number;
  /** The five heaviest operators, with their share of the cell's operator time and the rows they produced. */
  readonly operators: readonly { readonly operator: string; readonly share: number; readonly ms: number; readonly rows: number }[];
}

interface ProfileNode {
  readonly operator_name?: string;
  readonly operator_timing?: number;
  readonly operator_cardinality?: number;
  readonly children?: readonly ProfileNode[];
}

/** Statements EXPLAIN ANALYZE runs (it only describes a CREATE VIEW or a DROP without running it). */
const PROFILED = /^\s*(CREATE\s+(OR\s+REPLACE\s+)?(TEMP\w*\s+)?TABLE\s[\s\S]*\bAS\b|INSERT\b|UPDATE\b|DELETE\b|SELECT\b|WITH\b)/i;

/** Adds a statement's operators (seconds, rows) into `into`, leaving out the EXPLAIN wrapper itself. */
export function addOperators(json: string, into: Map<string, { seconds: number; rows: number }>): void {
  const walk = (n: ProfileNode) => {
    // DuckDB pads some names ('SEQ_SCAN ')
    const name = n.operator_name?.trim();
    if (name && name !== 'EXPLAIN_ANALYZE') {
      const o = into.get(name) ?? { seconds: 0, rows: 0 };
      o.seconds += n.operator_timing ?? 0;
      o.rows += n.operator_cardinality ?? 0;
      into.set(name, o);
    }
    for (const c of n.children ?? []) walk(c);
  };
  walk(JSON.parse(json) as ProfileNode);
}

/** The heaviest operators first, as shares of the total operator time. */
export function heaviest(ops: ReadonlyMap<string, { seconds: number; rows: number }>, n = 3): StageTiming['operators'] {
  const sorted = [...ops].sort((a, b) => b[1].seconds - a[1].seconds);
  const total = sorted.reduce((a, [, o]) => a + o.seconds, 0);
  return sorted.slice(0, n).map(([operator, o]) => ({ operator, share: total > 0 ? Math.round((o.seconds / total) * 100) / 100 : 0, ms: Math.round(o.seconds * 10_000) / 10, rows: o.rows }));
}

/** Runs the cell's statements again under the profiler; call inside engine.serialize (it uses the connection directly). */
export function timeStage(engine: WasmSqlEngine, plan: DuckdbPlan, stage: string, rows: number, now: () => number = () => performance.now()): StageTiming {
  const p = plan.stages.find((s) => s.stage.name === stage);
  if (!p) throw new Error(`'${stage}' has not been previewed yet`);
  const ops = new Map<string, { seconds: number; rows: number }>();
  // as executePlan runs a cell: its statements, its counts, its rules' checks
  const statements = [...p.compiled.statements, p.compiled.stats, ...(p.compiled.rules ?? []).map((r) => r.check)];
  const started = now();
  for (const sql of statements) {
    if (!PROFILED.test(sql)) {
      engine.execDirect(sql);
      continue;
    }
    const [row] = engine.queryDirect(`EXPLAIN (ANALYZE, FORMAT json) ${sql}`);
    addOperators(String(row?.['explain_value'] ?? '{}'), ops);
  }
  return { stage, ms: now() - started, rows, statements: statements.length, operators: heaviest(ops, 5) };
}
