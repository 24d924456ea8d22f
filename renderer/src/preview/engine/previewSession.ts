import {
  analyzeSpec,
  Cancelled,
  checkDraft,
  compileDuckdbPlan,
  downstreamOf,
  executePlan,
  matchFiles,
  paramValuesWithFiles,
  resolveParams,
  sampledRelation,
  sampleFractions,
  sampleKeys,
  StageFailure,
  stageInputs,
  substitutePath,
  type DuckdbPlan,
  type PipelineSpec,
  type PlannedStage,
  type RuleResult,
  type Source,
  type SourceRelation,
  type SpecInput,
  type StageResult,
} from '@batchbook/pipeline-core';
import { loadSource, type LoadedSource, type SourceDatabase } from './sources';
import { rowsPage, type RowsPage } from './stageQueries';
import type { WasmSqlEngine } from './wasmEngine';
import { asideName, createdObjects, ResultCache } from './resultCache';
import { materialisedSelect, patchStatement, planColumnPatch, unaffectedCells, withStages } from './columnPatch';

/**
 * The preview of a pipeline being edited. Each stage's tables stay in the database between
 * runs; a run recompiles the draft with the same compiler the runner uses and re-executes only
 * the stages whose compiled SQL changed (an edit, a new sample, new files) and everything
 * downstream of them. A stage that fails blocks only what reads it.
 */
export type CellStatus = 'fresh' | 'stale' | 'running' | 'error' | 'blocked';

export interface CellState {
  readonly status: CellStatus;
  readonly message?: string;
  /** Where an error comes from: the spec (shown beside the field too) or running it. */
  readonly origin?: 'spec' | 'source' | 'run';
  readonly result?: StageResult;
  readonly rules?: readonly RuleResult[];
  /** The first rows of a fresh result, read before the cell is shown fresh: it never shows an empty grid. */
  readonly firstRows?: RowsPage;
}

export interface SampleOptions {
  readonly mode: 'sample' | 'full';
  readonly size: number;
  readonly seed: number;
}

export interface RunRequest {
  readonly input: SpecInput;
  readonly params: Readonly<Record<string, string>>;
  /** The run date used when neither the user nor the spec gives one. */
  readonly fallbackRunDate: string;
  readonly sample: SampleOptions;
  /** Every file in the project's inbox, '/'-separated, relative to it. */
  readonly files: readonly string[];
  /** Stages to run even if unchanged (Run cell / Run all). */
  readonly force?: readonly string[];
}

/** Sources with no file for the chosen value of a path parameter (a run date), and the values that have files. */
export interface MissingFiles {
  readonly param: string;
  readonly value: string;
  readonly sources: readonly string[];
  /** Values for which every one of those sources has files. */
  readonly available: readonly string[];
}

export type SessionEvent =
  | { readonly type: 'cells'; readonly cells: Readonly<Record<string, CellState>>; readonly toRun: readonly string[]; readonly sources: readonly SourceInfo[]; readonly missing?: MissingFiles }
  | { readonly type: 'stage_start'; readonly stage: string; readonly index: number; readonly total: number }
  | { readonly type: 'stage_end'; readonly stage: string; readonly cell: CellState; readonly index: number; readonly total: number }
  | { readonly type: 'rule'; readonly stage: string; readonly rule: RuleResult }
  | { readonly type: 'stage_error'; readonly stage: string; readonly message: string; readonly blocked: readonly string[] };

export interface SourceInfo {
  readonly name: string;
  readonly files: readonly string[];
  readonly rows: number;
  /** `rows` is estimated from a sample of the file's lines (a large CSV or NDJSON file in sample mode). */
  readonly estimated?: boolean;
  /** Share of rows the preview reads (1 = the whole file). */
  readonly fraction: number;
  readonly key?: string;
}

