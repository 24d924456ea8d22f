import type { ReactElement } from 'react';
import type { DataType, Schema, SpecPath, StepInput } from '@batchbook/pipeline-core';
import { Checkbox, ColumnPicker, ColumnsPicker, Labeled, Select, TextInput, TypeSelect, ValuesInput } from './fields';
import { ExprField } from './ExprField';
import { Icon } from '../ui/icons';
import { DateFormatHelp } from '../preview/ui/DateFormatHelp';

export const STEP_HELP: Record<StepInput['step'], string> = {
  trim: 'remove leading and trailing spaces',
  case: 'upper- or lower-case text',
  cast: 'change a column’s type',
  parse_date: 'read text as a date or timestamp, trying formats in order',
  parse_number: 'read text like “1,234.50” or “EUR 12,50” as a number',
  dedupe: 'keep one row per key, the first in an order',
  filter: 'keep rows where an expression is true',
  derive: 'add or replace a column from an expression',
  rename: 'rename columns',
  drop: 'remove columns',
  fill_null: 'replace empty values',
  standardise: 'map raw values to standard ones',
};

type Step<K extends StepInput['step']> = Extract<StepInput, { step: K }>;
type Change = (s: StepInput, field?: string) => void;

const ON_ERROR = [
  { value: 'reject', label: 'reject the row' },
  { value: 'null', label: 'leave it empty' },
  { value: 'fail', label: 'fail the run' },
] as const;

function OnError({ step, onChange, testId }: { step: Step<'cast'> | Step<'parse_date'> | Step<'parse_number'>; onChange: Change; testId: string }): ReactElement {
  return (
    <Labeled label="if unreadable">
      <Select value={step.on_error ?? 'reject'} options={ON_ERROR} onChange={(v) => onChange({ ...step, on_error: v })} testId={`${testId}-on-error`} />
    </Labeled>
  );
}

function RenameFields({ step, columns, onChange, testId }: { step: Step<'rename'>; columns: Schema | undefined; onChange: Change; testId: string }): ReactElement {
  const entries = Object.entries(step.columns);
  const set = (list: [string, string][]) => onChange({ ...step, columns: Object.fromEntries(list) }, 'columns');
  return (
    <div className="key-list">
      {entries.map(([from, to], i) => (
        <div className="key-row" key={i}>
          <ColumnPicker value={from} columns={columns} onChange={(c) => set(entries.map((e, j) => (j === i ? [c, e[1]] : e)))} testId={`${testId}-from-${i}`} />
          <span className="muted">→</span>
          <TextInput value={to} mono onChange={(v) => set(entries.map((e, j) => (j === i ? [e[0], v] : e)))} width="10em" testId={`${testId}-to-${i}`} ariaLabel={`new name for ${from || 'the column'}`} />
          <button className="btn icon ghost" aria-label="Remove" disabled={entries.length === 1} onClick={() => set(entries.filter((_, j) => j !== i))}>
            <Icon.close />
          </button>
        </div>
      ))}
      <button className="btn small ghost" onClick={() => set([...entries, [columns?.find((c) => !(c.name in step.columns))?.name ?? '', '']])}>
        <Icon.plus /> rename
      </button>
    </div>
  );
}

function MappingFields({ step, onChange, testId }: { step: Step<'standardise'>; onChange: Change; testId: string }): ReactElement {
  const entries = Object.entries(step.mapping);
  const set = (list: [string, string][]) => onChange({ ...step, mapping: Object.fromEntries(list) }, 'mapping');
  return (
    <div className="key-list">
      {entries.map(([from, to], i) => (
        <div className="key-row" key={i}>
          <TextInput value={from} mono placeholder="raw" ariaLabel="raw value" onChange={(v) => set(entries.map((e, j) => (j === i ? [v, e[1]] : e)))} width="8em" testId={`${testId}-raw-${i}`} />
          <span className="muted">→</span>
          <TextInput value={to} mono placeholder="standard" ariaLabel="standard value" onChange={(v) => set(entries.map((e, j) => (j === i ? [e[0], v] : e)))} width="8em" testId={`${testId}-std-${i}`} />
          <button className="btn icon ghost" aria-label="Remove" onClick={() => set(entries.filter((_, j) => j !== i))}>
            <Icon.close />
          </button>
        </div>
      ))}
      <button className="btn small ghost" onClick={() => set([...entries, [`value${entries.length + 1}`, '']])}>
        <Icon.plus /> mapping
      </button>
    </div>
  );
}

