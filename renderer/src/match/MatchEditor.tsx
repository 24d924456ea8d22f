import type { ReactElement } from 'react';
import './match.css';
import { ColumnPicker, FieldProblems, Labeled, NumberInput, Select, TextInput } from '../editors/fields';
import { useEarlierStages, usePatch } from '../editors/common';
import { useSchema } from '../editors/schemas';
import { MatchKeys } from './MatchKeys';
import { Flagged } from './Flagged';
import { withAmount, withDate, withLabels, withOpenItems, type Match } from './matchPatches';

/**
 * A match cell's structured editor: which inputs, the keys they must share, how close amounts
 * and dates must be, how many left items one right item may clear, and how long an item may stay
 * open. Every edit is an `updateStage` command, so it is one undo step like any other cell's.
 */
export function MatchEditor({ stage, index }: { stage: Match; index: number }): ReactElement {
  const patch = usePatch(stage);
  const earlier = useEarlierStages(index);
  const left = useSchema(stage.left);
  const right = useSchema(stage.right);
  const at = (...p: (string | number)[]) => ['stages', index, ...p];
  const id = (what: string) => `match-${what}-${stage.name}`;
  return (
    <div className="editor-grid match-editor" data-testid={id('editor')}>
      <Labeled label="Left input" hint="The items to account for (e.g. orders)">
        <Flagged path={at('left')}>
          <Select value={stage.left} options={earlier} onChange={(v) => patch({ left: v })} testId={id('left')} />
        </Flagged>
      </Labeled>
      <Labeled label="Right input" hint="The items that clear them (e.g. settlements)">
        <Flagged path={at('right')}>
          <Select value={stage.right} options={earlier} onChange={(v) => patch({ right: v })} testId={id('right')} />
        </Flagged>
      </Labeled>
      <Labeled label="Cardinality">
        <Select
          value={stage.cardinality ?? 'one_to_one'}
          options={[
            { value: 'one_to_one', label: 'one to one' },
            { value: 'one_to_many', label: 'one to many — one right item may clear several left items' },
          ] as const}
          onChange={(v) => patch({ cardinality: v })}
          testId={id('cardinality')}
        />
      </Labeled>
      <FieldProblems path={at('left')} exact={false} />
      <FieldProblems path={at('right')} exact={false} />
      <FieldProblems path={at('cardinality')} exact={false} />

      <MatchKeys stage={stage} index={index} left={left} right={right} />

      <fieldset className="match-group" data-testid={id('amount-group')}>
        <legend className="labeled-label">Amount</legend>
        <Labeled label="Left amount">
          <Flagged path={at('amount', 'left')}>
            <ColumnPicker value={stage.amount?.left ?? ''} columns={left} allowEmpty onChange={(c) => patch(withAmount(stage, 'left', c, right))} testId={id('amount-left')} ariaLabel="Left amount column" />
          </Flagged>
        </Labeled>
        <Labeled label="Right amount">
          <Flagged path={at('amount', 'right')}>
            <ColumnPicker value={stage.amount?.right ?? ''} columns={right} allowEmpty onChange={(c) => patch(withAmount(stage, 'right', c, left))} testId={id('amount-right')} ariaLabel="Right amount column" />
          </Flagged>
        </Labeled>
        <Labeled label="Absolute tolerance" hint="Amounts agree when |right − left| ≤ the larger of the two tolerances">
          <Flagged path={at('tolerance', 'absolute')}>
            <NumberInput value={stage.tolerance?.absolute} onChange={(v) => patch({ tolerance: tolerance(stage, { absolute: v }) })} testId={id('tol-abs')} placeholder="0" ariaLabel="Absolute tolerance" />
          </Flagged>
        </Labeled>
        <Labeled label="Relative tolerance" hint="A share of the left amount, e.g. 0.001 for 0.1 %">
          <Flagged path={at('tolerance', 'relative')}>
            <NumberInput value={stage.tolerance?.relative} onChange={(v) => patch({ tolerance: tolerance(stage, { relative: v }) })} testId={id('tol-rel')} placeholder="—" ariaLabel="Relative tolerance" />
          </Flagged>
        </Labeled>
        <FieldProblems path={at('amount')} exact={false} />
        <FieldProblems path={at('tolerance')} exact={false} />
      </fieldset>

      <fieldset className="match-group" data-testid={id('date-group')}>
        <legend className="labeled-label">Date window</legend>
        <Labeled label="Left date">
          <Flagged path={at('date', 'left')}>
            <ColumnPicker value={stage.date?.left ?? ''} columns={left} allowEmpty onChange={(c) => patch(withDate(stage, 'left', c, right))} testId={id('date-left')} ariaLabel="Left date column" />
          </Flagged>
        </Labeled>
        <Labeled label="Right date">
          <Flagged path={at('date', 'right')}>
            <ColumnPicker value={stage.date?.right ?? ''} columns={right} allowEmpty onChange={(c) => patch(withDate(stage, 'right', c, left))} testId={id('date-right')} ariaLabel="Right date column" />
          </Flagged>
        </Labeled>
        <Labeled label="Within days" hint="The right date falls on the left date or up to this many days after it">
          <Flagged path={at('date', 'within_days')}>
            <NumberInput value={stage.date?.within_days} onChange={(v) => stage.date && patch({ date: { ...stage.date, within_days: v ?? 0 } })} testId={id('within-days')} placeholder="0" ariaLabel="Within days" />
          </Flagged>
        </Labeled>
        <FieldProblems path={at('date')} exact={false} />
      </fieldset>

      <fieldset className="match-group" data-testid={id('open-group')}>
        <legend className="labeled-label">Labels and open items</legend>
        <Labeled label="Left item is a" hint="What one left item is called in the run summary">
          <TextInput value={stage.labels?.left ?? ''} placeholder="left item" onChange={(v) => patch(withLabels(stage, 'left', v), 'labels.left')} testId={id('label-left')} width="9em" />
        </Labeled>
        <Labeled label="Right item is a" hint="What one right item is called in the run summary">
          <TextInput value={stage.labels?.right ?? ''} placeholder="right item" onChange={(v) => patch(withLabels(stage, 'right', v), 'labels.right')} testId={id('label-right')} width="9em" />
        </Labeled>
        <Labeled label="Max age (days)" hint="An item open longer than this fails the open_items_age rule">
          <Flagged path={at('open_items', 'max_age_days')}>
            <NumberInput value={stage.open_items?.max_age_days} onChange={(v) => patch(withOpenItems(stage, { max_age_days: v }))} testId={id('max-age')} placeholder="none" ariaLabel="Max age (days)" />
          </Flagged>
        </Labeled>
        <Labeled label="Severity">
          <Select value={stage.open_items?.severity ?? 'error'} options={['error', 'warn'] as const} onChange={(v) => patch(withOpenItems(stage, { severity: v }))} testId={id('severity')} />
        </Labeled>
        <label className="check match-carry">
          <input type="checkbox" checked={stage.open_items?.carry !== false} onChange={(e) => patch(withOpenItems(stage, { carry: e.target.checked }))} data-testid={id('carry')} />
          carry open items to later run dates
        </label>
        <FieldProblems path={at('labels')} exact={false} />
        <FieldProblems path={at('open_items')} exact={false} />
      </fieldset>
      <FieldProblems path={at()} />
    </div>
  );
}

function tolerance(stage: Match, change: { absolute?: number | undefined; relative?: number | undefined }): Match['tolerance'] {
  const next = { ...stage.tolerance, ...change };
  const clean = Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined));
  return Object.keys(clean).length ? clean : undefined;
}
