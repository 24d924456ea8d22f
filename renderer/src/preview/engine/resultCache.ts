import { quoteIdent, quoteString, stageInputs, type DuckdbPlan, type PlannedStage, type RuleResult, type Stage, type StageResult } from '@batchbook/pipeline-core';

/**
 * Each cell's previous result, kept aside when the cell runs again, so that switching a step off
 * and on again or undoing an edit brings the earlier tables back instead of recomputing them.
 *
 * A result is keyed by the cell's compiled SQL (its signature) and its inputs' versions: a
 * version is a number given to each result a cell computes, so a cell whose inputs were restored
 * to an earlier result finds its own earlier result too, and one whose input was recomputed
 * never does (a new version, even when the rows happen to be the same).
 *
 * Tables are renamed, not copied (a catalog change in DuckDB, not a scan); views are only SQL and
 * are dropped with their result and created again from the statements (a cell's `__all` may be a
 * view in one result and a table in the next: a filter-only cleanse is a view, planShape.ts). One result per cell is kept aside, so the database holds
 * at most two of each table. Ingest cells are not cached: their tables depend on files the
 * session loads and drops on its own.
 *
 * What is kept aside is bounded: a pipeline of many wide cells over full files would otherwise
 * double the database's memory. Kept results are dropped least recently used first once their
 * tables hold more than `maxValues` values (rows × columns, from the cell's counts and schema: no
 * query, as each cell of a run is set aside), except the one just set aside (a cell stopped
 * half-way needs it back).
 */
/** 32M values: about 256 MB of DuckDB tables at 8 bytes a value (text is more, numbers less). */
export const DEFAULT_MAX_KEPT_VALUES = 32_000_000;

export interface CachedResult {
  readonly result: StageResult;
  readonly rules: readonly RuleResult[];
}

interface Held {
  readonly key: string;
  readonly version: number;
  /** The stage's tables under their own names, and the statements that create its views. */
  readonly tables: readonly string[];
  readonly views: readonly string[];
  readonly cell: CachedResult;
  /** The stage and statements that computed it, and its inputs' versions then (for a column patch, columnPatch.ts). */
  readonly stage: Stage;
  readonly statements: readonly string[];
  readonly inputs: readonly (number | undefined)[];
  /** Values (rows × columns) in its main table: every row it read or wrote, its columns and the row bookkeeping's. */
  readonly size: number;
}

const CREATES = /^\s*CREATE\s+OR\s+REPLACE\s+(TABLE|VIEW)\s+((?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*))/i;

/** The tables a stage's statements create (unquoted names) and the statements creating its views. */
export function createdObjects(statements: readonly string[]): { tables: string[]; views: string[] } {
  const tables: string[] = [];
  const views: string[] = [];
  for (const s of statements) {
    const m = CREATES.exec(s);
    if (!m) continue;
    if (m[1]!.toUpperCase() === 'VIEW') views.push(s);
    else tables.push(m[2]!.startsWith('"') ? m[2]!.slice(1, -1).replace(/""/g, '"') : m[2]!);
  }
  return { tables, views };
}

/** The name (quoted) of the view a CREATE VIEW statement creates. */
const viewName = (statement: string) => CREATES.exec(statement)![2]!;
const dropViews = (views: readonly string[]) => views.map((v) => `DROP VIEW IF EXISTS ${viewName(v)}`);

/** Where a table kept aside is (quoted). */
export const asideName = (table: string) => quoteIdent(`__bb_aside__${table}`);
const swapName = (table: string) => quoteIdent(`__bb_swap__${table}`);

export class ResultCache {
  private versions = 0;
  /** The result whose tables are in place, per cell (only results that completed). */
  private readonly held = new Map<string, Held>();
  /** The previous result, its tables renamed aside; in the order they were used, least recent first. */
  private readonly aside = new Map<string, Held>();

