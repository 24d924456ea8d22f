import type { DuckdbPlan, PlannedStage } from '../compile/duckdb/plan.js';
import type { Rule } from '../stages/validate/rules.js';
import { toNumber, type SqlEngine, type SqlRow } from './sqlEngine.js';

export interface StageResult {
  readonly name: string;
  readonly kind: string;
  readonly rows_in: number;
  readonly rows_out: number;
  readonly rejected: number;
  readonly filtered: number;
  readonly ms: number;
  /** Process CPU milliseconds spent in the stage (all threads), when the host gives a CPU clock. */
  readonly cpu_ms?: number;
}

export interface RuleResult {
  readonly stage: string;
  readonly name: string;
  readonly rule: Rule['rule'];
  readonly severity: Rule['severity'];
  readonly action: Rule['action'];
  readonly status: 'pass' | 'fail';
  /** Failing rows (row rules) or failing groups / 1 (table rules). */
  readonly failing: number;
  readonly samples: readonly SqlRow[];
}

export type ExecutionEvent =
  | { readonly event: 'stage_start'; readonly stage: string; readonly kind: string; readonly index: number; readonly total: number }
  | { readonly event: 'stage_end'; readonly result: StageResult; readonly index: number; readonly total: number }
  | { readonly event: 'rule'; readonly result: RuleResult };

export interface ExecuteOptions {
  /** Milliseconds from some origin; pipeline-core has no clock of its own. */
  readonly now: () => number;
  /** Process CPU milliseconds (all threads) from some origin; when given, each stage records cpu_ms. */
  readonly cpuNow?: () => number;
  readonly onEvent?: (e: ExecutionEvent) => void;
  /** Run only these stages (their inputs' tables must exist already): the preview's incremental refresh. */
  readonly only?: ReadonlySet<string>;
  /** Checked between statements; a cancelled run stops at the next one. */
  readonly isCancelled?: () => boolean;
}

export class StageFailure extends Error {
  constructor(
    readonly stage: string,
    override readonly cause: unknown,
  ) {
    super(`stage '${stage}': ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

export class Cancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

export interface ExecutionResult {
  readonly stages: readonly StageResult[];
  readonly rules: readonly RuleResult[];
}

/** Runs a compiled plan's stages in order: their statements, their counts, their rules. */
export async function executePlan(engine: SqlEngine, plan: DuckdbPlan, opts: ExecuteOptions): Promise<ExecutionResult> {
  const todo = plan.stages.filter((p) => !opts.only || opts.only.has(p.stage.name));
  const stages: StageResult[] = [];
  const rules: RuleResult[] = [];
  for (const [i, planned] of todo.entries()) {
    opts.onEvent?.({ event: 'stage_start', stage: planned.stage.name, kind: planned.stage.kind, index: i, total: todo.length });
    const result = await runStage(engine, planned, opts);
    stages.push(result.stage);
    opts.onEvent?.({ event: 'stage_end', result: result.stage, index: i, total: todo.length });
    for (const r of result.rules) {
      rules.push(r);
      opts.onEvent?.({ event: 'rule', result: r });
    }
  }
  return { stages, rules };
}

async function runStage(engine: SqlEngine, planned: PlannedStage, opts: ExecuteOptions): Promise<{ stage: StageResult; rules: RuleResult[] }> {
  const { stage, compiled } = planned;
  const started = opts.now();
  const cpuStarted = opts.cpuNow?.();
  try {
    for (const sql of compiled.statements) {
      if (opts.isCancelled?.()) throw new Cancelled();
      await engine.exec(sql);
    }
    const [counts] = await engine.query(compiled.stats);
    const rules: RuleResult[] = [];
    for (const r of compiled.rules ?? []) {
      if (opts.isCancelled?.()) throw new Cancelled();
      const [check] = await engine.query(r.check);
      const failing = toNumber(check?.['failing']);
      rules.push({
        stage: stage.name,
        name: r.name,
        rule: r.rule.rule,
        severity: r.rule.severity,
        action: r.rule.action,
        status: failing > 0 ? 'fail' : 'pass',
        failing,
        samples: failing > 0 ? await engine.query(r.samples) : [],
      });
    }
    return {
      stage: {
        name: stage.name,
        kind: stage.kind,
        rows_in: toNumber(counts?.['rows_in']),
        rows_out: toNumber(counts?.['rows_out']),
        rejected: toNumber(counts?.['rejected']),
        filtered: toNumber(counts?.['filtered']),
        ms: Math.round(opts.now() - started),
        ...(cpuStarted !== undefined && opts.cpuNow ? { cpu_ms: Math.round(opts.cpuNow() - cpuStarted) } : {}),
      },
      rules,
    };
  } catch (e) {
    if (e instanceof Cancelled) throw e;
    throw new StageFailure(stage.name, e);
  }
}