export interface RunOutcome {
  readonly cancelled: boolean;
  readonly ran: readonly string[];
  /** Of `ran`, the cells whose earlier result for the same SQL and inputs was brought back, not recomputed. */
  readonly restored?: readonly string[];
  /** Of `ran`, the cleanse cells whose edited columns were patched into their previous result (columnPatch.ts). */
  readonly patched?: readonly string[];
  readonly ms: number;
  /** Where the time went: checking the draft, loading sources, compiling, executing. */
  readonly phases?: Readonly<Record<'check' | 'sources' | 'compile' | 'execute', number>>;
}

/** The project's files as Blobs: a File handed to the worker is not copied, and only the parts read are loaded. */
export type FileReader = (paths: readonly string[]) => Promise<ReadonlyMap<string, Blob>>;

/**
 * Rows decoded from a large file in sample mode, before the key-consistent sample is drawn from
 * them: twice the sample (so a key-consistent sample has rows to choose from), small enough to load
 * in well under a second.
 */
export function sampleBudget(sample: SampleOptions): number | undefined {
  return sample.mode === 'full' ? undefined : Math.max(sample.size * 2, 20_000);
}

interface SourceEntry {
  readonly key: string;
  readonly loaded: LoadedSource;
  readonly version: number;
}

const PARAM_IN_PATH = /\{([^}]+)\}/g;

/** Why a source path matches no file; for a path with parameters, the values that do have files. */
function noFiles(template: string, pattern: string, params: Readonly<Record<string, string | number>>, inbox: readonly string[]): { message: string; param?: string; available: string[] } {
  for (const [, param] of template.matchAll(PARAM_IN_PATH)) {
    const available = paramValuesWithFiles(template, param!, params, inbox);
    const value = String(params[param!]);
    const where = available.length ? `; files exist for ${param} ${available.join(', ')}` : `; no ${param} has files in the project's data folder`;
    return { message: `no file for ${param} ${value}: nothing in the project's data folder matches '${pattern}'${where}`, param: param!, available };
  }
  return { message: `no file in the project's data folder matches '${pattern}'`, available: [] };
}

/** One state for the run when sources have no files for a parameter's value: the values every one of them has files for. */
function missingFiles(missing: readonly { source: string; param: string; available: string[] }[], params: Readonly<Record<string, string | number>>): MissingFiles | undefined {
  const first = missing[0];
  if (!first) return undefined;
  const same = missing.filter((m) => m.param === first.param);
  const available = first.available.filter((v) => same.every((m) => m.available.includes(v)));
  return { param: first.param, value: String(params[first.param]), sources: same.map((m) => m.source), available };
}

/** First line of an engine error: DuckDB adds context lines that read as noise in a cell. */
export function errorMessage(e: unknown): string {
  const cause = e instanceof StageFailure ? e.cause : e;
  const msg = cause instanceof Error ? cause.message : String(cause);
  return msg.split('\n').filter((l) => l.trim() !== '')[0] ?? msg;
}

/** What a loaded source was loaded from: the same key means the same rows. */
function sourceKey(source: Source, files: readonly string[], budget: number | undefined): string {
  return JSON.stringify([source, files, budget ?? 'full']);
}

function signature(p: PlannedStage, sourceVersion: number | undefined): string {
  const c = p.compiled;
  // rule names, severities and actions are shown with the results even where the SQL is the same
  return JSON.stringify([c.statements, c.stats, c.rules?.map((r) => [r.name, r.rule.severity, r.rule.action, r.check, r.samples]), c.write?.select, sourceVersion]);
}

/** Rows read with a stage's result (the grid's first page). */
export const FIRST_ROWS = 200;

export class PreviewSession {
  private readonly sources = new Map<string, SourceEntry>();
  private readonly signatures = new Map<string, string>();
  private readonly cells = new Map<string, CellState>();
  private versions = 0;
  /** The files of every source a run reads, asked for in one round trip to the page at its start. */
  private prefetched: ReadonlyMap<string, Blob> = new Map();
  private current?: { plan: DuckdbPlan; spec: PipelineSpec };
  private readonly cache: ResultCache;
  /** Cells brought back from the cache in the current run. */
  private restored: string[] = [];
  /** Cells patched in the current run. */
  private patched: string[] = [];

