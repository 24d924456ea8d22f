import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckdbPlan } from '../../core/compile/duckdb/plan.js';
import { quoteIdent, quoteString } from '../../core/compile/sql.js';
import { toNumber, type SqlRow } from '../../core/execute/sqlEngine.js';
import { OPEN_ITEMS_LISTED, type MatchReport, type OpenItemRow } from '../../core/ops/matchReport.js';
import type { PipelineSpec, StageOf } from '../../core/spec/schema.js';
import { matchKeyPair } from '../../core/stages/match/matchColumns.js';
import { matchSummaryQuery } from '../../core/stages/match/match.js';
import { openStateSql } from '../../core/stages/match/matchSql.js';
import { carryingStages, stateDir } from '../../core/stages/match/openItemsState.js';
import type { OpenItems } from '../../core/stages/stageModule.js';
import type { NodeDuckdbEngine } from '../duckdb/nodeEngine.js';
import { sha256File } from './land.js';

/**
 * Open items of match stages, kept in the lake per run date:
 *   state/<stage>/run_date=<date>/open_left.parquet, open_right.parquet
 * A run reads the state of the latest EARLIER date (never a later one), so re-running a date
 * reproduces what it made then; it publishes its own state with its outputs, in the same
 * publish. Later dates that exist when an earlier one is re-run are reported as stale.
 */
type Match = StageOf<'match'>;

export interface CarriedState {
  readonly stage: string;
  readonly from?: string;
  readonly stale: readonly string[];
  readonly relations?: OpenItems;
}

const DATE_DIR = /^run_date=(\d{4}-\d{2}-\d{2})$/;

async function stateDates(lake: string, stage: string): Promise<string[]> {
  try {
    return (await readdir(join(lake, 'state', stage))).flatMap((n) => DATE_DIR.exec(n)?.[1] ?? []).sort();
  } catch {
    return [];
  }
}

/** For each carrying match stage: the state it reads (latest earlier date) and the later dates it makes stale. */
export async function carriedStates(spec: PipelineSpec, lake: string, runDate: string): Promise<Map<string, CarriedState>> {
  const out = new Map<string, CarriedState>();
  for (const stage of carryingStages(spec)) {
    const dates = await stateDates(lake, stage.name);
    const from = dates.filter((d) => d < runDate).at(-1);
    const read = (side: string) => `read_parquet(${quoteString(join(lake, stateDir(stage.name, from!), `open_${side}.parquet`))})`;
    out.set(stage.name, {
      stage: stage.name,
      stale: dates.filter((d) => d > runDate),
      ...(from ? { from, relations: { left: read('left'), right: read('right') } } : {}),
    });
  }
  return out;
}

export interface WrittenState {
  /** The state folders written (lake-relative, posix): commit units of the run. */
  readonly units: readonly string[];
  /** Stages whose state for this date differs from what was published before (or is new). */
  readonly changed: ReadonlySet<string>;
}

/**
 * The open items carried in must have the columns the stage's inputs have now: a spec changed
 * between two nights (a column added or renamed) is named here, instead of failing deep in SQL.
 */
export async function checkCarriedColumns(engine: NodeDuckdbEngine, plan: DuckdbPlan, spec: PipelineSpec, carried: ReadonlyMap<string, CarriedState>): Promise<void> {
  for (const stage of carryingStages(spec)) {
    const state = carried.get(stage.name);
    if (!state?.relations || !state.from) continue;
    for (const side of ['left', 'right'] as const) {
      const have = new Set((await engine.query(`DESCRIBE SELECT * FROM ${state.relations[side]}`)).map((r) => String(r['column_name']).toLowerCase()));
      const missing = planSchema(plan, stage[side]).filter((c) => !have.has(c.name.toLowerCase())).map((c) => `'${c.name}'`);
      if (missing.length) {
        throw new Error(
          `match stage '${stage.name}': the open items kept for ${state.from} (${stateDir(stage.name, state.from)}/open_${side}.parquet) have no column ${missing.join(', ')}, which '${stage[side]}' has now: re-run the earlier dates with this spec (batchbook backfill), so that their open items have it`,
        );
      }
    }
  }
}

