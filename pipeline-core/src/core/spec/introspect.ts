import type { z } from 'zod';
import { pipelineSchema } from './schema.js';
import type { SpecPath } from './diagnostics.js';

type AnySchema = z.core.$ZodType;
interface Def {
  type: string;
  innerType?: AnySchema;
  in?: AnySchema;
  valueType?: AnySchema;
  element?: AnySchema;
  shape?: Record<string, AnySchema>;
  discriminator?: string;
  options?: AnySchema[];
}

function def(s: AnySchema): Def {
  return (s as unknown as { _zod: { def: Def } })._zod.def;
}

function unwrap(s: AnySchema): AnySchema {
  let cur = s;
  for (;;) {
    const d = def(cur);
    if ((d.type === 'optional' || d.type === 'default' || d.type === 'nullable' || d.type === 'prefault') && d.innerType) cur = d.innerType;
    else if (d.type === 'pipe' && d.in) cur = d.in;
    else return cur;
  }
}

/** Picks the member of a discriminated union that the user's value selects. */
function pickOption(s: AnySchema, value: unknown): AnySchema | undefined {
  const d = def(s);
  if (d.type !== 'union' || !d.options) return s;
  const disc = d.discriminator;
  const wanted = disc && value && typeof value === 'object' ? (value as Record<string, unknown>)[disc] : undefined;
  return d.options.find((o) => {
    const shape = def(unwrap(o)).shape;
    const lit = shape && disc ? shape[disc] : undefined;
    return lit && (def(lit) as unknown as { values?: unknown[] }).values?.includes(wanted);
  });
}

/** The keys the schema allows for the object at `path` in the user's document. */
export function knownKeysAt(path: SpecPath, input: unknown): string[] {
  let schema: AnySchema | undefined = pipelineSchema;
  let value: unknown = input;
  for (const p of [...path, undefined]) {
    if (!schema) return [];
    schema = pickOption(unwrap(schema), value);
    if (!schema) return [];
    schema = unwrap(schema);
    if (p === undefined) break;
    const d = def(schema);
    value = value && typeof value === 'object' ? (value as Record<string | number, unknown>)[p] : undefined;
    if (d.type === 'object' && d.shape) schema = d.shape[String(p)];
    else if (d.type === 'record') schema = d.valueType;
    else if (d.type === 'array') schema = d.element;
    else return [];
  }
  const shape = schema ? def(schema).shape : undefined;
  return shape ? Object.keys(shape) : [];
}