  constructor(
    readonly engine: WasmSqlEngine,
    private readonly db: SourceDatabase,
    private readonly readFiles: FileReader,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.cache = new ResultCache((sql) => engine.serialize(() => engine.queryDirect(sql)));
  }

  get plan(): DuckdbPlan | undefined {
    return this.current?.plan;
  }

  cell(stage: string): CellState | undefined {
    return this.cells.get(stage);
  }

  cancel(): void {
    this.engine.cancel();
  }

  /** Forgets every loaded file and result (another project was opened). */
  async reset(): Promise<void> {
    for (const s of this.sources.values()) await s.loaded.drop();
    this.sources.clear();
    await this.cache.clear();
    this.signatures.clear();
    this.cells.clear();
    this.current = undefined;
  }

  /** Drops the results kept aside for undo, keeping those in place: the next edit is computed. */
  async forgetKept(): Promise<void> {
    await this.cache.forgetKept();
  }

  async run(req: RunRequest, emit: (e: SessionEvent) => void): Promise<RunOutcome> {
    const started = this.now();
    this.engine.reset();
    this.restored = [];
    this.patched = [];
    const states = new Map<string, CellState>();
    // a cell that does not run keeps its last result on show (dimmed) while the user fixes it
    const kept = (name: string) => {
      const prev = this.cells.get(name);
      return prev?.result ? { result: prev.result, ...(prev.rules ? { rules: prev.rules } : {}) } : {};
    };
    const draft = checkDraft(req.input);
    for (const d of draft.diagnostics) {
      if (d.severity !== 'error' || d.path[0] !== 'stages' || typeof d.path[1] !== 'number') continue;
      const name = req.input.stages[d.path[1]]?.name;
      if (name !== undefined && !states.has(name)) states.set(name, { status: 'error', origin: 'spec', message: d.message, ...kept(name) });
    }
    for (const name of draft.blocked) states.set(name, { status: 'blocked', message: 'waits for an input with errors', ...kept(name) });
    const full = draft.runnable;
    if (!full) {
      emit({ type: 'cells', cells: Object.fromEntries(states), toRun: [], sources: [] });
      return { cancelled: false, ran: [], ms: this.now() - started };
    }
    let params;
    try {
      params = resolveParams(full, req.params, req.fallbackRunDate);
    } catch (e) {
      for (const s of full.stages) states.set(s.name, { status: 'error', message: errorMessage(e) });
      emit({ type: 'cells', cells: Object.fromEntries(states), toRun: [], sources: [] });
      return { cancelled: false, ran: [], ms: this.now() - started };
    }

    const tCheck = this.now();
    const sources = this.sourcesInOrder(full, params, req);
    const phases = { check: tCheck - started, sources: 0, compile: 0, execute: 0 };
    const ran: string[] = [];
    // what a wave ran, failed or blocked (with its compiled SQL's signature): a later wave does not run it again
    const attempted = new Map<string, string>();
    // a cell runs as soon as its own sources are in: one wave per source that has to be read, in
    // the order the stages first read them; sources already loaded (an edit) make no wave of their own
    const waves = Math.max(1, sources.toLoad.length);
    const failures = new Map<string, string>(); // a source that failed to load is not read again in a later wave
    // one round trip to the page for every file to read (it may be busy drawing the notebook); a file it cannot give fails its own source only, below
    this.prefetched = sources.files.length ? await this.readFiles(sources.files).catch(() => new Map<string, Blob>()) : new Map<string, Blob>();
    for (let wave = 1; wave <= waves; wave++) {
      const t0 = this.now();
      const settled = new Set([...sources.ready, ...sources.toLoad.slice(0, wave)]);
      const { relations, failed, infos, missing } = await this.loadSources(full, params, req, settled, failures);
      const t1 = this.now();
      const pending = full.stages.filter((s) => s.kind === 'ingest' && !settled.has(s.source)).map((s) => s.name);
      const waiting = downstreamOf(full, pending);
      const outcome = await this.runWave(full, waiting, { relations, failed, infos, missing }, params, req, states, kept, emit, { ran, attempted });
      phases.sources += t1 - t0;
      phases.compile += outcome.compiled - t1;
      phases.execute += this.now() - outcome.compiled;
      if (outcome.cancelled) {
        this.prefetched = new Map();
        return { cancelled: true, ran, restored: this.restored, patched: this.patched, ms: this.now() - started };
      }
    }
    this.prefetched = new Map();
    return { cancelled: false, ran, restored: this.restored, patched: this.patched, ms: this.now() - started, phases };
  }

