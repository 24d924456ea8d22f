import { quoteIdent, type PipelineSpec, type Stage } from '@batchbook/pipeline-core';

/**
 * Re-running a cleanse cell after an edit that only changes how some text columns are mapped
 * value by value (a trim, a case or a standardise step switched on or off, or its columns
 * changed) recomputes those columns only, and takes every other column, reject reason and
 * duplicate flag from the cell's previous result.
 *
 * Why it is exact: such a step computes each of its columns from that column alone, on every row
 * (rejected rows too), never rejects, and the other steps neither read nor write those columns
 * (checked below, conservatively: a step that names one of them anywhere stops the patch). The
 * columns' values therefore depend only on the input and on the value maps applied to them, in
 * order; every other column and flag does not depend on them. The patch recomputes the columns
 * with the same compiler (a cleanse of the same input with just those maps on just those
 * columns) and puts them into the previous result row by row: both are in input order, and the
 * statement stops with an error if a row's position differs (the caller then computes the cell
 * in full).
 *
 * The benchmark's edit (switching clean_orders' case step) re-ran a statement parsing dates,
 * amounts and currencies over every row to change two text columns; the patch reads two columns.
 */

type Step = Record<string, unknown> & { readonly step: string; readonly enabled?: boolean };
type CleanseStage = Extract<Stage, { kind: 'cleanse' }>;

const isCleanse = (s: Stage): s is CleanseStage => s.kind === 'cleanse';
const on = (s: Step) => s.enabled !== false;

/** The columns a step maps value by value, without rejecting; undefined for any other step. */
function mappedColumns(s: Step): readonly string[] | undefined {
  if (s.step === 'trim' || s.step === 'case') return s['columns'] as string[];
  if (s.step === 'standardise' && s['unmapped'] !== 'reject') return [s['column'] as string];
  return undefined;
}

const escaped = (c: string) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The step's own text names the column as a word, in any case (or could, through `*`): it may read or write it. */
function mayTouch(s: Step, columns: readonly string[]): boolean {
  const text = JSON.stringify(s);
  return text.includes('*') || columns.some((c) => new RegExp(`(?<![\\w$])${escaped(c)}(?![\\w$])`, 'i').test(text));
}

/** A copy of a value-map step restricted to `columns` (undefined when it maps none of them). */
function restricted(s: Step, columns: ReadonlySet<string>): Step | undefined {
  if (s.step === 'standardise') return columns.has(s['column'] as string) ? s : undefined;
  const kept = (s['columns'] as string[]).filter((c) => columns.has(c));
  return kept.length ? { ...s, columns: kept } : undefined;
}

export interface ColumnPatchPlan {
  /** The columns recomputed. */
  readonly columns: readonly string[];
  /** A cleanse of the same input applying only the value maps of those columns, in order. */
  readonly stage: Stage;
}

/**
 * The patch for going from the result of `before` to that of `after`, or undefined when the
 * edit is not one the patch covers (the cell is then computed in full).
 */
export function planColumnPatch(before: Stage, after: Stage): ColumnPatchPlan | undefined {
  if (!isCleanse(before) || !isCleanse(after) || before.steps.length !== after.steps.length) return undefined;
  const { steps: b, ...restBefore } = before;
  const { steps: a, ...restAfter } = after;
  if (JSON.stringify(restBefore) !== JSON.stringify(restAfter)) return undefined;
  const changed = a.map((_, i) => i).filter((i) => JSON.stringify(a[i]) !== JSON.stringify(b[i]));
  if (changed.length === 0) return undefined;
  const columns = new Set<string>();
  for (const i of changed) {
    for (const s of [b[i], a[i]] as unknown as Step[]) {
      if (!on(s)) continue;
      const mapped = mappedColumns(s);
      if (!mapped) return undefined;
      for (const c of mapped) columns.add(c);
    }
  }
  if (columns.size === 0) return undefined;
  const touched = [...columns];
  const maps: Step[] = [];
  for (const s of a as unknown as readonly Step[]) {
    if (!on(s)) continue;
    if (mappedColumns(s)) {
      // only its part on our columns: its other columns are in the previous result already
      const part = restricted(s, columns);
      if (part) maps.push(part);
    } else if (mayTouch(s, touched)) return undefined;
  }
  if (maps.length === 0) return undefined;
  return { columns: touched, stage: { ...after, name: `${after.name}__bb_patch`, steps: maps } as unknown as Stage };
}

