import type { DataType, Schema } from '../types/dataType.js';
import { findColumn } from '../types/dataType.js';
import type { Expr } from '../expr/ast.js';
import { parseExpression } from '../expr/parse.js';
import { typecheckExpression } from '../expr/typecheck.js';
import { propagateStage, stageInputs, stageOfRef, stageOutputNames } from '../stages/registry.js';
import type { PropagateContext } from '../stages/stageModule.js';
import { isTimeZone } from '../stages/cleanse/stepHandlers.js';
import { didYouMean, specError, specWarning, type SpecDiagnostic, type SpecPath } from './diagnostics.js';
import type { PipelineSpec, StageKind } from './schema.js';
import { parseCron } from './cron.js';
import type { SalvageGaps } from './salvage.js';

/** Built-in parameter every pipeline has: the business date a run processes. */
export const RUN_DATE = 'run_date';

export interface Analysis {
  readonly diagnostics: readonly SpecDiagnostic[];
  /** Output schema of every stage whose inputs were understood. */
  readonly schemas: ReadonlyMap<string, Schema>;
  readonly stepSchemas: ReadonlyMap<string, readonly Schema[]>;
  readonly paramTypes: Readonly<Record<string, DataType>>;
}

export function parameterTypes(spec: PipelineSpec): Record<string, DataType> {
  const types: Record<string, DataType> = { [RUN_DATE]: 'date' };
  for (const [name, p] of Object.entries(spec.parameters ?? {})) types[name] = p.type;
  return types;
}


/**
 * Everything a spec means beyond its shape: stage references and order, every column name,
 * every expression's types, the schedule. All problems are collected, none stops the walk.
 * `gaps` (from salvageSpec) says which parts of a spec with shape errors were left out.
 */
export function analyzeSpec(spec: PipelineSpec, gaps?: SalvageGaps): Analysis {
  const diagnostics: SpecDiagnostic[] = [];
  const schemas = new Map<string, Schema>();
  const stepSchemas = new Map<string, readonly Schema[]>();
  const paramTypes = parameterTypes(spec);
  const broken = [...(gaps?.brokenStages ?? [])];
  const allNames = [...spec.stages.map((s) => s.name), ...broken.map((b) => b.name)];
  const earlier = new Set<string>();
  const inputsOf = new Map(spec.stages.map((s) => [s.name, stageInputs(s)] as const));

  checkParameters(spec, diagnostics);
  checkSources(spec, paramTypes, diagnostics);
  if (spec.schedule) checkSchedule(spec, diagnostics);
  checkStageOptions(spec, (i) => gaps?.stageIndex[i] ?? i, diagnostics);

  spec.stages.forEach((stage, i) => {
    const index = gaps?.stageIndex[i] ?? i;
    // broken stages above this one count as defined (their own errors are reported already)
    while (broken.length && broken[0]!.index < index) earlier.add(broken.shift()!.name);
    const path: SpecPath = ['stages', index];
    if (earlier.has(stage.name)) diagnostics.push(specError([...path, 'name'], `two stages are named '${stage.name}'`, 'stage names must be unique'));
    const ctx = propagateContext(spec, path, paramTypes, diagnostics, gaps?.brokenSources ?? [], (name, at) => {
      if (schemas.has(name)) return schemas.get(name);
      if (earlier.has(name)) return undefined; // it has errors of its own, already reported
      const base = name.split('.')[0]!;
      const outputs = [...earlier].filter((n) => n.startsWith(`${base}.`));
      if (name === stage.name || base === stage.name) diagnostics.push(specError(at, `stage '${name}' cannot read itself`));
      // a stage with shape errors of its own (reported already) may well have had that output
      else if (name !== base && earlier.has(base) && !spec.stages.some((s) => s.name === base)) return undefined;
      else if (name !== base && earlier.has(base)) diagnostics.push(specError(at, `stage '${base}' has no output '${name.slice(base.length + 1)}'`, didYouMean(name, outputs) ?? (outputs.length ? listHint('its outputs', outputs) : `only a match stage has outputs: read '${base}' itself`)));
      else if (allNames.includes(name) || allNames.includes(name.split('.')[0]!)) diagnostics.push(laterStageError(at, stage.name, name, inputsOf));
      else diagnostics.push(specError(at, `unknown stage '${name}'`, didYouMean(name, [...earlier]) ?? listHint('stages so far', [...earlier])));
      return undefined;
    });
    const result = propagateStage(stage, ctx);
    earlier.add(stage.name);
    // known even when the stage has errors, so its readers are not told the output does not exist
    for (const out of stageOutputNames(stage)) earlier.add(`${stage.name}.${out}`);
    if (!ctx.failed()) {
      schemas.set(stage.name, result.schema);
      for (const [out, schema] of Object.entries(result.outputs ?? {})) schemas.set(`${stage.name}.${out}`, schema);
      if (result.stepSchemas) stepSchemas.set(stage.name, result.stepSchemas);
    }
  });
  if (gaps) return { diagnostics: diagnostics.filter((d) => d.severity === 'error'), schemas, stepSchemas, paramTypes };
  // reading `m.matched` reads stage m
  const consumed = new Set(spec.stages.flatMap((s) => stageInputs(s)).map(stageOfRef));
  spec.stages.forEach((s, i) => {
    if (s.kind !== 'output' && s.kind !== 'validate' && !consumed.has(s.name)) diagnostics.push(specWarning(['stages', i, 'name'], `nothing reads stage '${s.name}'`, 'connect it to a later stage or an output'));
  });
  if (!spec.stages.some((s) => s.kind === 'output')) diagnostics.push(specWarning(['stages'], 'the pipeline has no output stage, so a run writes nothing'));
  return { diagnostics, schemas, stepSchemas, paramTypes };
}