  /** The sources the runnable stages read, in the order their ingest stages come: those loaded already, and those to read. */
  private sourcesInOrder(spec: PipelineSpec, params: Readonly<Record<string, string | number>>, req: RunRequest): { ready: string[]; toLoad: string[]; files: string[] } {
    const ready: string[] = [];
    const toLoad: string[] = [];
    const toRead: string[] = [];
    for (const name of new Set(spec.stages.flatMap((s) => (s.kind === 'ingest' ? [s.source] : [])))) {
      const files = matchFiles(substitutePath(spec.sources[name]!.path, params), req.files);
      const cached = files.length === 0 || this.sources.get(name)?.key === sourceKey(spec.sources[name]!, files, sampleBudget(req.sample));
      (cached ? ready : toLoad).push(name);
      if (!cached) toRead.push(...files);
    }
    return { ready, toLoad, files: toRead };
  }

  /**
   * Compiles the stages whose sources are in (all but `waiting`) and runs those whose compiled
   * SQL changed, and what reads them. Returns when its compile ended, for the run's phases.
   */
  private async runWave(
    full: PipelineSpec,
    waiting: ReadonlySet<string>,
    loaded: { relations: Map<string, SourceRelation>; failed: Map<string, string>; infos: SourceInfo[]; missing: MissingFiles | undefined },
    params: Readonly<Record<string, string | number>>,
    req: RunRequest,
    states: Map<string, CellState>,
    kept: (name: string) => Partial<CellState>,
    emit: (e: SessionEvent) => void,
    done: { ran: string[]; attempted: Map<string, string> },
  ): Promise<{ cancelled: boolean; compiled: number }> {
    const { ran, attempted } = done;
    const { relations, failed, infos, missing } = loaded;
    const failedIngest = full.stages.filter((s) => s.kind === 'ingest' && failed.has(s.source));
    const cut = downstreamOf(full, failedIngest.map((s) => s.name));
    for (const s of failedIngest) {
      const source = (s as { source: string }).source;
      // no files for the run date is a state of the run (one banner lists the dates that have files), not a fault of the cell
      const noFiles = missing?.sources.includes(source);
      states.set(s.name, { status: noFiles ? 'blocked' : 'error', origin: 'source', message: failed.get(source)! });
    }
    const waits = missing ? `waits for files for ${missing.param} ${missing.value}` : 'waits for an input with errors';
    for (const name of cut) if (!failedIngest.some((s) => s.name === name)) states.set(name, { status: 'blocked', message: waits, ...kept(name) });
    // cells whose sources are still being read show their last result, stale, until their wave
    for (const name of waiting) if (!cut.has(name) && !states.has(name)) states.set(name, { ...this.cells.get(name), status: 'stale' });
    const spec = { ...full, stages: full.stages.filter((s) => !cut.has(s.name) && !waiting.has(s.name)) };

    // every cell its own relation (a table, or a view for a filter-only cleanse): each is shown, and an edit re-runs only the cells it reaches
    const plan = compileDuckdbPlan(spec, { params, sourceRelation: (n) => relations.get(n)!, analysis: analyzeSpec(spec), materialize: 'preview' });
    const sigs = new Map(plan.stages.map((p) => [p.stage.name, signature(p, p.stage.kind === 'ingest' ? this.sources.get(p.stage.source)?.version : undefined)]));
    const force = new Set((req.force ?? []).filter((n) => !ran.includes(n)));
    const again = (n: string) => attempted.get(n) !== sigs.get(n);
    const changed = plan.stages.map((p) => p.stage.name).filter((n) => again(n) && (force.has(n) || this.signatures.get(n) !== sigs.get(n) || this.cells.get(n)?.status !== 'fresh'));
    const toRun = new Set([...downstreamOf(spec, changed)].filter(again));
    // patched cells change some columns only: what reads none of them keeps its result and does not run (also if a
    // patch then falls back to computing the cell in full: which columns an edit can change is read off the steps)
    const patches = this.columnPatches(plan, spec, toRun, force, { params, sourceRelation: (n) => relations.get(n)! });
    const columnsOf = new Map([...patches].map(([n, p]) => [n, p.columns]));
    for (const n of unaffectedCells(spec.stages, toRun, new Set(changed), columnsOf, stageInputs)) toRun.delete(n);
    for (const n of toRun) attempted.set(n, sigs.get(n)!);
    for (const p of plan.stages) {
      const name = p.stage.name;
      states.set(name, toRun.has(name) ? { ...this.cells.get(name), status: 'stale' } : this.cells.get(name)!);
    }
    this.cells.clear();
    for (const [n, s] of states) this.cells.set(n, s);
    this.current = { plan, spec };
    emit({ type: 'cells', cells: Object.fromEntries(states), toRun: [...toRun], sources: infos, ...(missing ? { missing } : {}) });
    const compiled = this.now();
    const cancelled = await this.execute(plan, spec, toRun, sigs, emit, ran, force, patches);
    return { cancelled, compiled };
  }

