import type { ReactElement } from 'react';
import type { Measure } from '@batchbook/pipeline-core';
import { ColumnPicker, ColumnsPicker, FieldProblems, Labeled, Select, TextInput } from './fields';
import { ExprField } from './ExprField';
import { useEarlierStages, usePatch, type Of } from './common';
import { useSchema } from './schemas';
import { Icon } from '../ui/icons';

type M = Of<'aggregate'>['measures'][number];
type Fn = NonNullable<Measure['fn']>;
/** 'computed': no fn, the expression reads the group columns and the measures before it. */
const FNS: readonly (Fn | 'computed')[] = ['count', 'count_if', 'sum', 'avg', 'min', 'max', 'count_distinct', 'computed'];

/** Group-by columns and the measures computed per group. */
export function AggregateEditor({ stage, index }: { stage: Of<'aggregate'>; index: number }): ReactElement {
  const patch = usePatch(stage);
  const earlier = useEarlierStages(index);
  const columns = useSchema(stage.input);
  const output = useSchema(stage.name);
  const setMeasure = (i: number, m: M, field?: string) => patch({ measures: stage.measures.map((x, j) => (j === i ? m : x)) }, field && `measures.${i}.${field}`);
  return (
    <div className="editor-grid">
      <Labeled label="Input">
        <Select value={stage.input} options={earlier} onChange={(v) => patch({ input: v })} testId={`aggregate-input-${stage.name}`} />
      </Labeled>
      <Labeled label="Group by" wide>
        <ColumnsPicker value={stage.group_by} columns={columns} onChange={(cs) => patch({ group_by: cs })} testId={`aggregate-group-${stage.name}`} />
      </Labeled>
      <div className="wide-row">
        <span className="labeled-label">Measures</span>
        <div className="key-list">
          {stage.measures.map((m, i) => (
            <div key={i} className="key-row measure-row">
              <TextInput value={m.name} mono onChange={(v) => setMeasure(i, { ...m, name: v }, 'name')} width="9em" testId={`measure-name-${stage.name}-${i}`} ariaLabel="measure name" />
              <span className="muted">=</span>
              <Select value={m.fn ?? 'computed'} options={FNS} onChange={(fn) => setMeasure(i, fn === 'computed' ? { name: m.name, expr: m.expr ?? '' } : { ...m, fn: fn as Fn })} testId={`measure-fn-${stage.name}-${i}`} ariaLabel="measure function" />
              {m.expr !== undefined ? (
                <ExprField value={m.expr} columns={m.fn === undefined ? output?.slice(0, stage.group_by.length + i) : columns} path={['stages', index, 'measures', i, 'expr']} onChange={(v) => setMeasure(i, { ...m, expr: v }, 'expr')} testId={`measure-expr-${stage.name}-${i}`} />
              ) : (
                m.fn !== 'count' || m.column !== undefined ? <ColumnPicker value={m.column ?? ''} columns={columns} allowEmpty={m.fn === 'count'} onChange={(c) => setMeasure(i, { ...m, column: c || undefined })} testId={`measure-column-${stage.name}-${i}`} ariaLabel="measure column" /> : <span className="muted small">rows</span>
              )}
              <button className="btn small ghost" title={m.expr !== undefined ? 'Use a column' : 'Use an expression'} onClick={() => setMeasure(i, m.expr !== undefined ? { name: m.name, fn: m.fn } : { name: m.name, fn: m.fn, expr: m.column ?? '' })}>
                {m.expr !== undefined ? 'column' : 'ƒx'}
              </button>
              <button className="btn icon ghost" aria-label="Remove measure" disabled={stage.measures.length === 1} onClick={() => patch({ measures: stage.measures.filter((_, j) => j !== i) })}>
                <Icon.close />
              </button>
            </div>
          ))}
          <button className="btn small ghost" onClick={() => patch({ measures: [...stage.measures, { name: `m${stage.measures.length + 1}`, fn: 'count' }] })} data-testid={`add-measure-${stage.name}`}>
            <Icon.plus /> measure
          </button>
        </div>
      </div>
      <FieldProblems path={['stages', index]} exact={false} />
    </div>
  );
}
