import type { DuckdbPlan, PlannedStage } from '../compile/duckdb/plan.js';
import type { Rule } from '../stages/validate/rules.js';
import type { CompiledRule } from '../stages/stageModule.js';
import { SAMPLE_LIMIT } from '../stages/validate/validate.js';
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
  /** Awaited after a stage's start event, before its first statement (the preview sets its previous tables aside). */
  readonly beforeStage?: (planned: PlannedStage) => Promise<void>;
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
  // results stay in plan order, though a stage counted by a later one finishes after it starts
  const order = new Map(todo.map((p, i) => [p.stage.name, i]));
  // stages whose counts a later stage writes: finished when that stage has run
  const waiting: { planned: PlannedStage; index: number; spent: Spent }[] = [];
  const finish = async (planned: PlannedStage, index: number, spent: Spent) => {
    const result = await measureStage(engine, planned, opts, spent);
    stages.splice(stages.filter((s) => order.get(s.name)! < index).length, 0, result.stage);
    opts.onEvent?.({ event: 'stage_end', result: result.stage, index, total: todo.length });
    for (const r of result.rules) {
      rules.push(r);
      opts.onEvent?.({ event: 'rule', result: r });
    }
  };
  for (const [i, planned] of todo.entries()) {
    opts.onEvent?.({ event: 'stage_start', stage: planned.stage.name, kind: planned.stage.kind, index: i, total: todo.length });
    await opts.beforeStage?.(planned);
    const started = opts.now();
    const cpuStarted = opts.cpuNow?.();
    await runStatements(engine, planned, opts);
    const spent = { ms: opts.now() - started, ...(cpuStarted !== undefined ? { cpuMs: opts.cpuNow!() - cpuStarted } : {}) };
    const after = planned.compiled.statsAfter;
    if (after && todo.some((p) => p.stage.name === after)) {
      waiting.push({ planned, index: i, spent });
      continue;
    }
    for (const w of waiting.filter((x) => x.planned.compiled.statsAfter === planned.stage.name)) await finish(w.planned, w.index, w.spent);
    await finish(planned, i, spent);
  }
  return { stages, rules };
}

function guarded<T>(stage: string, f: () => Promise<T>): Promise<T> {
  return f().catch((e: unknown) => {
    throw e instanceof Cancelled ? e : new StageFailure(stage, e);
  });
}

function runStatements(engine: SqlEngine, planned: PlannedStage, opts: ExecuteOptions): Promise<void> {
  return guarded(planned.stage.name, async () => {
    for (const sql of planned.compiled.statements) {
      if (opts.isCancelled?.()) throw new Cancelled();
      await engine.exec(sql);
    }
  });
}

/** The largest first row range a rule's samples are looked for in: about one Parquet row group. */
const FIRST_RANGE = 1 << 17;
/** The smallest: the readers decode a row group or a block of rows anyway. */
const SMALLEST_RANGE = 1 << 10;
/** Past this many ranges the rest of the rows are read at once. */
const MAX_RANGES = 24;

/**
 * A failing rule's samples: its first `wanted` failing rows by row number, the same on every run.
 * From the first failing row's number (found by the counting pass), rows are read in ranges that
 * double in size until enough are found: each a BETWEEN the readers skip to (row groups, zone
 * maps), so the samples cost the rows up to the last sample, not a scan. The first range is sized
 * from how dense the failing rows are (eight times the rows that hold `wanted` of them on average):
 * a range's columns are computed for all its rows before a relationship's anti-join filters them,
 * so a rule failing on 1 row in 140 reads ~6k rows, not 131k. Without row numbers, the rule's own
 * limited query.
 */
export function firstSampleRange(wanted: number, failing: number, rowsIn: number): number {
  if (!(rowsIn > 0) || !(failing > 0)) return FIRST_RANGE;
  const dense = 2 ** Math.ceil(Math.log2((8 * wanted * rowsIn) / failing));
  return Math.min(FIRST_RANGE, Math.max(SMALLEST_RANGE, dense));
}

async function sampleRows(engine: SqlEngine, r: CompiledRule, failing: number, rowsIn: number): Promise<SqlRow[]> {
  if (!r.firstFailing) return engine.query(r.samples);
  const [found] = await engine.query(r.firstFailing.first);
  const first = found?.['first'];
  if (first === null || first === undefined) return engine.query(r.samples);
  const wanted = Math.min(failing, SAMPLE_LIMIT);
  const rows: SqlRow[] = [];
  let from = toNumber(first);
  for (let i = 0, size = firstSampleRange(wanted, failing, rowsIn); rows.length < wanted; i++, size *= 2) {
    const last = i < MAX_RANGES ? ` AND ${from + size - 1}` : '';
    const range = last ? `s._bb_row BETWEEN ${from}${last}` : `s._bb_row >= ${from}`;
    rows.push(
      ...(await engine.query(`SELECT * EXCLUDE (_bb_src, _bb_file, _bb_row) FROM (${r.firstFailing.select}) s
WHERE ${range}
ORDER BY s._bb_row, s._bb_file, s._bb_src LIMIT ${wanted - rows.length}`)),
    );
    if (!last) break;
    from += size;
  }
  return rows;
}

/** Time (and CPU time, when there is a CPU clock) a stage's statements took. */
interface Spent {
  readonly ms: number;
  readonly cpuMs?: number;
}

/** A stage's counts and rule outcomes, read once its statements (and any stage counting it) have run. */
function measureStage(engine: SqlEngine, planned: PlannedStage, opts: ExecuteOptions, spent: Spent): Promise<{ stage: StageResult; rules: RuleResult[] }> {
  const { stage, compiled } = planned;
  const started = opts.now();
  const cpuStarted = opts.cpuNow?.();
  return guarded(stage.name, async () => {
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
        samples: failing > 0 ? await sampleRows(engine, r, failing, toNumber(counts?.['rows_in'])) : [],
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
        ms: Math.round(spent.ms + opts.now() - started),
        ...(spent.cpuMs !== undefined && cpuStarted !== undefined ? { cpu_ms: Math.round(spent.cpuMs + opts.cpuNow!() - cpuStarted) } : {}),
      },
      rules,
    };
  });
}
