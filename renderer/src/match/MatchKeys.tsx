import type { ReactElement } from 'react';
import type { Schema } from '@batchbook/pipeline-core';
import { ColumnPicker, FieldProblems } from '../editors/fields';
import { usePatch } from '../editors/common';
import { Flagged } from './Flagged';
import { Icon } from '../ui/icons';
import { keyOf, keyPair, toggleNormaliser, type KeyPair, type Match } from './matchPatches';

/** The match keys: pairs of columns that must be equal, each optionally trimmed and upper-cased on both sides first. */
export function MatchKeys({ stage, index, left, right }: { stage: Match; index: number; left: Schema | undefined; right: Schema | undefined }): ReactElement {
  const patch = usePatch(stage);
  const keys = stage.keys.map(keyPair);
  const setKey = (i: number, k: KeyPair) => patch({ keys: keys.map((x, j) => keyOf(j === i ? k : x)) });
  const add = () => {
    const name = left?.find((c) => !keys.some((k) => k.left === c.name))?.name ?? left?.[0]?.name ?? 'id';
    patch({ keys: [...stage.keys, keyOf({ left: name, right: right?.some((c) => c.name === name) ? name : (right?.[0]?.name ?? name), normalise: [] })] });
  };
  return (
    <fieldset className="match-group" data-testid={`match-keys-${stage.name}`}>
      <legend className="labeled-label">Match keys</legend>
      <div className="key-list">
        {keys.map((k, i) => {
          const n = i + 1;
          const id = (what: string) => `match-key-${what}-${stage.name}-${i}`;
          return (
            <div key={i} className="key-row-block">
              <div className="key-row">
                <Flagged path={['stages', index, 'keys', i, 'left']}>
                  <ColumnPicker value={k.left} columns={left} onChange={(c) => setKey(i, { ...k, left: c })} testId={id('left')} ariaLabel={`Key ${n} left column`} />
                </Flagged>
                <span className="muted" aria-hidden>
                  =
                </span>
                <Flagged path={['stages', index, 'keys', i, 'right']}>
                  <ColumnPicker value={k.right} columns={right} onChange={(c) => setKey(i, { ...k, right: c })} testId={id('right')} ariaLabel={`Key ${n} right column`} />
                </Flagged>
                {(['trim', 'upper'] as const).map((step) => (
                  <label key={step} className="check">
                    <input type="checkbox" checked={k.normalise.includes(step)} onChange={(e) => setKey(i, toggleNormaliser(k, step, e.target.checked))} data-testid={id(step)} aria-label={`${step} key ${n}`} />
                    {step}
                  </label>
                ))}
                {k.normalise.includes('lower') && <span className="muted">lower (in pipeline.yaml)</span>}
                <button className="btn icon ghost" aria-label={`Remove key ${n}`} title="Remove key" disabled={keys.length === 1} onClick={() => patch({ keys: stage.keys.filter((_, j) => j !== i) })} data-testid={id('remove')}>
                  <Icon.close />
                </button>
              </div>
              <FieldProblems path={['stages', index, 'keys', i]} exact={false} />
            </div>
          );
        })}
        <button className="btn small ghost" onClick={add} data-testid={`match-key-add-${stage.name}`}>
          <Icon.plus /> key
        </button>
      </div>
      <FieldProblems path={['stages', index, 'keys']} />
    </fieldset>
  );
}