/** A stage reading one further down: a cycle when that one reads (through others) back to it. */
function laterStageError(at: SpecPath, reader: string, ref: string, inputsOf: ReadonlyMap<string, readonly string[]>): SpecDiagnostic {
  const read = ref.split('.')[0]!;
  const cycle = pathBetween(read, reader, inputsOf);
  if (cycle) {
    const names = [reader, ...cycle].map((n) => `'${n}'`).join(' → ');
    return specError(at, `stages form a cycle: ${names}`, 'a stage can only read stages above it; one of these must read something else');
  }
  return specError(at, `stage '${read}' comes later in the pipeline`, `stages run top to bottom: move '${reader}' below '${read}'`);
}

/** The stages from `from` to `to` following inputs (both included), or undefined. */
function pathBetween(from: string, to: string, inputsOf: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const seen = new Set<string>();
  const walk = (name: string): string[] | undefined => {
    if (name === to) return [name];
    if (seen.has(name)) return undefined;
    seen.add(name);
    for (const next of (inputsOf.get(name) ?? []).map((ref) => ref.split('.')[0]!)) {
      const rest = walk(next);
      if (rest) return [name, ...rest];
    }
    return undefined;
  };
  return walk(from);
}

export function checkSpec(spec: PipelineSpec): SpecDiagnostic[] {
  return [...analyzeSpec(spec).diagnostics];
}

function listHint(what: string, names: readonly string[]): string | undefined {
  return names.length ? `${what}: ${names.join(', ')}` : undefined;
}

function propagateContext(
  spec: PipelineSpec,
  path: SpecPath,
  params: Readonly<Record<string, DataType>>,
  out: SpecDiagnostic[],
  brokenSources: readonly string[],
  schemaOf: (name: string, at: SpecPath) => Schema | undefined,
): PropagateContext & { failed(): boolean } {
  let failed = false;
  const error = (at: SpecPath, message: string, hint?: string) => {
    failed = true;
    out.push(specError(at, message, hint));
  };
  return {
    spec,
    path,
    params,
    failed: () => failed,
    schemaOf: (name, at) => {
      const s = schemaOf(name, at);
      if (!s) failed = true;
      return s;
    },
    source: (name, at) => {
      const s = spec.sources[name];
      if (!s && brokenSources.includes(name)) failed = true;
      else if (!s) error(at, `unknown source '${name}'`, didYouMean(name, Object.keys(spec.sources)) ?? listHint('sources', Object.keys(spec.sources)));
      return s;
    },
    error,
    warning: (at, message, hint) => out.push(specWarning(at, message, hint)),
    column: (at, name, columns) => {
      const c = findColumn(columns, name);
      if (c) return c.type;
      error(at, `unknown column '${name}'`, didYouMean(name, columns.map((x) => x.name)) ?? listHint('columns', columns.map((x) => x.name)));
      return undefined;
    },
    expression: (at, text, columns) => {
      const checked = checkExpression(text, columns, params);
      for (const e of checked.errors) {
        failed = true;
        out.push({ ...specError(at, e.message, e.hint), offset: { start: e.start, end: e.end } });
      }
      return checked.expr ? { expr: checked.expr, ...(checked.type ? { type: checked.type } : {}) } : {};
    },
  };
}

export interface CheckedExpression {
  readonly expr?: Expr;
  readonly type?: DataType;
  readonly errors: readonly { message: string; hint?: string; start: number; end: number }[];
  readonly types?: ReturnType<typeof typecheckExpression>['types'];
}

/** Parses and type-checks one expression: what the editor's squiggles and the loader both use. */
export function checkExpression(text: string, columns: Schema, params: Readonly<Record<string, DataType>>): CheckedExpression {
  const parsed = parseExpression(text);
  if (!parsed.ok) return { errors: parsed.errors };
  const typed = typecheckExpression(parsed.expr, { columns, params });
  return { expr: parsed.expr, errors: typed.errors, types: typed.types, ...(typed.type ? { type: typed.type } : {}) };
}

