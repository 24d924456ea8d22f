import type { ReactElement } from 'react';
import { addStep, moveStep, removeStep, toggleStep, updateStep, STEP_KINDS, type Schema, type StepInput } from '@batchbook/pipeline-core';
import { useDoc } from '../store/docStore';
import { Icon } from '../ui/icons';
import { FieldProblems, Labeled, Select } from './fields';
import { StepFields, STEP_HELP } from './StepFields';
import { useEarlierStages, usePatch, type Of } from './common';
import { useSchema, useStepSchemas } from './schemas';

/** A sensible first version of each step kind, for the column the user is likely to mean. */
export function defaultStep(kind: StepInput['step'], columns: Schema | undefined): StepInput {
  const first = columns?.[0]?.name ?? '';
  const text = columns?.find((c) => c.type === 'string')?.name ?? first;
  switch (kind) {
    case 'trim':
      return { step: 'trim', columns: [text] };
    case 'case':
      return { step: 'case', columns: [text], to: 'upper' };
    case 'cast':
      return { step: 'cast', columns: [text], type: 'integer' };
    case 'parse_date':
      return { step: 'parse_date', column: text, formats: ['%Y-%m-%d %H:%M:%S'] };
    case 'parse_number':
      return { step: 'parse_number', column: text, type: 'decimal(12,2)' };
    case 'dedupe':
      return { step: 'dedupe', keys: [first] };
    case 'filter':
      return { step: 'filter', expr: `${first} IS NOT NULL` };
    case 'derive':
      return { step: 'derive', column: 'new_column', expr: first || '1' };
    case 'rename':
      return { step: 'rename', columns: { [first]: `${first}_renamed` } };
    case 'drop':
      return { step: 'drop', columns: [first] };
    case 'fill_null':
      return { step: 'fill_null', columns: [first], value: '' };
    case 'standardise':
      return { step: 'standardise', column: text, mapping: {} };
  }
}

const LABEL: Record<StepInput['step'], string> = {
  trim: 'Trim spaces',
  case: 'Change case',
  cast: 'Cast',
  parse_date: 'Parse date / time',
  parse_number: 'Parse number',
  dedupe: 'Remove duplicates',
  filter: 'Filter rows',
  derive: 'Derive column',
  rename: 'Rename',
  drop: 'Drop columns',
  fill_null: 'Fill empty values',
  standardise: 'Standardise values',
};

/** The ordered steps of a cleanse cell: add, reorder, switch off, delete; each with its own fields. */
export function CleanseEditor({ stage, index }: { stage: Of<'cleanse'>; index: number }): ReactElement {
  const dispatch = useDoc((s) => s.dispatch);
  const patch = usePatch(stage);
  const earlier = useEarlierStages(index);
  const input = useSchema(stage.input);
  const stepSchemas = useStepSchemas(stage);
  const afterLast = stepSchemas[stepSchemas.length - 1] ?? input;
  return (
    <div className="cleanse">
      <div className="editor-row">
        <Labeled label="Input">
          <Select value={stage.input} options={earlier} onChange={(v) => patch({ input: v })} testId={`cleanse-input-${stage.name}`} />
        </Labeled>
        <FieldProblems path={['stages', index, 'input']} />
      </div>
      {stage.steps.length === 0 && <p className="muted small empty-note">No steps yet: the rows pass through unchanged. Add a step below — trim, parse, dedupe, filter…</p>}
      <ol className="steps" data-testid={`steps-${stage.name}`}>
        {stage.steps.map((step, i) => {
          const off = step.enabled === false;
          return (
            <li key={i} className={`step ${off ? 'off' : ''}`} data-testid={`step-${stage.name}-${i}`}>
              <div className="step-head">
                <span className="step-num muted">{i + 1}</span>
                <input type="checkbox" checked={!off} title={off ? 'Turned off: switch it back on' : 'Turn this step off without deleting it'} aria-label="step on" data-testid={`step-toggle-${stage.name}-${i}`} onChange={() => dispatch(toggleStep(stage.name, i))} />
                <span className="step-kind" title={STEP_HELP[step.step]}>
                  {LABEL[step.step]}
                </span>
                <div className="step-fields">
                  <StepFields step={step} columns={stepSchemas[i]} path={['stages', index, 'steps', i]} testId={`${stage.name}-${i}`} onChange={(s, field) => dispatch(updateStep(stage.name, i, s), field ? `${stage.name}.steps.${i}.${field}` : undefined)} />
                </div>
                <span className="step-actions">
                  <button className="btn icon ghost" aria-label="Move step up" disabled={i === 0} onClick={() => dispatch(moveStep(stage.name, i, i - 1))} data-testid={`step-up-${stage.name}-${i}`}>
                    <Icon.up />
                  </button>
                  <button className="btn icon ghost" aria-label="Move step down" disabled={i === stage.steps.length - 1} onClick={() => dispatch(moveStep(stage.name, i, i + 1))} data-testid={`step-down-${stage.name}-${i}`}>
                    <Icon.down />
                  </button>
                  <button className="btn icon ghost danger" aria-label="Delete step" onClick={() => dispatch(removeStep(stage.name, i))} data-testid={`step-delete-${stage.name}-${i}`}>
                    <Icon.trash />
                  </button>
                </span>
              </div>
              <FieldProblems path={['stages', index, 'steps', i]} exact={false} />
            </li>
          );
        })}
      </ol>
      <div className="add-step">
        <select
          className="field"
          value=""
          data-testid={`add-step-${stage.name}`}
          aria-label="Add a step"
          onChange={(e) => e.target.value && dispatch(addStep(stage.name, defaultStep(e.target.value as StepInput['step'], afterLast)))}
        >
          <option value="">+ Add a step…</option>
          {STEP_KINDS.map((k) => (
            <option key={k} value={k}>
              {LABEL[k]} — {STEP_HELP[k]}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