  /** `sql` runs semicolon-separated statements in one call, also after a cancel (a cell stopped half-way gets its tables back). */
  constructor(
    private readonly sql: (statements: string) => Promise<unknown>,
    private readonly maxValues: number = DEFAULT_MAX_KEPT_VALUES,
  ) {}

  /** Values (rows × columns) held by the tables kept aside. */
  get keptValues(): number {
    let n = 0;
    for (const h of this.aside.values()) n += h.size;
    return n;
  }

  /** The cells whose previous result is kept aside, least recently used first. */
  get kept(): string[] {
    return [...this.aside.keys()];
  }

  /**
   * The cells of `toRun` whose result can be brought back, in plan order: a cell whose inputs
   * keep their versions (not run, or brought back themselves) and whose key was kept aside.
   */
  restorable(plan: DuckdbPlan, toRun: ReadonlySet<string>, sigs: ReadonlyMap<string, string>, force: ReadonlySet<string> = new Set()): Map<string, string> {
    const version = new Map<string, number | undefined>();
    const found = new Map<string, string>();
    for (const p of plan.stages) {
      const name = p.stage.name;
      if (!toRun.has(name)) {
        version.set(name, this.held.get(name)?.version);
        continue;
      }
      const key = this.key(p, sigs.get(name)!, version);
      const kept = key !== undefined && !force.has(name) ? this.aside.get(name) : undefined;
      if (kept && kept.key === key) {
        found.set(name, key);
        version.set(name, kept.version);
      } else version.set(name, undefined); // recomputed: a new version nobody has seen
    }
    return found;
  }

  /** Brings a cell's kept result back in place (its current one goes aside in exchange). */
  async restore(name: string): Promise<CachedResult> {
    const back = this.aside.get(name)!;
    const current = this.held.get(name);
    // views of the same names as its tables (left by a result in place, or by one stopped half-way) give way to them
    const views = current ? current.views.map(viewName) : await this.existingViews(back.tables);
    await this.run([
      ...(current?.tables ?? []).map((t) => `ALTER TABLE ${quoteIdent(t)} RENAME TO ${swapName(t)}`),
      ...views.map((v) => `DROP VIEW IF EXISTS ${v}`),
      // a table of the same name left by a run that stopped half-way, or by other SQL, gives way
      ...back.tables.map((t) => `DROP TABLE IF EXISTS ${quoteIdent(t)}`),
      ...back.tables.map((t) => `ALTER TABLE ${asideName(t)} RENAME TO ${quoteIdent(t)}`),
      ...back.views,
      ...(current?.tables ?? []).map((t) => `ALTER TABLE ${swapName(t)} RENAME TO ${asideName(t)}`),
    ]);
    this.aside.delete(name);
    this.held.set(name, back);
    if (current) {
      this.aside.set(name, current);
      await this.bound(name);
    }
    return back.cell;
  }

  /**
   * The stage and statements of the result in place for a cell, if it was computed from the
   * inputs in place now (none recomputed or brought back since): a base a column patch may start from.
   */
  inPlace(p: PlannedStage): { stage: Stage; statements: readonly string[] } | undefined {
    const h = this.held.get(p.stage.name);
    if (!h || h.tables.length === 0) return undefined;
    const now = stageInputs(p.stage).map((n) => this.held.get(n)?.version);
    if (now.some((v, i) => v === undefined || v !== h.inputs[i])) return undefined;
    return { stage: h.stage, statements: h.statements };
  }

  /** Before a cell runs again: its current result goes aside (replacing the one kept before). */
  async setAside(name: string): Promise<void> {
    const current = this.held.get(name);
    if (!current) return;
    this.held.delete(name);
    if (current.tables.length === 0) return this.run(dropViews(current.views));
    const old = this.aside.get(name)?.tables ?? [];
    this.aside.delete(name);
    // its views go too: the cell's next statements may create a table of the same name
    await this.run([...old.map((t) => `DROP TABLE IF EXISTS ${asideName(t)}`), ...current.tables.map((t) => `ALTER TABLE ${quoteIdent(t)} RENAME TO ${asideName(t)}`), ...dropViews(current.views)]);
    this.aside.set(name, current);
    await this.bound(name);
  }

