import type { DataType } from '../types/dataType.js';
import type { PipelineSpec } from './schema.js';
import { parameterTypes, parameterValueProblem, RUN_DATE } from './analyze.js';

export type ParamValues = Readonly<Record<string, string | number>>;

export class ParamError extends Error {}

/**
 * The values a run uses: the given ones, else the spec's defaults, else `fallbackRunDate`
 * (the caller's clock decides "yesterday"; pipeline-core has no clock of its own).
 */
export function resolveParams(spec: PipelineSpec, given: Readonly<Record<string, string>>, fallbackRunDate: string): ParamValues {
  const types = parameterTypes(spec);
  for (const name of Object.keys(given)) {
    if (!(name in types)) throw new ParamError(`unknown parameter '${name}'; this pipeline has: ${Object.keys(types).join(', ')}`);
  }
  const values: Record<string, string | number> = {};
  for (const [name, type] of Object.entries(types)) {
    const raw = given[name] ?? spec.parameters?.[name]?.default ?? (name === RUN_DATE ? fallbackRunDate : undefined);
    if (raw === undefined) throw new ParamError(`parameter '${name}' has no default; pass --param ${name}=…`);
    const problem = parameterValueProblem(type, String(raw));
    if (problem) throw new ParamError(`parameter '${name}': ${problem}`);
    values[name] = type === 'integer' ? Number(raw) : String(raw);
  }
  return values;
}

/** Substitutes {param} placeholders in a zone-relative path (values were checked to be path-safe). */
export function substitutePath(template: string, values: ParamValues): string {
  return template.replace(/\{([^}]*)\}/g, (whole, name: string) => {
    const v = values[name];
    if (v === undefined) throw new ParamError(`unknown parameter {${name}} in path '${template}'`);
    return String(v);
  });
}

export function paramType(spec: PipelineSpec, name: string): DataType | undefined {
  return parameterTypes(spec)[name];
}
