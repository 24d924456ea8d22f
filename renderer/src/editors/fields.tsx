import { useEffect, useState, type ReactElement, type ReactNode } from 'react';
import { SCALAR_TYPES_LIST, type DataType, type Schema, type SpecDiagnostic, type SpecPath } from './types';
import { useDoc } from '../store/docStore';

/** Small controls the structured editors are built from; each shows the problems at its path. */

const samePath = (a: SpecPath, b: SpecPath) => a.length === b.length && a.every((x, i) => x === b[i]);
const under = (p: SpecPath, prefix: SpecPath) => prefix.every((x, i) => p[i] === x);

/** Problems at a path (or, not exact, anywhere under it except in expressions: their editors show those). */
export function useDiagnostics(path: SpecPath, exact = true): SpecDiagnostic[] {
  const all = useDoc((s) => s.check?.diagnostics);
  const shownByEditor = (d: SpecDiagnostic) => ['expr', 'sql'].includes(String(d.path[d.path.length - 1]));
  return (all ?? []).filter((d) => (exact ? samePath(d.path, path) : under(d.path, path) && !shownByEditor(d)));
}

export function FieldProblems({ path, exact = true }: { path: SpecPath; exact?: boolean }): ReactElement | null {
  const ds = useDiagnostics(path, exact);
  if (ds.length === 0) return null;
  return (
    <div className="field-problems" data-testid={`problem-${path.join('.')}`}>
      {ds.map((d, i) => (
        <div key={i} className={d.severity === 'error' ? 'error-text' : 'warn-text'}>
          {d.message}
          {d.hint && <span className="muted"> — {d.hint}</span>}
        </div>
      ))}
    </div>
  );
}

export function Labeled({ label, children, hint, wide }: { label: string; children: ReactNode; hint?: string; wide?: boolean }): ReactElement {
  return (
    <label className={`labeled ${wide ? 'wide' : ''}`} title={hint}>
      <span className="labeled-label">{label}</span>
      {children}
    </label>
  );
}

/** A text input that edits on every keystroke (one undo step per burst of typing). */
export function TextInput(props: {
  value: string;
  onChange: (v: string) => void;
  placeholder?: string;
  mono?: boolean;
  testId?: string;
  invalid?: boolean;
  width?: number | string;
  /** The accessible name when the input is not inside a <Labeled> (screen readers announce it). */
  ariaLabel?: string;
}): ReactElement {
  return (
    <input
      className={`field ${props.mono ? 'mono' : ''} ${props.invalid ? 'invalid' : ''}`}
      value={props.value}
      aria-label={props.ariaLabel}
      placeholder={props.placeholder}
      data-testid={props.testId}
      style={props.width !== undefined ? { width: props.width } : undefined}
      spellCheck={false}
      onChange={(e) => props.onChange(e.target.value)}
    />
  );
}

/** A text input that applies on Enter or blur (renames, where every keystroke would be wrong). */
export function CommitInput(props: { value: string; onCommit: (v: string) => void; testId?: string; className?: string; ariaLabel?: string; size?: number }): ReactElement {
  const [draft, setDraft] = useState(props.value);
  useEffect(() => setDraft(props.value), [props.value]);
  const commit = () => {
    if (draft.trim() && draft !== props.value) props.onCommit(draft.trim());
    else setDraft(props.value);
  };
  return (
    <input
      className={props.className ?? 'field'}
      value={draft}
      aria-label={props.ariaLabel}
      data-testid={props.testId}
      spellCheck={false}
      size={props.size}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
        if (e.key === 'Escape') {
          setDraft(props.value);
          (e.target as HTMLInputElement).blur();
        }
      }}
    />
  );
}

export function NumberInput(props: { value: number | undefined; onChange: (v: number | undefined) => void; testId?: string; placeholder?: string; ariaLabel?: string }): ReactElement {
  const [draft, setDraft] = useState(props.value === undefined ? '' : String(props.value));
  useEffect(() => setDraft(props.value === undefined ? '' : String(props.value)), [props.value]);
  const bad = draft.trim() !== '' && !Number.isFinite(Number(draft));
  return (
    <input
      className={`field num ${bad ? 'invalid' : ''}`}
      value={draft}
      inputMode="decimal"
      aria-label={props.ariaLabel}
      placeholder={props.placeholder ?? '—'}
      data-testid={props.testId}
      onChange={(e) => {
        setDraft(e.target.value);
        const t = e.target.value.trim();
        if (t === '') props.onChange(undefined);
        else if (Number.isFinite(Number(t))) props.onChange(Number(t));
      }}
    />
  );
}