  /**
   * Cleanse cells to run whose edit only changes value maps of some columns (columnPatch.ts):
   * the statements that patch those columns into the result in place instead of computing it.
   * Only from a result computed by the same statements (the stage before the edit, compiled with
   * this run's parameters and sources) on the inputs in place, none of which runs now.
   */
  private columnPatches(plan: DuckdbPlan, spec: PipelineSpec, toRun: ReadonlySet<string>, force: ReadonlySet<string>, ctx: Pick<Parameters<typeof compileDuckdbPlan>[1], 'params' | 'sourceRelation'>): Map<string, { statements: readonly string[]; columns: readonly string[] }> {
    const patches = new Map<string, { statements: readonly string[]; columns: readonly string[] }>();
    for (const p of plan.stages) {
      const name = p.stage.name;
      if (!toRun.has(name) || force.has(name) || p.stage.kind !== 'cleanse' || stageInputs(p.stage).some((n) => toRun.has(n))) continue;
      const base = this.cache.inPlace(p);
      const patch = base && planColumnPatch(base.stage, p.stage);
      if (!base || !patch) continue;
      const table = createdObjects(p.compiled.statements).tables[0];
      if (table === undefined || materialisedSelect(p.compiled.statements) === undefined) continue;
      try {
        const both = withStages(spec, base.stage, patch.stage);
        const compiled = compileDuckdbPlan(both, { ...ctx, analysis: analyzeSpec(both), materialize: 'preview' });
        const before = compiled.stages.find((s) => s.stage.name === name);
        const recompute = materialisedSelect(compiled.stages.find((s) => s.stage.name === patch.stage.name)?.compiled.statements ?? []);
        // the result in place must be what the stage before the edit computes now (same parameters, same source relations)
        if (!recompute || JSON.stringify(before?.compiled.statements) !== JSON.stringify(base.statements)) continue;
        patches.set(name, { statements: [patchStatement(table, asideName(table), recompute, patch.columns), ...p.compiled.statements.slice(1)], columns: patch.columns });
      } catch {
        // not compilable on its own: computed in full
      }
    }
    return patches;
  }

