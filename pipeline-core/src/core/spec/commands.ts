import type { z } from 'zod';
import type { pipelineSchema, stageSchema } from './schema.js';
import type { stepSchema } from '../stages/cleanse/steps.js';
import type { ruleSchema } from '../stages/validate/rules.js';

/**
 * Every edit the designer makes is one of these named commands. A command takes the spec as
 * the user wrote it (defaults not filled in, so saving writes back only what changed) and
 * returns a new one — or the same object when nothing changed.
 */
export type SpecInput = z.input<typeof pipelineSchema>;
export type StageInput = z.input<typeof stageSchema>;
export type StepInput = z.input<typeof stepSchema>;
export type RuleInput = z.input<typeof ruleSchema>;
type SourceInput = SpecInput['sources'][string];
type ScheduleInput = NonNullable<SpecInput['schedule']>;
type ParameterInput = NonNullable<SpecInput['parameters']>[string];
type CostInput = NonNullable<SpecInput['cost']>;

export class CommandError extends Error {}

export interface SpecCommand {
  /** A stable name (for logs and tests), e.g. 'addStage'. */
  readonly name: string;
  /** What the Edit menu shows: "Undo Add stage 'clean_orders'". */
  readonly label: string;
  apply(spec: SpecInput): SpecInput;
}

function indexOfStage(spec: SpecInput, name: string): number {
  const i = spec.stages.findIndex((s) => s.name === name);
  if (i < 0) throw new CommandError(`no stage named '${name}'`);
  return i;
}

function withStages(spec: SpecInput, stages: StageInput[]): SpecInput {
  return { ...spec, stages };
}

function mapStage(spec: SpecInput, name: string, f: (s: StageInput) => StageInput): SpecInput {
  const i = indexOfStage(spec, name);
  const next = f(spec.stages[i]!);
  if (next === spec.stages[i]) return spec;
  return withStages(spec, spec.stages.map((s, k) => (k === i ? next : s)));
}

function uniqueName(spec: SpecInput, base: string): string {
  const names = new Set(spec.stages.map((s) => s.name));
  if (!names.has(base)) return base;
  for (let n = 2; ; n++) if (!names.has(`${base}_${n}`)) return `${base}_${n}`;
}

function moveItem<T>(items: readonly T[], from: number, to: number): T[] {
  const out = [...items];
  const [item] = out.splice(from, 1);
  out.splice(Math.max(0, Math.min(to, out.length)), 0, item as T);
  return out;
}

const cmd = (name: string, label: string, apply: (s: SpecInput) => SpecInput): SpecCommand => ({ name, label, apply });

export function addStage(stage: StageInput, index?: number): SpecCommand {
  return cmd('addStage', `Add stage '${stage.name}'`, (spec) => {
    const named = { ...stage, name: uniqueName(spec, stage.name) } as StageInput;
    const stages = [...spec.stages];
    stages.splice(index ?? stages.length, 0, named);
    return withStages(spec, stages);
  });
}

export function removeStage(name: string): SpecCommand {
  return cmd('removeStage', `Delete stage '${name}'`, (spec) => withStages(spec, spec.stages.filter((_, i) => i !== indexOfStage(spec, name))));
}

export function moveStage(name: string, toIndex: number): SpecCommand {
  return cmd('moveStage', `Move stage '${name}'`, (spec) => {
    const from = indexOfStage(spec, name);
    return from === toIndex ? spec : withStages(spec, moveItem(spec.stages, from, toIndex));
  });
}

export function duplicateStage(name: string): SpecCommand {
  return cmd('duplicateStage', `Duplicate stage '${name}'`, (spec) => {
    const i = indexOfStage(spec, name);
    const copy = { ...(JSON.parse(JSON.stringify(spec.stages[i]!)) as StageInput), name: uniqueName(spec, `${name}_copy`) } as StageInput;
    const stages = [...spec.stages];
    stages.splice(i + 1, 0, copy);
    return withStages(spec, stages);
  });
}