  /** Drops kept results, least recently used first, until what is kept fits the bound (`keep` stays). */
  private async bound(keep: string): Promise<void> {
    for (const name of [...this.aside.keys()]) {
      if (this.keptValues <= this.maxValues) break;
      if (name !== keep) await this.dropAside(name);
    }
  }

  /**
   * A cell computed a result: it gets a new version under its key. An ingest cell gets a version
   * only (what reads it is keyed by it) and no tables to set aside: it is never brought back.
   */
  computed(p: PlannedStage, sig: string, cell: CachedResult): void {
    const ingest = p.stage.kind === 'ingest';
    const key = ingest ? sig : this.key(p, sig, { get: (n) => this.held.get(n)?.version });
    if (key === undefined) return;
    const { tables, views } = ingest ? { tables: [], views: [] } : createdObjects(p.compiled.statements);
    const inputs = stageInputs(p.stage).map((n) => this.held.get(n)?.version);
    // _bb_src, _bb_file, _bb_row, _bb_reason, _bb_dropped, _bb_line, _bb_raw beside the schema's columns
    const size = Math.max(cell.result.rows_in, cell.result.rows_out) * (p.schema.length + 7);
    this.held.set(p.stage.name, { key, version: ++this.versions, tables, views, cell, stage: p.stage, statements: p.compiled.statements, inputs, size });
  }

  /** A cell stopped half-way (cancelled or failed) after its result was set aside: that result comes back in place. */
  async undoSetAside(name: string): Promise<void> {
    if (!this.held.has(name) && this.aside.get(name)?.tables.length) await this.restore(name);
  }

  /** Drops every table kept aside (another project, or the sources changed under every key). */
  async clear(): Promise<void> {
    await this.forgetKept();
    this.held.clear();
  }

  /** Drops every result kept aside, keeping the results in place: the next edit is computed (the benchmark's new edits). */
  async forgetKept(): Promise<void> {
    for (const name of [...this.aside.keys()]) await this.dropAside(name);
  }

  private async dropAside(name: string): Promise<void> {
    const old = this.aside.get(name);
    if (!old) return;
    this.aside.delete(name);
    await this.run(old.tables.map((t) => `DROP TABLE IF EXISTS ${asideName(t)}`));
  }

  /** Of `names` (tables' names, unquoted), those of views in the database now (quoted). */
  private async existingViews(names: readonly string[]): Promise<string[]> {
    if (!names.length) return [];
    const rows = (await this.sql(`SELECT view_name FROM duckdb_views() WHERE NOT internal AND view_name IN (${names.map(quoteString).join(', ')})`)) as { view_name: string }[] | undefined;
    return (rows ?? []).map((r) => quoteIdent(r.view_name));
  }

  /**
   * Catalog statements in one call and one transaction: each is a few microseconds in DuckDB, but
   * a call through the preview's engine costs a slice of the worker's time, and a stop half-way
   * would leave a cell's tables half renamed.
   */
  private async run(statements: readonly string[]): Promise<void> {
    if (!statements.length) return;
    try {
      await this.sql(['BEGIN TRANSACTION', ...statements, 'COMMIT'].join(';\n'));
    } catch (e) {
      // a failed statement leaves the transaction open and aborted: close it, nothing was changed
      await this.sql('ROLLBACK').catch(() => undefined);
      throw e;
    }
  }

  private key(p: PlannedStage, sig: string, versions: { get(name: string): number | undefined }): string | undefined {
    if (p.stage.kind === 'ingest') return undefined;
    const inputs = stageInputs(p.stage).map((n) => versions.get(n));
    // an input that was recomputed in this run, or never completed, matches nothing kept
    if (inputs.some((v) => v === undefined)) return undefined;
    return JSON.stringify([sig, inputs]);
  }
}