  /** Executes the stages to run; a failing stage blocks what reads it, the others go on. */
  private async execute(plan: DuckdbPlan, spec: PipelineSpec, toRun: ReadonlySet<string>, sigs: ReadonlyMap<string, string>, emit: (e: SessionEvent) => void, ran: string[], force: ReadonlySet<string>, patches: Map<string, { statements: readonly string[] }> = new Map()): Promise<boolean> {
    const remaining = new Set(toRun);
    const shown: Promise<void>[] = [];
    const first = ran.length;
    for (const n of toRun) this.signatures.delete(n);
    // cells whose result for this SQL and these inputs was kept aside come back first, without running (Run cell recomputes)
    for (const [name] of this.cache.restorable(plan, toRun, sigs, force)) {
      if (this.engine.isCancelled) break;
      let back;
      try {
        back = await this.cache.restore(name);
      } catch {
        break; // nothing was renamed; this cell and the rest (which may read it) are computed instead
      }
      emit({ type: 'stage_start', stage: name, index: ran.length - first, total: toRun.size });
      remaining.delete(name);
      ran.push(name);
      this.restored.push(name);
      this.signatures.set(name, sigs.get(name)!);
      this.cells.set(name, { status: 'fresh', result: back.result, rules: [...back.rules] });
      shown.push(this.showFresh(plan, name, ran.length - first - 1, toRun.size, emit));
    }
    const byName = new Map(plan.stages.map((p) => [p.stage.name, p]));
    let running: string | undefined;
    while (remaining.size > 0) {
      // a patched cell runs its patch in place of its first statement; the cache still knows it by its own statements
      const patched = { ...plan, stages: plan.stages.map((p) => (patches.has(p.stage.name) ? { ...p, compiled: { ...p.compiled, statements: patches.get(p.stage.name)!.statements } } : p)) };
      try {
        await executePlan(this.engine, patched, {
          only: new Set(remaining),
          now: this.now,
          isCancelled: () => this.engine.isCancelled,
          beforeStage: async (p) => {
            running = p.stage.name;
            await this.cache.setAside(p.stage.name);
          },
          onEvent: (e) => {
            if (e.event === 'stage_start') {
              this.cells.set(e.stage, { ...this.cells.get(e.stage), status: 'running' });
              emit({ type: 'stage_start', stage: e.stage, index: ran.length - first, total: toRun.size });
            } else if (e.event === 'rule') {
              const c = this.cells.get(e.result.stage);
              this.cells.set(e.result.stage, { ...c!, rules: [...(c?.rules ?? []), e.result] });
              emit({ type: 'rule', stage: e.result.stage, rule: e.result });
            } else {
              const name = e.result.name;
              if (patches.has(name)) this.patched.push(name);
              remaining.delete(name);
              ran.push(name);
              this.signatures.set(name, sigs.get(name)!);
              this.cells.set(name, { status: 'fresh', result: e.result, rules: [] });
              shown.push(this.showFresh(plan, name, ran.length - first - 1, toRun.size, emit));
            }
          },
        });
        break;
      } catch (e) {
        // the stage stopped half-way has no complete tables: its previous ones come back for its stale grid
        if (running !== undefined && remaining.has(running)) await this.cache.undoSetAside(running).catch(() => undefined);
        if (e instanceof Cancelled) {
          for (const n of remaining) this.cells.set(n, { ...this.cells.get(n), status: 'stale' });
          this.keepResults(ran.slice(first), byName);
          await Promise.all(shown);
          return true;
        }
        if (!(e instanceof StageFailure)) throw e;
        // a patch that could not be applied (rows out of step): the cell is computed in full instead
        if (patches.delete(e.stage)) continue;
        const blocked = [...downstreamOf(spec, [e.stage])].filter((n) => n !== e.stage && remaining.has(n));
        this.cells.set(e.stage, { status: 'error', origin: 'run', message: errorMessage(e) });
        for (const n of [e.stage, ...blocked]) remaining.delete(n);
        for (const n of blocked) this.cells.set(n, { status: 'blocked', message: `waits for '${e.stage}'` });
        emit({ type: 'stage_error', stage: e.stage, message: errorMessage(e), blocked });
      }
    }
    this.keepResults(ran.slice(first), byName);
    await Promise.all(shown);
    return false;
  }

  /** Cells computed in this run (in plan order, so inputs come first) get a version in the cache, with their counts and rules. */
  private keepResults(names: readonly string[], byName: ReadonlyMap<string, PlannedStage>): void {
    const done = new Set(names.filter((n) => !this.restored.includes(n)));
    for (const p of byName.values()) {
      const cell = this.cells.get(p.stage.name);
      if (done.has(p.stage.name) && cell?.status === 'fresh' && cell.result) this.cache.computed(p, this.signatures.get(p.stage.name)!, { result: cell.result, rules: cell.rules ?? [] });
    }
  }

