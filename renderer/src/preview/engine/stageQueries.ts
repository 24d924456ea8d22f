import { CANDIDATE_DATE_FORMATS, formatCountsSql, isNumeric, isTemporal, quoteIdent, rankFormats, rejectsQuery, type DuckdbPlan, type FormatSuggestion, type PlannedStage, type SqlEngine, type SqlValue } from '@batchbook/pipeline-core';
import { previewColumns } from '../../match/matchCounts';

/** What the preview grid, the profile and the rejects tab read from a stage's tables. */
export interface RowsPage {
  readonly columns: readonly { readonly name: string; readonly type: string }[];
  readonly rows: readonly (readonly SqlValue[])[];
  readonly offset: number;
}

export interface ColumnProfile {
  readonly name: string;
  readonly type: string;
  readonly nullPercent: number;
  readonly distinct: number;
  /** `distinct` is DuckDB's estimate (approx_count_distinct), on tables too large to count exactly. */
  readonly distinctApproximate: boolean;
  readonly min: string | null;
  readonly max: string | null;
  /** Numeric and temporal columns: counts per equal-width bin from min to max. */
  readonly histogram?: readonly number[];
  /** Other columns: the most frequent values. */
  readonly top?: readonly { readonly value: string | null; readonly count: number }[];
}

const BINS = 16;

function planned(plan: DuckdbPlan, stage: string): PlannedStage {
  const p = plan.stages.find((x) => x.stage.name === stage);
  if (p) return p;
  // one output of a match stage (`settle.matched`): its view, with the schema the analysis gave it
  const owner = plan.stages.find((x) => stage.startsWith(`${x.stage.name}.`));
  const schema = plan.schemas.get(stage);
  if (!owner || !schema) throw new Error(`stage '${stage}' has no preview yet`);
  return { ...owner, stage: { ...owner.stage, name: stage }, schema: previewColumns(stage, schema), compiled: { ...owner.compiled, write: undefined } };
}

/** The relation holding a stage's visible rows: its table, or for an output what it would write. */
function relationOf(p: PlannedStage): string {
  return p.compiled.write ? `(${p.compiled.write.select})` : quoteIdent(p.stage.name);
}

export async function rowsPage(engine: SqlEngine, plan: DuckdbPlan, stage: string, offset: number, limit: number): Promise<RowsPage> {
  const p = planned(plan, stage);
  const cols = p.schema.map((c) => quoteIdent(c.name)).join(', ');
  const rows = cols ? await engine.query(`SELECT ${cols} FROM ${relationOf(p)} t LIMIT ${Math.max(0, Math.trunc(limit))} OFFSET ${Math.max(0, Math.trunc(offset))}`) : [];
  return {
    columns: p.schema.map((c) => ({ name: c.name, type: c.type })),
    rows: rows.map((r) => p.schema.map((c) => r[c.name] ?? null)),
    offset,
  };
}

export async function rejectsPage(engine: SqlEngine, plan: DuckdbPlan, stage: string, limit: number): Promise<RowsPage> {
  const p = planned(plan, stage);
  if (!p.compiled.hasRejects) return { columns: [], rows: [], offset: 0 };
  const rows = await engine.query(rejectsQuery(plan, stage, limit));
  const names = rows[0] ? Object.keys(rows[0]) : ['source_name', 'source_file', 'source_row', 'source_line', 'reject_reason', 'raw_line', ...p.schema.map((c) => c.name)];
  return { columns: names.map((name) => ({ name, type: 'string' })), rows: rows.map((r) => names.map((n) => r[n] ?? null)), offset: 0 };
}

const text = (v: SqlValue | undefined): string | null => (v === null || v === undefined ? null : String(v));

const EXACT_DISTINCT_ROWS = 200_000;

export async function profile(engine: SqlEngine, plan: DuckdbPlan, stage: string): Promise<ColumnProfile[]> {
  const p = planned(plan, stage);
  if (p.schema.length === 0) return [];
  const rel = relationOf(p);
  const [counted] = await engine.query(`SELECT count(*) AS total FROM ${rel} t`);
  // exact distinct counts on a preview-sized table; past it, DuckDB's estimate, marked as one
  const approximate = Number(counted?.['total'] ?? 0) > EXACT_DISTINCT_ROWS;
  const stats = p.schema
    .map((c, i) => {
      const col = quoteIdent(c.name);
      return `count(${col}) AS n${i}, ${approximate ? `approx_count_distinct(${col})` : `count(DISTINCT ${col})`} AS d${i}, CAST(min(${col}) AS VARCHAR) AS lo${i}, CAST(max(${col}) AS VARCHAR) AS hi${i}`;
    })
    .join(', ');
  const [s] = await engine.query(`SELECT count(*) AS total, ${stats} FROM ${rel} t`);
  const total = Number(s?.['total'] ?? 0);
  const out: ColumnProfile[] = [];
  for (const [i, c] of p.schema.entries()) {
    const col = quoteIdent(c.name);
    const nonNull = Number(s?.[`n${i}`] ?? 0);
    const base = {
      name: c.name,
      type: c.type,
      nullPercent: total === 0 ? 0 : (100 * (total - nonNull)) / total,
      // an estimate can exceed the values there are: never show more distinct values than values
      distinct: Math.min(nonNull, Number(s?.[`d${i}`] ?? 0)),
      distinctApproximate: approximate,
      min: text(s?.[`lo${i}`]),
      max: text(s?.[`hi${i}`]),
    };
    if ((isNumeric(c.type) || isTemporal(c.type)) && nonNull > 0) {
      const v = isTemporal(c.type) ? `epoch(${col})` : `CAST(${col} AS DOUBLE)`;
      const bins = await engine.query(
        `WITH r AS (SELECT min(${v}) AS lo, max(${v}) AS hi FROM ${rel} t)
         SELECT CAST(least(floor((${v} - r.lo) / nullif(r.hi - r.lo, 0) * ${BINS}), ${BINS - 1}) AS INTEGER) AS b, count(*) AS n
         FROM ${rel} t, r WHERE ${col} IS NOT NULL GROUP BY 1`,
      );
      const histogram = new Array<number>(BINS).fill(0);
      for (const b of bins) histogram[Math.max(0, Number(b['b'] ?? 0))]! += Number(b['n']);
      out.push({ ...base, histogram });
    } else {
      const top = await engine.query(`SELECT CAST(${col} AS VARCHAR) AS v, count(*) AS n FROM ${rel} t GROUP BY 1 ORDER BY n DESC, v NULLS LAST LIMIT 5`);
      out.push({ ...base, top: top.map((r) => ({ value: text(r['v']), count: Number(r['n']) })) });
    }
  }
  return out;
}

/**
 * The formats that read a text column of a stage's rows (the user's own first, then the common
 * ones), with how many values each reads, counted by DuckDB as the parse_date step would.
 */
export async function dateFormats(engine: SqlEngine, plan: DuckdbPlan, stage: string, column: string, own: readonly string[]): Promise<FormatSuggestion[]> {
  const p = planned(plan, stage);
  if (!p.schema.some((c) => c.name === column)) return [];
  const formats = [...new Set([...own.filter((f) => f.includes('%')), ...CANDIDATE_DATE_FORMATS])];
  const [row] = await engine.query(formatCountsSql(relationOf(p), column, formats));
  return rankFormats(formats, row ?? {});
}