export function Select<T extends string>(props: { value: T; options: readonly T[] | readonly { value: T; label: string }[]; onChange: (v: T) => void; testId?: string; ariaLabel?: string }): ReactElement {
  const opts = props.options.map((o) => (typeof o === 'string' ? { value: o, label: o } : o));
  const known = opts.some((o) => o.value === props.value);
  return (
    <select className="field" value={props.value} data-testid={props.testId} aria-label={props.ariaLabel} onChange={(e) => props.onChange(e.target.value as T)}>
      {!known && <option value={props.value}>{props.value || '—'}</option>}
      {opts.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}

export function TypeSelect({ value, onChange, testId, ariaLabel }: { value: DataType; onChange: (t: DataType) => void; testId?: string; ariaLabel?: string }): ReactElement {
  const options = [...new Set([...SCALAR_TYPES_LIST, 'decimal(12,2)', 'decimal(18,4)', value])] as DataType[];
  return <Select value={value} options={options} onChange={onChange} testId={testId} ariaLabel={ariaLabel ?? 'type'} />;
}

/** One column of the input, chosen from its schema (a name not in it stays, marked). */
export function ColumnPicker({ value, columns, onChange, testId, allowEmpty, ariaLabel }: { value: string; columns: Schema | undefined; onChange: (c: string) => void; testId?: string; allowEmpty?: boolean; ariaLabel?: string }): ReactElement {
  const names = columns?.map((c) => c.name) ?? [];
  const unknown = value !== '' && columns !== undefined && !names.includes(value);
  return (
    <select className={`field mono ${unknown ? 'invalid' : ''}`} value={value} data-testid={testId} onChange={(e) => onChange(e.target.value)} aria-label={ariaLabel ?? 'column'}>
      {(allowEmpty || value === '') && <option value="">{allowEmpty ? '(none)' : 'choose a column…'}</option>}
      {(unknown || (value !== '' && columns === undefined)) && <option value={value}>{value}</option>}
      {columns?.map((c) => (
        <option key={c.name} value={c.name}>
          {c.name} · {c.type}
        </option>
      ))}
    </select>
  );
}

/** Several columns, as removable chips plus a picker for the next one. */
export function ColumnsPicker({ value, columns, onChange, testId }: { value: readonly string[]; columns: Schema | undefined; onChange: (cs: string[]) => void; testId?: string }): ReactElement {
  const rest = columns?.filter((c) => !value.includes(c.name)) ?? [];
  const names = columns?.map((c) => c.name);
  return (
    <div className="chips" data-testid={testId}>
      {value.map((c) => (
        <span key={c} className={`chip mono ${names && !names.includes(c) ? 'invalid' : ''}`}>
          {c}
          <button className="chip-x" aria-label={`remove ${c}`} onClick={() => onChange(value.filter((x) => x !== c))}>
            ×
          </button>
        </span>
      ))}
      {rest.length > 0 && (
        <select className="field chip-add" value="" aria-label="add column" data-testid={testId ? `${testId}-add` : undefined} onChange={(e) => e.target.value && onChange([...value, e.target.value])}>
          <option value="">+ column</option>
          {rest.map((c) => (
            <option key={c.name} value={c.name}>
              {c.name}
            </option>
          ))}
        </select>
      )}
    </div>
  );
}

/** Several free-form values (accepted values, date formats) as chips with a text box. */
export function ValuesInput({ value, onChange, placeholder, testId }: { value: readonly string[]; onChange: (vs: string[]) => void; placeholder: string; testId?: string }): ReactElement {
  const [draft, setDraft] = useState('');
  const add = () => {
    if (draft.trim() === '') return;
    onChange([...value, draft]);
    setDraft('');
  };
  return (
    <div className="chips" data-testid={testId}>
      {value.map((v, i) => (
        <span key={`${v}-${i}`} className="chip mono">
          {v}
          <button className="chip-x" aria-label={`remove ${v}`} onClick={() => onChange(value.filter((_, k) => k !== i))}>
            ×
          </button>
        </span>
      ))}
      <input className="field chip-input mono" value={draft} placeholder={placeholder} aria-label={`add ${placeholder}`} onChange={(e) => setDraft(e.target.value)} onBlur={add} onKeyDown={(e) => e.key === 'Enter' && add()} data-testid={testId ? `${testId}-input` : undefined} />
    </div>
  );
}

export function Checkbox({ checked, onChange, label, testId }: { checked: boolean; onChange: (v: boolean) => void; label: string; testId?: string }): ReactElement {
  return (
    <label className="check">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} data-testid={testId} />
      {label}
    </label>
  );
}

/** Several input cells (union, SQL), as removable chips plus a picker of the cells above. */
export function InputsPicker({ value, options, onChange }: { value: readonly string[]; options: readonly string[]; onChange: (inputs: string[]) => void }): ReactElement {
  return (
    <div className="chips">
      {value.map((n, i) => (
        <span key={`${n}-${i}`} className="chip mono">
          {n}
          <button className="chip-x" aria-label={`remove ${n}`} onClick={() => onChange(value.filter((_, j) => j !== i))}>
            ×
          </button>
        </span>
      ))}
      <select className="field chip-add" value="" onChange={(e) => e.target.value && onChange([...value, e.target.value])} aria-label="add input">
        <option value="">+ input</option>
        {options.filter((n) => !value.includes(n)).map((n) => (
          <option key={n}>{n}</option>
        ))}
      </select>
    </div>
  );
}
