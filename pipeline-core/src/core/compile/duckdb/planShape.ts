import type { PipelineSpec, Stage } from '../../spec/schema.js';
import type { CleanseStep } from '../../stages/cleanse/steps.js';
import { stageMayReject } from '../../stages/mayReject.js';
import { stageInputs } from '../../stages/registry.js';

/**
 * 'auto' (the runner and the exports): materialise a stage only where that saves work — text
 * sources parsed once, results read by several stages, aggregates and custom SQL, dedupes — and
 * fuse every other stage into its consumer as a view. 'all' (`run --profile`): every stage a
 * table, so each cell can be timed alone. 'preview' (the designer's preview): as 'all', except a
 * cleanse that only filters rows out (no step that rejects, computes or reorders) stays a view
 * over its input's table: evaluating its conditions again on each read costs less than writing
 * its rows out (in DuckDB-WASM, writing 90k rows of a dozen columns is ~0.1–0.2 s, a filter's
 * read a few ms), and every cell still has its own relation and counts.
 */
export type Materialize = 'auto' | 'all' | 'preview';

/** A cleanse whose every enabled step drops rows on a condition: a view costs less than a table in the preview. */
export function filtersOnly(stage: Stage): boolean {
  if (stage.kind !== 'cleanse') return false;
  const enabled = (stage.steps as CleanseStep[]).filter((s) => s.enabled !== false);
  return enabled.length > 0 && enabled.every((s) => s.step === 'filter' && s.on_false !== 'reject');
}

export interface PlanShape {
  /** Stages whose `__all` is a table. */
  readonly tables: ReadonlySet<string>;
  /** Stages whose output carries lineage columns. */
  readonly lineage: ReadonlySet<string>;
  /**
   * A join fused into the one aggregate that reads it: its row count is the sum of the
   * aggregate's group sizes, so the aggregate writes the join's counts (join → aggregate).
   */
  readonly countedBy: ReadonlyMap<string, string>;
}

const hasStep = (stage: Stage, test: (s: CleanseStep) => boolean) => stage.kind === 'cleanse' && (stage.steps as CleanseStep[]).some((s) => s.enabled !== false && test(s));
const hasDedupe = (stage: Stage) => hasStep(stage, (s) => s.step === 'dedupe');
/** A step that stops the run on a bad value: evaluated in its own stage, so the error names that stage. */
const failsRun = (stage: Stage) => hasStep(stage, (s) => 'on_error' in s && s.on_error === 'fail');

/** The stages whose rows flow on unchanged in number and identity into `stage` (lineage passes through them). */
function rowParents(stage: Stage): readonly string[] {
  switch (stage.kind) {
    case 'cleanse':
    case 'validate':
      return [stage.input];
    case 'join':
      return stage.type === 'full' ? [] : [stage.left];
    case 'union':
      return stage.inputs;
    default:
      return [];
  }
}

export function planShape(spec: PipelineSpec, materialize: Materialize, sourceTables = false): PlanShape {
  const readers = new Map<string, number>();
  for (const s of spec.stages) for (const i of new Set(stageInputs(s))) readers.set(i, (readers.get(i) ?? 0) + 1);
  const reused = (name: string) => (readers.get(name) ?? 0) >= 2;
  const tables = new Set<string>();
  for (const s of spec.stages) {
    const table =
      materialize === 'all' ||
      (materialize === 'preview' && !filtersOnly(s)) ||
      (s.kind === 'ingest' && (sourceTables || spec.sources[s.source]?.format !== 'parquet')) ||
      s.kind === 'aggregate' ||
      s.kind === 'sql' ||
      hasDedupe(s) ||
      failsRun(s) ||
      (materialize === 'auto' && s.kind !== 'output' && reused(s.name));
    if (table) tables.add(s.name);
  }
  // lineage is wanted where a stage can reject, and upstream of it along row-preserving stages
  const lineage = new Set<string>();
  for (const s of [...spec.stages].reverse()) {
    if (materialize !== 'auto') lineage.add(s.name);
    // its rejects (or a dedupe's tie-break on source order, or a later stage) need its input's
    if (materialize !== 'auto' || stageMayReject(s) || hasDedupe(s) || lineage.has(s.name)) for (const p of rowParents(s)) lineage.add(p);
  }
  const countedBy = new Map<string, string>();
  spec.stages.forEach((s, i) => {
    // only an aggregate right after its join: the join's counts are then reported just before the
    // aggregate's, in plan order, as every engine's log reports them
    const input = s.kind === 'aggregate' ? spec.stages[i - 1] : undefined;
    if (input?.kind === 'join' && s.kind === 'aggregate' && s.input === input.name && !tables.has(input.name) && readers.get(input.name) === 1) countedBy.set(input.name, s.name);
  });
  return { tables, lineage, countedBy };
}