function checkParameters(spec: PipelineSpec, out: SpecDiagnostic[]): void {
  for (const [name, p] of Object.entries(spec.parameters ?? {})) {
    const at = ['parameters', name];
    if (name === RUN_DATE && p.type !== 'date') out.push(specError([...at, 'type'], `'${RUN_DATE}' is built in and is a date`));
    if (p.default === undefined) continue;
    const problem = parameterValueProblem(p.type, String(p.default));
    if (problem) out.push(specError([...at, 'default'], problem));
  }
}

/** Why a value does not fit a parameter type, or undefined when it does. */
export function parameterValueProblem(type: DataType | 'date' | 'string' | 'integer', value: string): string | undefined {
  if (type === 'date') {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
    if (!m || !d || d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) return `'${value}' is not a date (YYYY-MM-DD)`;
  }
  if (type === 'integer' && !/^-?\d+$/.test(value)) return `'${value}' is not an integer`;
  if (/[/\\]|\.\./.test(value)) return `'${value}' may not contain '/', '\\' or '..': parameters end up in file paths`;
  return undefined;
}

function checkSources(spec: PipelineSpec, params: Readonly<Record<string, DataType>>, out: SpecDiagnostic[]): void {
  for (const [name, source] of Object.entries(spec.sources)) {
    for (const m of source.path.matchAll(/\{([^}]*)\}/g)) {
      if (!(m[1]! in params)) out.push(specError(['sources', name, 'path'], `unknown parameter {${m[1]}} in the path`, didYouMean(m[1]!, Object.keys(params)) ?? listHint('parameters', Object.keys(params))));
    }
    if (source.schema.length === 0) {
      out.push(source.format === 'parquet'
        ? specError(['sources', name], `source '${name}' leaves its schema out and no Parquet file was found to read it from`, `declare the columns, or put a file matching '${source.path}' in the project's data folder (batchbook validate / plan / run read the types from it)`)
        : specError(['sources', name], `a ${source.format} source needs a schema`, 'list its columns: schema: [{ name: id, type: integer }, …]; only Parquet files carry their own types'));
    }
    if (source.options && source.format !== 'csv') out.push(specWarning(['sources', name, 'options'], `reader options apply to csv sources; this one is ${source.format}`));
    if (source.max_line_bytes !== undefined && source.format !== 'csv' && source.format !== 'ndjson') out.push(specWarning(['sources', name, 'max_line_bytes'], `max_line_bytes applies to csv and ndjson sources; this one is ${source.format}`));
    checkPositions(source.schema, ['sources', name, 'schema'], source.format === 'csv' ? undefined : `a ${source.format} source reads its columns by name`, out);
    if (!spec.stages.some((s) => s.kind === 'ingest' && s.source === name)) out.push(specWarning(['sources', name], `no ingest stage reads source '${name}'`));
  }
}

function checkSchedule(spec: PipelineSpec, out: SpecDiagnostic[]): void {
  const schedule = spec.schedule!;
  const cron = parseCron(schedule.cron);
  if (!cron.ok) out.push(specError(['schedule', 'cron'], `invalid cron '${schedule.cron}': ${cron.error}`, 'five fields: minute hour day-of-month month day-of-week, e.g. "0 2 * * *"'));
  if (!isTimeZone(schedule.timezone)) out.push(specError(['schedule', 'timezone'], `unknown time zone '${schedule.timezone}'`, 'use an IANA name such as Europe/Berlin or UTC'));
}

/** `position` reads a CSV column by its place in the file; anywhere else it means nothing. */
function checkPositions(columns: readonly { position?: number | undefined }[], at: SpecPath, refused: string | undefined, out: SpecDiagnostic[]): void {
  const seen = new Map<number, number>();
  columns.forEach((c, i) => {
    if (c.position === undefined) return;
    const here = [...at, i, 'position'];
    if (refused) out.push(specError(here, `'position' applies to csv source columns: ${refused}`));
    else if (seen.has(c.position)) out.push(specError(here, `columns ${seen.get(c.position)! + 1} and ${i + 1} both read position ${c.position}`));
    seen.set(c.position, i);
  });
}

const REJECTING_KINDS: ReadonlySet<StageKind> = new Set(['ingest', 'cleanse', 'validate']);

/** Reject limits only mean something on stages that can reject rows; positions only on sources. */
function checkStageOptions(spec: PipelineSpec, indexOf: (i: number) => number, out: SpecDiagnostic[]): void {
  spec.stages.forEach((stage, i) => {
    const at: SpecPath = ['stages', indexOf(i)];
    if (stage.kind === 'sql') checkPositions(stage.schema, [...at, 'schema'], 'a sql stage declares the columns its query returns', out);
    for (const key of ['max_rejects', 'max_reject_ratio'] as const) {
      if (stage[key] !== undefined && !REJECTING_KINDS.has(stage.kind)) out.push(specWarning([...at, key], `a ${stage.kind} stage never rejects rows, so '${key}' has no effect`));
    }
  });
}