  /**
   * Tells the page a stage is fresh together with its first rows. The read is queued on the
   * engine right behind the stage's last statement, so it does not wait for the stages after it.
   */
  private async showFresh(plan: DuckdbPlan, stage: string, index: number, total: number, emit: (e: SessionEvent) => void): Promise<void> {
    let firstRows: RowsPage | undefined;
    try {
      firstRows = await rowsPage(this.engine, plan, stage, 0, FIRST_ROWS);
    } catch {
      // cancelled or failed: the grid asks for its rows itself
    }
    const cell = this.cells.get(stage) ?? { status: 'fresh' };
    if (firstRows) this.cells.set(stage, { ...cell, firstRows });
    emit({ type: 'stage_end', stage, cell: this.cells.get(stage)!, index, total });
  }

  /** Loads (or reuses) every source the runnable stages read, and its relation for this run. */
  private async loadSources(spec: PipelineSpec, params: Readonly<Record<string, string | number>>, req: RunRequest, settled: ReadonlySet<string>, failed: Map<string, string>) {
    const relations = new Map<string, SourceRelation>();
    const used = new Set(spec.stages.flatMap((s) => (s.kind === 'ingest' && settled.has(s.source) ? [s.source] : [])));
    const loaded = new Map<string, LoadedSource>();
    const missing: { source: string; param: string; available: string[] }[] = [];
    for (const name of used) {
      const source = spec.sources[name]!;
      const pattern = substitutePath(source.path, params);
      if (matchFiles(pattern, req.files).length === 0) {
        const why = noFiles(source.path, pattern, params, req.files);
        if (why.param) missing.push({ source: name, param: why.param, available: why.available });
        failed.set(name, why.message);
        continue;
      }
      if (failed.has(name)) continue;
      try {
        loaded.set(name, await this.ensureSource(name, source, pattern, req.files, sampleBudget(req.sample)));
      } catch (e) {
        failed.set(name, errorMessage(e));
      }
    }
    const keys = sampleKeys(spec);
    const fractions =
      req.sample.mode === 'full'
        ? new Map([...loaded.keys()].map((n) => [n, 1]))
        : sampleFractions(keys, new Map([...loaded].map(([n, l]) => [n, l.rows])), req.sample);
    const infos: SourceInfo[] = [];
    for (const [name, l] of loaded) {
      const fraction = fractions.get(name) ?? 1;
      const key = keys.get(name)?.column;
      // of the rows loaded (a share of the file when it was sampled before decoding), keep enough for the source's rate
      const ofLoaded = Math.min(1, fraction / l.share);
      relations.set(name, ofLoaded < 1 ? sampledRelation(l.relation(true), key, ofLoaded, req.sample.seed) : l.relation(false));
      infos.push({ name, files: l.relation(false).files, rows: l.rows, fraction: Math.min(fraction, l.share), ...(l.estimated ? { estimated: true } : {}), ...(key ? { key } : {}) });
    }
    return { relations, failed, infos, missing: missingFiles(missing, params) };
  }

  private async ensureSource(name: string, source: Source, pattern: string, inbox: readonly string[], budget: number | undefined): Promise<LoadedSource> {
    const files = matchFiles(pattern, inbox);
    if (files.length === 0) throw new Error(`no file in the project's data folder matches '${pattern}'`);
    const key = sourceKey(source, files, budget);
    const existing = this.sources.get(name);
    if (existing?.key === key) return existing.loaded;
    const blobs = files.every((f) => this.prefetched.has(f)) ? this.prefetched : await this.readFiles(files);
    if (existing) await existing.loaded.drop();
    this.sources.delete(name);
    const loaded = await loadSource(this.db, name, source, files.map((path) => ({ path, blob: blobs.get(path)! })), budget);
    this.sources.set(name, { key, loaded, version: ++this.versions });
    return loaded;
  }
}