/** The fields of one cleanse step, fitted to its kind; column pickers offer the columns this step sees. */
export function StepFields({ step, columns, path, onChange, testId }: { step: StepInput; columns: Schema | undefined; path: SpecPath; onChange: Change; testId: string }): ReactElement {
  switch (step.step) {
    case 'trim':
    case 'drop':
      return <ColumnsPicker value={step.columns} columns={columns} onChange={(cs) => onChange({ ...step, columns: cs })} testId={`${testId}-columns`} />;
    case 'case':
      return (
        <>
          <ColumnsPicker value={step.columns} columns={columns} onChange={(cs) => onChange({ ...step, columns: cs })} testId={`${testId}-columns`} />
          <Select value={step.to} options={['upper', 'lower'] as const} onChange={(to) => onChange({ ...step, to })} testId={`${testId}-to`} ariaLabel="to case" />
        </>
      );
    case 'cast':
      return (
        <>
          <ColumnsPicker value={step.columns} columns={columns} onChange={(cs) => onChange({ ...step, columns: cs })} testId={`${testId}-columns`} />
          <Labeled label="to">
            <TypeSelect value={step.type as DataType} onChange={(type) => onChange({ ...step, type })} testId={`${testId}-type`} />
          </Labeled>
          <OnError step={step} onChange={onChange} testId={testId} />
        </>
      );
    case 'parse_date':
      return (
        <>
          <ColumnPicker value={step.column} columns={columns} onChange={(c) => onChange({ ...step, column: c })} testId={`${testId}-column`} />
          <Labeled label="formats" hint="strftime formats tried in order, e.g. %Y-%m-%dT%H:%M:%S%z">
            <ValuesInput value={step.formats} placeholder="%Y-%m-%d" onChange={(formats) => onChange({ ...step, formats })} testId={`${testId}-formats`} />
          </Labeled>
          <DateFormatHelp path={path} column={step.column} formats={step.formats} onUse={(formats) => onChange({ ...step, formats })} testId={testId} />
          <Labeled label="as">
            <Select value={step.type ?? 'timestamp'} options={['timestamp', 'date'] as const} onChange={(type) => onChange({ ...step, type })} testId={`${testId}-type`} />
          </Labeled>
          <Labeled label="zone of times without offset" hint="IANA name, e.g. Europe/Berlin; results are UTC">
            <TextInput value={step.timezone ?? ''} placeholder="UTC" mono width="12em" onChange={(v) => onChange({ ...step, timezone: v || undefined }, 'timezone')} testId={`${testId}-timezone`} />
          </Labeled>
          <OnError step={step} onChange={onChange} testId={testId} />
        </>
      );
    case 'parse_number':
      return (
        <>
          <ColumnPicker value={step.column} columns={columns} onChange={(c) => onChange({ ...step, column: c })} testId={`${testId}-column`} />
          <Labeled label="as">
            <TypeSelect value={(step.type ?? 'double') as DataType} onChange={(type) => onChange({ ...step, type })} testId={`${testId}-type`} />
          </Labeled>
          <Labeled label="thousands">
            <Select value={step.thousands ?? ','} options={[{ value: ',', label: '1,000' }, { value: '.', label: '1.000' }, { value: ' ', label: '1 000' }, { value: "'", label: "1'000" }, { value: '', label: 'none' }] as const} onChange={(thousands) => onChange({ ...step, thousands })} testId={`${testId}-thousands`} />
          </Labeled>
          <Labeled label="decimal">
            <Select value={step.decimal ?? '.'} options={[{ value: '.', label: '0.5' }, { value: ',', label: '0,5' }] as const} onChange={(decimal) => onChange({ ...step, decimal })} testId={`${testId}-decimal`} />
          </Labeled>
          <Checkbox checked={step.currency ?? true} label="strip currency" onChange={(currency) => onChange({ ...step, currency })} />
          <OnError step={step} onChange={onChange} testId={testId} />
        </>
      );
    case 'dedupe':
      return (
        <>
          <Labeled label="keys">
            <ColumnsPicker value={step.keys} columns={columns} onChange={(keys) => onChange({ ...step, keys })} testId={`${testId}-keys`} />
          </Labeled>
          <Labeled label="keep first by">
            <ColumnPicker value={step.order_by?.[0]?.column ?? ''} allowEmpty columns={columns} onChange={(c) => onChange({ ...step, order_by: c ? [{ column: c, direction: step.order_by?.[0]?.direction ?? 'desc' }] : [] })} testId={`${testId}-order`} />
          </Labeled>
          {step.order_by?.[0] && <Select value={step.order_by[0].direction ?? 'desc'} options={[{ value: 'desc', label: 'latest / largest' }, { value: 'asc', label: 'earliest / smallest' }] as const} onChange={(direction) => onChange({ ...step, order_by: [{ column: step.order_by![0]!.column, direction }, ...step.order_by!.slice(1)] })} testId={`${testId}-direction`} ariaLabel="keep first" />}
        </>
      );
    case 'filter':
      return (
        <>
          <ExprField value={step.expr} columns={columns} path={[...path, 'expr']} onChange={(expr) => onChange({ ...step, expr }, 'expr')} testId={`${testId}-expr`} placeholder="amount > 0" />
          <Select value={step.on_false ?? 'drop'} options={[{ value: 'drop', label: 'drop the others' }, { value: 'reject', label: 'reject the others' }] as const} onChange={(on_false) => onChange({ ...step, on_false })} testId={`${testId}-on-false`} ariaLabel="rows where it is not true" />
        </>
      );
    case 'derive':
      return (
        <>
          <TextInput value={step.column} mono width="10em" onChange={(column) => onChange({ ...step, column }, 'column')} testId={`${testId}-column`} ariaLabel="new column name" />
          <span className="muted">=</span>
          <ExprField value={step.expr} columns={columns} path={[...path, 'expr']} onChange={(expr) => onChange({ ...step, expr }, 'expr')} testId={`${testId}-expr`} />
        </>
      );
    case 'rename':
      return <RenameFields step={step} columns={columns} onChange={onChange} testId={testId} />;
    case 'fill_null':
      return (
        <>
          <ColumnsPicker value={step.columns} columns={columns} onChange={(cs) => onChange({ ...step, columns: cs })} testId={`${testId}-columns`} />
          <Labeled label="with">
            <TextInput value={String(step.value)} mono width="8em" onChange={(v) => onChange({ ...step, value: v !== '' && Number.isFinite(Number(v)) ? Number(v) : v }, 'value')} testId={`${testId}-value`} />
          </Labeled>
        </>
      );
    case 'standardise':
      return (
        <>
          <ColumnPicker value={step.column} columns={columns} onChange={(c) => onChange({ ...step, column: c })} testId={`${testId}-column`} />
          <MappingFields step={step} onChange={onChange} testId={testId} />
          <Labeled label="others">
            <Select value={step.unmapped ?? 'keep'} options={[{ value: 'keep', label: 'keep as they are' }, { value: 'null', label: 'make empty' }, { value: 'reject', label: 'reject the row' }] as const} onChange={(unmapped) => onChange({ ...step, unmapped })} testId={`${testId}-unmapped`} />
          </Labeled>
          <Checkbox checked={step.ignore_case ?? true} label="ignore case" onChange={(ignore_case) => onChange({ ...step, ignore_case })} />
        </>
      );
  }
}