const CREATE_TABLE = /^\s*CREATE\s+OR\s+REPLACE\s+TABLE\s+(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)\s+AS\s+([\s\S]*)$/i;

/** The SELECT a stage's first statement materialises (its `__all` table), or undefined. */
export function materialisedSelect(statements: readonly string[]): string | undefined {
  return CREATE_TABLE.exec(statements[0] ?? '')?.[1];
}

/**
 * The statement creating the cell's `__all` table from its previous one (`previous`, a table
 * name) and the recomputed columns (`recomputed`, a SELECT in input order): the previous rows in
 * their order, with the columns replaced.
 */
export function patchStatement(table: string, previous: string, recomputed: string, columns: readonly string[]): string {
  const same = ['_bb_src', '_bb_file', '_bb_row'].map((c) => `o.${c} IS NOT DISTINCT FROM n.${c}`).join(' AND ');
  // the check rides on the first column, evaluated on every row (a positional join pads a shorter side with NULLs, which fail it too)
  const replace = columns.map((c, i) => {
    const value = `n.${quoteIdent(c)}`;
    return `${i === 0 ? `CASE WHEN ${same} THEN ${value} ELSE error('column patch: rows out of step') END` : value} AS ${quoteIdent(c)}`;
  });
  return `CREATE OR REPLACE TABLE ${quoteIdent(table)} AS SELECT o.* REPLACE (${replace.join(', ')}) FROM ${previous} o POSITIONAL JOIN (${recomputed}) n`;
}

/** The spec with the stage replaced, and the patch's stage added after it (to compile both in the run's context). */
export function withStages(spec: PipelineSpec, replaced: Stage, extra: Stage): PipelineSpec {
  return { ...spec, stages: [...spec.stages.map((s) => (s.name === replaced.name ? replaced : s)), extra] };
}

/**
 * The columns of `ref` a stage reads, when it reads `ref` only through relationship rules (a
 * validate cell checking its own input against `ref`'s keys); undefined when it may read more.
 */
export function columnsReadOf(stage: Stage, ref: string): readonly string[] | undefined {
  if (stage.kind !== 'validate' || stage.input.split('.')[0] === ref) return undefined;
  const read: string[] = [];
  for (const r of stage.rules as readonly Record<string, unknown>[]) {
    if (r['rule'] === 'relationship' && r['to'] === ref) read.push(...((r['to_columns'] ?? r['columns']) as string[]));
    else if (JSON.stringify(r).includes(`"${ref}`)) return undefined;
  }
  return read;
}

/**
 * Of the cells to run, those whose result cannot change: each input that runs is a patched cell
 * whose recomputed columns the cell does not read (its rows and other columns are the same, so is
 * what the cell computes from them), or a cell of this kind itself. `changed` are the cells whose
 * own statements changed (or that must run); they always run.
 */
export function unaffectedCells(
  stages: readonly Stage[],
  toRun: ReadonlySet<string>,
  changed: ReadonlySet<string>,
  patched: ReadonlyMap<string, readonly string[]>,
  inputsOf: (s: Stage) => readonly string[],
): Set<string> {
  const affected = new Set<string>();
  const unaffected = new Set<string>();
  for (const s of stages) {
    if (!toRun.has(s.name)) continue;
    const reaches = (ref: string) => {
      if (!affected.has(ref)) return false;
      const columns = patched.get(ref);
      const read = columns && columnsReadOf(s, ref);
      return !read || read.some((c) => columns.includes(c));
    };
    if (changed.has(s.name) || inputsOf(s).some((i) => reaches(i.split('.')[0]!))) affected.add(s.name);
    else unaffected.add(s.name);
  }
  return unaffected;
}
