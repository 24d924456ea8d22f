import type { z } from 'zod';
import { nameSchema, parameterSchema, scheduleSchema, sourceSchema, stageSchema, SPEC_VERSION, type PipelineSpec } from './schema.js';

/** What was left out of a salvaged spec, so references to it are not reported a second time. */
export interface SalvageGaps {
  /** Index in the user's `stages` list of each stage kept, in order. */
  readonly stageIndex: readonly number[];
  /** Stages whose own shape is wrong: their names still count as defined, at their place. */
  readonly brokenStages: readonly { readonly name: string; readonly index: number }[];
  readonly brokenSources: readonly string[];
}

export interface Salvaged {
  readonly spec: PipelineSpec;
  /** Absent when nothing was left out. */
  readonly gaps?: SalvageGaps;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseEntries<T extends z.ZodType>(schema: T, value: unknown): { ok: Record<string, z.output<T>>; broken: string[] } {
  const ok: Record<string, z.output<T>> = {};
  const broken: string[] = [];
  if (!isRecord(value)) return { ok, broken };
  for (const [key, v] of Object.entries(value)) {
    const parsed = schema.safeParse(v);
    if (parsed.success && nameSchema.safeParse(key).success) ok[key] = parsed.data;
    else broken.push(key);
  }
  return { ok, broken };
}

/**
 * When the spec's shape has errors, the parts that do parse are still analysed, so one unknown
 * top-level key or one malformed stage does not hide reference and expression errors elsewhere.
 * Each source, stage and parameter is parsed on its own; what fails is left out (its own error
 * is already reported by the shape check) and remembered by name. Undefined when the document
 * is not a mapping at all.
 */
export function salvageSpec(input: unknown): Salvaged | undefined {
  if (!isRecord(input)) return undefined;
  const sources = parseEntries(sourceSchema, input['sources']);
  const params = parseEntries(parameterSchema, input['parameters']);
  // a parameter of the wrong shape still exists: references to it are not "unknown"
  for (const name of params.broken) params.ok[name] = { type: 'string' };
  const stages: z.output<typeof stageSchema>[] = [];
  const stageIndex: number[] = [];
  const brokenStages: { name: string; index: number }[] = [];
  const rawStages = Array.isArray(input['stages']) ? (input['stages'] as unknown[]) : [];
  rawStages.forEach((raw, index) => {
    const parsed = stageSchema.safeParse(raw);
    if (parsed.success) {
      stages.push(parsed.data);
      stageIndex.push(index);
    } else if (isRecord(raw) && typeof raw['name'] === 'string') brokenStages.push({ name: raw['name'], index });
  });
  const schedule = scheduleSchema.safeParse(input['schedule']);
  const spec = {
    version: SPEC_VERSION,
    name: typeof input['name'] === 'string' ? input['name'] : 'pipeline',
    parameters: params.ok,
    sources: sources.ok,
    stages,
    ...(schedule.success ? { schedule: schedule.data } : {}),
  } as unknown as PipelineSpec;
  return { spec, gaps: { stageIndex, brokenStages, brokenSources: sources.broken } };
}
