import type { ReactElement } from 'react';
import type { JoinKey } from '@batchbook/pipeline-core';
import { ColumnPicker, FieldProblems, InputsPicker, Labeled, Select, TextInput } from './fields';
import { useEarlierStages, usePatch, type Of } from './common';
import { useSchema } from './schemas';
import { Icon } from '../ui/icons';

type Key = Exclude<Of<'join'>['on'][number], string> | string;
const pair = (k: Key | JoinKey) => (typeof k === 'string' ? { left: k, right: k } : k);

/** Two inputs, the key pairs they are matched on, and the kind of join. */
export function JoinEditor({ stage, index }: { stage: Of<'join'>; index: number }): ReactElement {
  const patch = usePatch(stage);
  const earlier = useEarlierStages(index);
  const left = useSchema(stage.left);
  const right = useSchema(stage.right);
  const setKey = (i: number, k: { left: string; right: string }) => patch({ on: stage.on.map((x, j) => (j === i ? (k.left === k.right ? k.left : k) : x)) });
  return (
    <div className="editor-grid">
      <Labeled label="Left">
        <Select value={stage.left} options={earlier} onChange={(v) => patch({ left: v })} testId={`join-left-${stage.name}`} />
      </Labeled>
      <Labeled label="Join">
        <Select value={stage.type} options={[{ value: 'inner', label: 'inner — matches only' }, { value: 'left', label: 'left — keep every left row' }, { value: 'full', label: 'full — keep all rows' }, { value: 'anti', label: 'anti — left rows without a match' }] as const} onChange={(v) => patch({ type: v })} testId={`join-type-${stage.name}`} />
      </Labeled>
      <Labeled label="Right">
        <Select value={stage.right} options={earlier} onChange={(v) => patch({ right: v })} testId={`join-right-${stage.name}`} />
      </Labeled>
      <Labeled label="Right prefix" hint="Prepended to right-hand columns whose names clash with the left's">
        <TextInput value={stage.right_prefix ?? ''} mono placeholder="r_" onChange={(v) => patch({ right_prefix: v || undefined }, 'right_prefix')} width="7em" testId={`join-prefix-${stage.name}`} />
      </Labeled>
      <div className="wide-row">
        <span className="labeled-label">On</span>
        <div className="key-list">
          {stage.on.map((k, i) => (
            <div key={i} className="key-row">
              <ColumnPicker value={pair(k).left} columns={left} onChange={(c) => setKey(i, { ...pair(k), left: c })} testId={`join-key-left-${stage.name}-${i}`} />
              <span className="muted">=</span>
              <ColumnPicker value={pair(k).right} columns={right} onChange={(c) => setKey(i, { ...pair(k), right: c })} testId={`join-key-right-${stage.name}-${i}`} />
              <button className="btn icon ghost" aria-label="Remove key" disabled={stage.on.length === 1} onClick={() => patch({ on: stage.on.filter((_, j) => j !== i) })}>
                <Icon.close />
              </button>
            </div>
          ))}
          <button className="btn small ghost" onClick={() => patch({ on: [...stage.on, left?.[0]?.name ?? 'id'] })}>
            <Icon.plus /> key
          </button>
        </div>
      </div>
      <FieldProblems path={['stages', index]} exact={false} />
    </div>
  );
}

/** Inputs stacked by column name. */
export function UnionEditor({ stage, index }: { stage: Of<'union'>; index: number }): ReactElement {
  const patch = usePatch(stage);
  const earlier = useEarlierStages(index);
  return (
    <div className="editor-grid">
      <div className="wide-row">
        <span className="labeled-label">Inputs</span>
        <InputsPicker value={stage.inputs} options={earlier} onChange={(inputs) => patch({ inputs })} />
      </div>
      <FieldProblems path={['stages', index]} exact={false} />
    </div>
  );
}