/** Renames a stage and every reference to it (inputs, relationship targets, reconcile sides). */
export function renameStage(from: string, to: string): SpecCommand {
  return cmd('renameStage', `Rename stage '${from}' to '${to}'`, (spec) => {
    if (from === to) return spec;
    if (spec.stages.some((s) => s.name === to)) throw new CommandError(`a stage named '${to}' already exists`);
    indexOfStage(spec, from);
    // `m.matched` names an output of stage m: renaming m renames it too
    const ref = (n: string) => (n === from ? to : n.startsWith(`${from}.`) ? `${to}${n.slice(from.length)}` : n);
    return withStages(
      spec,
      spec.stages.map((s) => renameRefs({ ...s, name: ref(s.name) } as StageInput, ref)),
    );
  });
}

function renameRefs(s: StageInput, ref: (n: string) => string): StageInput {
  switch (s.kind) {
    case 'cleanse':
    case 'aggregate':
    case 'output':
      return { ...s, input: ref(s.input) };
    case 'validate':
      return {
        ...s,
        input: ref(s.input),
        rules: s.rules.map((r) => {
          if (r.rule === 'relationship') return { ...r, to: ref(r.to) };
          if (r.rule === 'conservation' && r.stage) return { ...r, stage: ref(r.stage) };
          if (r.rule === 'reconcile') {
            return {
              ...r,
              left: r.left.stage ? { ...r.left, stage: ref(r.left.stage) } : r.left,
              right: r.right.stage ? { ...r.right, stage: ref(r.right.stage) } : r.right,
            };
          }
          return r;
        }),
      };
    case 'join':
    case 'match':
      return { ...s, left: ref(s.left), right: ref(s.right) };
    case 'union':
    case 'sql':
      return { ...s, inputs: s.inputs.map(ref) };
    case 'ingest':
      return s;
  }
}

/** Replaces fields of a stage (not its name or kind: use renameStage / a new stage). */
export function updateStage(name: string, patch: Partial<StageInput>): SpecCommand {
  return cmd('updateStage', `Edit stage '${name}'`, (spec) =>
    mapStage(spec, name, (s) => {
      if ('name' in patch && patch.name !== s.name) throw new CommandError('use renameStage to rename a stage');
      if ('kind' in patch && patch.kind !== s.kind) throw new CommandError("a stage's kind cannot change");
      return { ...s, ...patch } as StageInput;
    }),
  );
}

function mapSteps(spec: SpecInput, stage: string, f: (steps: StepInput[]) => StepInput[]): SpecInput {
  return mapStage(spec, stage, (s) => {
    if (s.kind !== 'cleanse') throw new CommandError(`stage '${stage}' is a ${s.kind} stage, not cleanse`);
    return { ...s, steps: f([...s.steps]) };
  });
}

function checkIndex(items: readonly unknown[], index: number, what: string): void {
  if (!Number.isInteger(index) || index < 0 || index >= items.length) throw new CommandError(`no ${what} at position ${index + 1}`);
}

export function addStep(stage: string, step: StepInput, index?: number): SpecCommand {
  return cmd('addStep', `Add ${step.step} step`, (spec) =>
    mapSteps(spec, stage, (steps) => {
      steps.splice(index ?? steps.length, 0, step);
      return steps;
    }),
  );
}

export function updateStep(stage: string, index: number, step: StepInput): SpecCommand {
  return cmd('updateStep', `Edit ${step.step} step`, (spec) =>
    mapSteps(spec, stage, (steps) => {
      checkIndex(steps, index, 'step');
      steps[index] = step;
      return steps;
    }),
  );
}

export function moveStep(stage: string, from: number, to: number): SpecCommand {
  return cmd('moveStep', 'Move step', (spec) =>
    mapSteps(spec, stage, (steps) => {
      checkIndex(steps, from, 'step');
      return moveItem(steps, from, to);
    }),
  );
}

export function removeStep(stage: string, index: number): SpecCommand {
  return cmd('removeStep', 'Delete step', (spec) =>
    mapSteps(spec, stage, (steps) => {
      checkIndex(steps, index, 'step');
      return steps.filter((_, i) => i !== index);
    }),
  );
}

