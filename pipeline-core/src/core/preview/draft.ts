import { analyzeSpec, type Analysis } from '../spec/analyze.js';
import type { SpecInput } from '../spec/commands.js';
import { specError, type SpecDiagnostic } from '../spec/diagnostics.js';
import { pipelineSchema, type PipelineSpec, type Stage } from '../spec/schema.js';
import { stageInputs, stageOfRef } from '../stages/registry.js';

/**
 * A spec being edited is often not valid as a whole: one cell has a half-typed expression while
 * the rest is fine. checkDraft finds every problem (located by spec path, as the loader reports
 * them) and the largest part that can still run: every stage without errors whose inputs can run
 * too. The designer previews that part and shows the rest as blocked.
 */
export interface DraftCheck {
  /** Problems by path, including shape errors the schema reports. */
  readonly diagnostics: readonly SpecDiagnostic[];
  /** The runnable stages as a normalised spec (undefined when nothing can run). */
  readonly runnable?: PipelineSpec;
  /** The analysis of `runnable`. */
  readonly analysis?: Analysis;
  /** Stages with an error of their own, by name. */
  readonly failed: ReadonlySet<string>;
  /** Stages that cannot run because an input cannot. */
  readonly blocked: ReadonlySet<string>;
}

type Issue = { path: readonly PropertyKey[]; message: string };

function toDiagnostic(issue: Issue): SpecDiagnostic {
  return specError(issue.path.filter((p): p is string | number => typeof p !== 'symbol'), issue.message);
}

function stageNameAt(input: SpecInput, path: readonly (string | number)[]): string | undefined {
  if (path[0] !== 'stages' || typeof path[1] !== 'number') return undefined;
  const s = input.stages[path[1]] as { name?: unknown } | undefined;
  return typeof s?.name === 'string' ? s.name : `#${path[1]}`;
}

function sourceOf(stage: { kind?: unknown; source?: unknown }): string | undefined {
  return stage.kind === 'ingest' && typeof stage.source === 'string' ? stage.source : undefined;
}

export function checkDraft(input: SpecInput): DraftCheck {
  const diagnostics: SpecDiagnostic[] = [];
  const failed = new Set<string>();
  let globalError = false;
  let keep = [...input.stages];
  let sources = { ...input.sources };

  const first = pipelineSchema.safeParse(input);
  if (!first.success) {
    for (const issue of first.error.issues) {
      const d = toDiagnostic(issue);
      diagnostics.push(d);
      const stage = stageNameAt(input, d.path);
      if (stage) failed.add(stage);
      else if (d.path[0] === 'sources' && typeof d.path[1] === 'string') {
        const { [d.path[1]]: _bad, ...rest } = sources;
        sources = rest;
      } else if (d.path[0] !== 'stages') globalError = true;
    }
    keep = keep.filter((s, i) => !failed.has(stageNameAt(input, ['stages', i]) ?? '') && (sourceOf(s) === undefined || sourceOf(s)! in sources));
  }
  if (globalError || keep.length === 0) return { diagnostics, failed, blocked: new Set(input.stages.map((s) => s.name).filter((n) => !failed.has(n))) };

  const parsed = pipelineSchema.safeParse({ ...input, sources, stages: keep });
  if (!parsed.success) return { diagnostics, failed, blocked: new Set(input.stages.map((s) => s.name).filter((n) => !failed.has(n))) };
  const spec = parsed.data as PipelineSpec;
  const analysis = analyzeSpec(spec);
  const indexOf = new Map(input.stages.map((s, i) => [s.name, i]));
  for (const d of analysis.diagnostics) {
    // re-locate stage paths to the stage's index in the full draft
    const name = d.path[0] === 'stages' && typeof d.path[1] === 'number' ? spec.stages[d.path[1]]?.name : undefined;
    const path = name !== undefined ? ['stages', indexOf.get(name) ?? d.path[1]!, ...d.path.slice(2)] : d.path;
    diagnostics.push({ ...d, path });
    if (d.severity === 'error' && name !== undefined) failed.add(name);
    if (d.severity === 'error' && d.path[0] === 'sources' && typeof d.path[1] === 'string') {
      for (const s of spec.stages) if (sourceOf(s) === d.path[1]) failed.add(s.name);
    }
  }
  const runnable = new Set<string>();
  const blocked = new Set<string>();
  for (const stage of input.stages) {
    if (failed.has(stage.name)) continue;
    const parsedStage = spec.stages.find((s) => s.name === stage.name);
    const ok = parsedStage !== undefined && analysis.schemas.has(stage.name) && stageInputs(parsedStage).every((i) => runnable.has(stageOfRef(i)));
    (ok ? runnable : blocked).add(stage.name);
  }
  const stages: Stage[] = spec.stages.filter((s) => runnable.has(s.name));
  if (stages.length === 0) return { diagnostics, failed, blocked };
  const runSpec: PipelineSpec = { ...spec, stages };
  return { diagnostics, failed, blocked, runnable: runSpec, analysis: analyzeSpec(runSpec) };
}

/** The named stages and every stage that reads them, directly or not (rule references included). */
export function downstreamOf(spec: PipelineSpec, names: Iterable<string>): Set<string> {
  const out = new Set(names);
  for (const stage of spec.stages) if (stageInputs(stage).some((i) => out.has(stageOfRef(i)))) out.add(stage.name);
  return out;
}