/** Writes each carrying stage's open items into the run's staging folder; returns the units to publish. */
export async function writeMatchState(engine: NodeDuckdbEngine, plan: DuckdbPlan, spec: PipelineSpec, staging: string, lake: string, runDate: string): Promise<WrittenState> {
  const units: string[] = [];
  const changed = new Set<string>();
  for (const stage of carryingStages(spec)) {
    const rel = stateDir(stage.name, runDate);
    await mkdir(join(staging, rel), { recursive: true });
    for (const side of ['left', 'right'] as const) {
      const schema = planSchema(plan, stage[side]);
      const file = `open_${side}.parquet`;
      await engine.exec(`COPY (${openStateSql(stage.name, side, schema)}) TO ${quoteString(join(staging, rel, file))} (FORMAT parquet)`);
      if ((await sha256File(join(staging, rel, file))) !== (await sha256File(join(lake, rel, file)).catch(() => undefined))) changed.add(stage.name);
    }
    units.push(rel);
  }
  return { units, changed };
}

/** The schema of a stage reference (`m.unmatched_left` included) as the plan's analysis knows it. */
function planSchema(plan: DuckdbPlan, ref: string) {
  const schema = plan.schemas.get(ref);
  if (!schema) throw new Error(`no schema for '${ref}'`);
  return schema;
}

/** Each match stage's report: its summary row, its oldest open items, what it carried and made stale. */
export async function matchReports(engine: NodeDuckdbEngine, spec: PipelineSpec, carried: ReadonlyMap<string, CarriedState>, changed: ReadonlySet<string>): Promise<MatchReport[]> {
  const reports: MatchReport[] = [];
  for (const stage of spec.stages) {
    if (stage.kind !== 'match') continue;
    const [row] = await engine.query(matchSummaryQuery(stage.name));
    if (!row) continue;
    const found = carried.get(stage.name);
    // later dates are stale only when this date's open items changed: they were carried from the old ones
    const state = found && !changed.has(stage.name) ? { ...found, stale: [] } : found;
    reports.push(toReport(stage, row, state, await openItems(engine, stage)));
  }
  return reports;
}

function toReport(stage: Match, row: SqlRow, state: CarriedState | undefined, open: OpenItemRow[]): MatchReport {
  const n = (k: string) => toNumber(row[k]);
  const left = n('left_items');
  return {
    stage: stage.name,
    ...(state?.from ? { carried_from: state.from } : {}),
    stale_dates: state?.stale ?? [],
    left_items: left,
    right_items: n('right_items'),
    matched: n('matched'),
    matched_one_to_many: n('matched_one_to_many'),
    mismatched: n('mismatched'),
    unmatched_left: n('unmatched_left'),
    unmatched_right: n('unmatched_right'),
    cleared_late_left: n('cleared_late_left'),
    cleared_late_right: n('cleared_late_right'),
    cleared_from: ((row['cleared_from'] as unknown[] | null) ?? []).map(String),
    match_rate: left ? Math.round((n('matched') / left) * 10_000) / 10_000 : 1,
    ...(stage.amount
      ? { amounts: { matched: n('matched_amount'), mismatched_left: n('mismatched_left_amount'), mismatched_right: n('mismatched_right_amount'), unmatched_left: n('unmatched_left_amount'), unmatched_right: n('unmatched_right_amount') } }
      : {}),
    ...(stage.open_items?.max_age_days !== undefined ? { max_age_days: stage.open_items.max_age_days, severity: stage.open_items.severity } : {}),
    over_age_left: n('over_age_left'),
    over_age_right: n('over_age_right'),
    oldest_left_days: n('oldest_left_days'),
    oldest_right_days: n('oldest_right_days'),
    labels: { left: stage.labels?.left ?? 'left item', right: stage.labels?.right ?? 'right item' },
    open_items: open,
  };
}

async function openItems(engine: NodeDuckdbEngine, stage: Match): Promise<OpenItemRow[]> {
  const keys = stage.keys.map(matchKeyPair);
  const side = (name: 'left' | 'right') => {
    const key = `concat_ws(' | ', ${keys.map((k) => `CAST(${quoteIdent(k[name])} AS VARCHAR)`).join(', ')})`;
    const amount = stage.amount ? `CAST(${quoteIdent(stage.amount[name])} AS DOUBLE)` : 'CAST(NULL AS DOUBLE)';
    return `SELECT '${name}' AS side, ${key} AS key, CAST(opened AS VARCHAR) AS opened, age_days, ${amount} AS amount FROM ${quoteIdent(`${stage.name}.unmatched_${name}`)}`;
  };
  const rows = await engine.query(`${side('left')} UNION ALL ${side('right')} ORDER BY age_days DESC, side, key LIMIT ${OPEN_ITEMS_LISTED}`);
  return rows.map((r) => ({ side: r['side'] as 'left' | 'right', key: String(r['key']), opened: String(r['opened']), age_days: toNumber(r['age_days']), ...(stage.amount ? { amount: r['amount'] === null ? null : Number(r['amount']) } : {}) }));
}