/** Turns a step off without deleting it (enabled: false), or back on. */
export function toggleStep(stage: string, index: number): SpecCommand {
  return cmd('toggleStep', 'Toggle step', (spec) =>
    mapSteps(spec, stage, (steps) => {
      checkIndex(steps, index, 'step');
      const s = steps[index]!;
      const { enabled, ...rest } = s;
      steps[index] = (enabled === false ? rest : { ...rest, enabled: false }) as StepInput;
      return steps;
    }),
  );
}

function mapRules(spec: SpecInput, stage: string, f: (rules: RuleInput[]) => RuleInput[]): SpecInput {
  return mapStage(spec, stage, (s) => {
    if (s.kind !== 'validate') throw new CommandError(`stage '${stage}' is a ${s.kind} stage, not validate`);
    return { ...s, rules: f([...s.rules]) };
  });
}

export function addRule(stage: string, rule: RuleInput, index?: number): SpecCommand {
  return cmd('addRule', `Add ${rule.rule} rule`, (spec) =>
    mapRules(spec, stage, (rules) => {
      rules.splice(index ?? rules.length, 0, rule);
      return rules;
    }),
  );
}

export function updateRule(stage: string, index: number, rule: RuleInput): SpecCommand {
  return cmd('updateRule', `Edit ${rule.rule} rule`, (spec) =>
    mapRules(spec, stage, (rules) => {
      checkIndex(rules, index, 'rule');
      rules[index] = rule;
      return rules;
    }),
  );
}

export function removeRule(stage: string, index: number): SpecCommand {
  return cmd('removeRule', 'Delete rule', (spec) =>
    mapRules(spec, stage, (rules) => {
      checkIndex(rules, index, 'rule');
      return rules.filter((_, i) => i !== index);
    }),
  );
}

export function moveRule(stage: string, from: number, to: number): SpecCommand {
  return cmd('moveRule', 'Move rule', (spec) =>
    mapRules(spec, stage, (rules) => {
      checkIndex(rules, from, 'rule');
      return moveItem(rules, from, to);
    }),
  );
}

export function setSource(name: string, source: SourceInput): SpecCommand {
  return cmd('setSource', `Edit source '${name}'`, (spec) => ({ ...spec, sources: { ...spec.sources, [name]: source } }));
}

export function removeSource(name: string): SpecCommand {
  return cmd('removeSource', `Delete source '${name}'`, (spec) => {
    const { [name]: _gone, ...rest } = spec.sources;
    return { ...spec, sources: rest };
  });
}

/** Renames a source, and every ingest stage that reads it. */
export function renameSource(from: string, to: string): SpecCommand {
  return cmd('renameSource', `Rename source '${from}' to '${to}'`, (spec) => {
    if (from === to) return spec;
    if (!(from in spec.sources)) throw new CommandError(`no source named '${from}'`);
    if (to in spec.sources) throw new CommandError(`a source named '${to}' already exists`);
    // keep the source's place in the mapping (and so in the saved file)
    const sources = Object.fromEntries(Object.entries(spec.sources).map(([k, v]) => [k === from ? to : k, v]));
    const stages = spec.stages.map((s) => (s.kind === 'ingest' && s.source === from ? { ...s, source: to } : s));
    return { ...spec, sources, stages };
  });
}

/** Sets the cost scenario (or removes it with undefined). */
export function setCost(cost: CostInput | undefined): SpecCommand {
  return cmd('setCost', 'Edit cost scenario', (spec) => {
    if (cost) return { ...spec, cost };
    const { cost: _gone, ...rest } = spec;
    return rest as SpecInput;
  });
}

export function setParameter(name: string, parameter: ParameterInput): SpecCommand {
  return cmd('setParameter', `Edit parameter '${name}'`, (spec) => ({ ...spec, parameters: { ...(spec.parameters ?? {}), [name]: parameter } }));
}

export function setSchedule(schedule: ScheduleInput | undefined): SpecCommand {
  return cmd('setSchedule', 'Edit schedule', (spec) => {
    if (schedule) return { ...spec, schedule };
    const { schedule: _gone, ...rest } = spec;
    return rest as SpecInput;
  });
}

/** Applies commands in order. */
export function applyCommands(spec: SpecInput, commands: readonly SpecCommand[]): SpecInput {
  return commands.reduce((s, c) => c.apply(s), spec);
}
