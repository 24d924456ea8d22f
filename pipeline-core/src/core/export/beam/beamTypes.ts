import type { PipelineSpec } from '../../spec/schema.js';
import type { DataType, Schema } from '../../types/dataType.js';
import { pythonString } from '../../expr/emit/python.js';

/** What a stage's Beam compiler may ask. Stages become Python statements in pipeline.py's build(run). */
export interface BeamContext {
  readonly spec: PipelineSpec;
  schemaOf(stage: string): Schema;
  stepSchemas(stage: string): readonly Schema[];
  hasLineage(stage: string): boolean;
  /** Python for an expression over a row `r` (columns r["name"], parameters P["name"]), refusing what Python cannot run faithfully. */
  expr(text: string, columns: Schema): string;
  /** The Python variable holding an earlier stage's handle (a bb_beam.Stage). */
  ref(stage: string): string;
}

/**
 * A stage compiled for Beam: Python statements (unindented, the generator indents them) that
 * bind the stage's variable with a `run.<kind>(…)` call of bb_beam.Run.
 */
export interface BeamStage {
  readonly code: string;
  readonly lineage: boolean;
  /** What this stage needs to run on unbounded (Pub/Sub) input: the README's streaming notes. */
  readonly streaming: string;
  /** Things an engineer must look at (custom SQL run by DuckDB inside the pipeline…). */
  readonly flags?: readonly string[];
}

const PY_KEYWORDS = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield match case type'.split(' '),
);
/** Names pipeline.py itself uses. */
const TAKEN = new Set(['run', 'bb', 'P', 'beam', 'build', 'main', 'PLAN', 'sys']);

/** A stage's Python variable: its name (stage names are identifiers), unless Python or pipeline.py owns it. */
export function pythonVariable(stage: string): string {
  return PY_KEYWORDS.has(stage) || TAKEN.has(stage) ? `${stage}_` : stage;
}

/** A Python literal for plain data (strings use JSON's escapes, which Python shares). */
export function py(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'None';
  if (typeof value === 'string') return pythonString(value);
  if (Array.isArray(value)) return `[${value.map(py).join(', ')}]`;
  return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pythonString(k)}: ${py(v)}`).join(', ')}}`;
}

/** A Python list, its items packed onto lines of at most ~100 characters when it is long. */
export function pyList(items: readonly string[], indent = ''): string {
  const one = `[${items.join(', ')}]`;
  if (one.length + indent.length <= 100) return one;
  const lines: string[] = [];
  let line = '';
  for (const item of items) {
    if (line && line.length + item.length + 2 > 96 - indent.length) {
      lines.push(line);
      line = '';
    }
    line += `${item}, `;
  }
  if (line) lines.push(line);
  return `[\n${lines.map((l) => `${indent}    ${l.trimEnd()}`).join('\n')}\n${indent}]`;
}

/** [("name", "type"), …] */
export function pyColumns(schema: Schema, indent = ''): string {
  return pyList(schema.map((c) => `(${pythonString(c.name)}, ${pythonString(c.type)})`), indent);
}

/** A typed constant from the spec, converted by the runtime the way the runner's SQL literal is. */
export function pyTyped(value: string | number | boolean | null, type: DataType): string {
  if (value === null) return 'None';
  return type === 'string' ? py(String(value)) : `bb.lit(${py(value)}, ${pythonString(type)})`;
}

/** Keyword arguments, leaving out undefined ones: `a=1, b="x"`. */
export function pyKwargs(args: Readonly<Record<string, unknown>>): string {
  return Object.entries(args)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === 'object' && v !== null && 'code' in v ? (v as { code: string }).code : py(v)}`)
    .join(', ');
}

/** Raw Python code where pyKwargs expects a value. */
export function code(text: string): { code: string } {
  return { code: text };
}

/** A call spread over lines when long: `name(\n    a,\n    b,\n)`. */
export function pyCall(name: string, args: readonly string[], indent = ''): string {
  const one = `${name}(${args.join(', ')})`;
  if (one.length + indent.length <= 110) return one;
  return `${name}(\n${args.map((a) => `${indent}    ${a},`).join('\n')}\n${indent})`;
}
