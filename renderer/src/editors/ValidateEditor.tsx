import type { ReactElement } from 'react';
import { addRule, moveRule, removeRule, updateRule, type RuleInput, type Schema, type SpecPath } from '@batchbook/pipeline-core';
import { useDoc } from '../store/docStore';
import { Icon } from '../ui/icons';
import { ColumnPicker, ColumnsPicker, FieldProblems, Labeled, NumberInput, Select, TextInput, ValuesInput } from './fields';
import { ExprField } from './ExprField';
import { useEarlierStages, usePatch, type Of } from './common';
import { useSchema, useSchemas } from './schemas';

type Kind = RuleInput['rule'];

/** Rules whose fields need a row of their own (two sides, a target stage, an expression). */
const WIDE: ReadonlySet<Kind> = new Set(['reconcile', 'relationship', 'expression']);
type Change = (r: RuleInput, field?: string) => void;

const RULES: readonly { value: Kind; label: string }[] = [
  { value: 'not_null', label: 'not null' },
  { value: 'unique', label: 'unique' },
  { value: 'accepted_values', label: 'accepted values' },
  { value: 'range', label: 'range' },
  { value: 'regex', label: 'matches pattern' },
  { value: 'relationship', label: 'exists in (relationship)' },
  { value: 'expression', label: 'expression holds' },
  { value: 'row_count', label: 'row count' },
  { value: 'freshness', label: 'freshness' },
  { value: 'reconcile', label: 'reconcile totals' },
  { value: 'conservation', label: 'rows conserved' },
];

export function defaultRule(kind: Kind, columns: Schema | undefined, stages: readonly string[]): RuleInput {
  const first = columns?.[0]?.name ?? '';
  const numeric = columns?.find((c) => c.type !== 'string' && c.type !== 'boolean')?.name ?? first;
  switch (kind) {
    case 'not_null':
    case 'unique':
      return { rule: kind, columns: [first] };
    case 'accepted_values':
      return { rule: kind, column: first, values: ['A'] };
    case 'range':
      return { rule: kind, column: numeric, min: 0 };
    case 'regex':
      return { rule: kind, column: first, pattern: '.+' };
    case 'relationship':
      return { rule: kind, columns: [first], to: stages[0] ?? '', severity: 'warn', action: 'reject' };
    case 'expression':
      return { rule: kind, expr: `${first} IS NOT NULL` };
    case 'row_count':
      return { rule: kind, min: 1 };
    case 'freshness':
      return { rule: kind, column: first, max_age_hours: 24 };
    case 'reconcile':
      return { rule: kind, left: { stage: stages[0] ?? '', fn: 'count' }, right: { fn: 'count' }, tolerance: { absolute: 0 } };
    case 'conservation':
      return { rule: kind };
  }
}

function RuleFields({ rule, columns, path, stages, onChange, testId }: { rule: RuleInput; columns: Schema | undefined; path: SpecPath; stages: readonly string[]; onChange: Change; testId: string }): ReactElement | null {
  const schemas = useSchemas();
  switch (rule.rule) {
    case 'not_null':
    case 'unique':
      return <ColumnsPicker value={rule.columns} columns={columns} onChange={(cs) => onChange({ ...rule, columns: cs })} testId={`${testId}-columns`} />;
    case 'accepted_values':
      return (
        <>
          <ColumnPicker value={rule.column} columns={columns} onChange={(c) => onChange({ ...rule, column: c })} testId={`${testId}-column`} />
          <Labeled label="one of">
            <ValuesInput value={rule.values.map(String)} placeholder="value" onChange={(values) => onChange({ ...rule, values })} testId={`${testId}-values`} />
          </Labeled>
        </>
      );
    case 'range':
      return (
        <>
          <ColumnPicker value={rule.column} columns={columns} onChange={(c) => onChange({ ...rule, column: c })} testId={`${testId}-column`} />
          <Labeled label="min">
            <NumberInput value={typeof rule.min === 'number' ? rule.min : undefined} onChange={(min) => onChange({ ...rule, min })} testId={`${testId}-min`} />
          </Labeled>
          <Labeled label="max">
            <NumberInput value={typeof rule.max === 'number' ? rule.max : undefined} onChange={(max) => onChange({ ...rule, max })} testId={`${testId}-max`} />
          </Labeled>
        </>
      );
    case 'regex':
      return (
        <>
          <ColumnPicker value={rule.column} columns={columns} onChange={(c) => onChange({ ...rule, column: c })} testId={`${testId}-column`} />
          <TextInput value={rule.pattern} mono width="14em" onChange={(pattern) => onChange({ ...rule, pattern }, 'pattern')} testId={`${testId}-pattern`} ariaLabel="regular expression" />
        </>
      );
    case 'relationship':
      return (
        <>
          <ColumnsPicker value={rule.columns} columns={columns} onChange={(cs) => onChange({ ...rule, columns: cs })} testId={`${testId}-columns`} />
          <Labeled label="exists in">
            <Select value={rule.to} options={stages} onChange={(to) => onChange({ ...rule, to })} testId={`${testId}-to`} />
          </Labeled>
          <Labeled label="as">
            <ColumnsPicker value={rule.to_columns ?? rule.columns} columns={schemas.get(rule.to)} onChange={(cs) => onChange({ ...rule, to_columns: cs })} testId={`${testId}-to-columns`} />
          </Labeled>
        </>
      );
    case 'expression':
      return <ExprField value={rule.expr} columns={columns} path={[...path, 'expr']} onChange={(expr) => onChange({ ...rule, expr }, 'expr')} testId={`${testId}-expr`} />;
    case 'row_count':
      return (
        <>
          <Labeled label="min">
            <NumberInput value={rule.min} onChange={(min) => onChange({ ...rule, min })} testId={`${testId}-min`} />
          </Labeled>
          <Labeled label="max">
            <NumberInput value={rule.max} onChange={(max) => onChange({ ...rule, max })} testId={`${testId}-max`} />
          </Labeled>
        </>
      );
    case 'freshness':
      return (
        <>
          <ColumnPicker value={rule.column} columns={columns} onChange={(c) => onChange({ ...rule, column: c })} testId={`${testId}-column`} />
          <Labeled label="within hours">
            <NumberInput value={rule.max_age_hours} onChange={(h) => onChange({ ...rule, max_age_hours: h ?? 24 })} testId={`${testId}-hours`} />
          </Labeled>
        </>
      );
    case 'reconcile': {
      const side = (which: 'left' | 'right') => {
        const m = rule[which];
        const cols = m.stage ? schemas.get(m.stage) : columns;
        const set = (patch: Partial<typeof m>) => onChange({ ...rule, [which]: { ...m, ...patch } });
        return (
          <span className="reconcile-side">
            <Select value={m.stage ?? ''} options={[{ value: '', label: 'this input' }, ...stages.map((s) => ({ value: s, label: s }))]} onChange={(s) => set({ stage: s || undefined })} testId={`${testId}-${which}-stage`} ariaLabel={`${which} side: cell`} />
            <Select value={m.fn} options={['sum', 'count', 'count_distinct', 'min', 'max', 'avg'] as const} onChange={(fn) => set({ fn })} testId={`${testId}-${which}-fn`} ariaLabel={`${which} side: measure`} />
            {m.fn !== 'count' && <ColumnPicker value={m.column ?? ''} columns={cols} onChange={(c) => set({ column: c })} testId={`${testId}-${which}-column`} ariaLabel={`${which} side: column`} />}
            <span className="muted">per</span>
            <ColumnsPicker value={m.group_by ?? []} columns={cols} onChange={(group_by) => set({ group_by })} testId={`${testId}-${which}-group`} />
          </span>
        );
      };
      return (
        <div className="reconcile">
          {side('left')}
          <span className="muted">must equal</span>
          {side('right')}
          <Labeled label="within ±">
            <NumberInput value={rule.tolerance?.absolute} onChange={(absolute) => onChange({ ...rule, tolerance: { ...rule.tolerance, absolute } })} testId={`${testId}-tolerance`} />
          </Labeled>
        </div>
      );
    }
    case 'conservation':
      return (
        <Labeled label="rows in = out + rejected, since">
          <Select value={rule.stage ?? ''} options={[{ value: '', label: 'this cell’s input' }, ...stages.map((s) => ({ value: s, label: s }))]} onChange={(s) => onChange({ ...rule, stage: s || undefined })} testId={`${testId}-stage`} />
        </Labeled>
      );
  }
}

/** Rules, each with its type, columns, parameters, severity and what happens to failing rows. */
export function ValidateEditor({ stage, index }: { stage: Of<'validate'>; index: number }): ReactElement {
  const dispatch = useDoc((s) => s.dispatch);
  const patch = usePatch(stage);
  const earlier = useEarlierStages(index);
  const columns = useSchema(stage.input);
  return (
    <div className="validate">
      <div className="editor-row">
        <Labeled label="Input">
          <Select value={stage.input} options={earlier} onChange={(v) => patch({ input: v })} testId={`validate-input-${stage.name}`} />
        </Labeled>
      </div>
      <ol className="rules" data-testid={`rules-${stage.name}`}>
        {stage.rules.map((rule, i) => {
          const tid = `rule-${stage.name}-${i}`;
          const change: Change = (r, field) => dispatch(updateRule(stage.name, i, r), field ? `${stage.name}.rules.${i}.${field}` : undefined);
          return (
            <li key={i} className={`rule ${WIDE.has(rule.rule) ? 'wide' : ''}`} data-testid={tid}>
              <div className="rule-head">
                <Select value={rule.rule} options={RULES} onChange={(k) => change({ ...defaultRule(k, columns, earlier), ...(rule.name ? { name: rule.name } : {}) })} testId={`${tid}-kind`} ariaLabel="rule type" />
                <div className="rule-fields">
                  <RuleFields rule={rule} columns={columns} path={['stages', index, 'rules', i]} stages={earlier} onChange={change} testId={tid} />
                </div>
                <span className="rule-policy">
                  <Select value={rule.severity ?? 'error'} options={[{ value: 'error', label: 'error' }, { value: 'warn', label: 'warning' }] as const} onChange={(severity) => change({ ...rule, severity })} testId={`${tid}-severity`} ariaLabel="severity" />
                  <Select value={rule.action ?? 'fail'} options={[{ value: 'fail', label: 'stop the run' }, { value: 'reject', label: 'reject failing rows' }, { value: 'warn', label: 'only report' }] as const} onChange={(action) => change({ ...rule, action })} testId={`${tid}-action`} ariaLabel="on failure" />
                  <TextInput value={rule.name ?? ''} placeholder="name (optional)" mono width={WIDE.has(rule.rule) ? '16em' : '11em'} onChange={(name) => change({ ...rule, name: name || undefined }, 'name')} testId={`${tid}-name`} ariaLabel="rule name" />
                  <button className="btn icon ghost" aria-label="Move rule up" title="Move up (rules are checked and reported in this order)" disabled={i === 0} onClick={() => dispatch(moveRule(stage.name, i, i - 1))} data-testid={`${tid}-up`}>
                    <Icon.up />
                  </button>
                  <button className="btn icon ghost" aria-label="Move rule down" title="Move down" disabled={i === stage.rules.length - 1} onClick={() => dispatch(moveRule(stage.name, i, i + 1))} data-testid={`${tid}-down`}>
                    <Icon.down />
                  </button>
                  <button className="btn icon ghost danger" aria-label="Delete rule" disabled={stage.rules.length === 1} onClick={() => dispatch(removeRule(stage.name, i))} data-testid={`${tid}-delete`}>
                    <Icon.trash />
                  </button>
                </span>
              </div>
              <FieldProblems path={['stages', index, 'rules', i]} exact={false} />
            </li>
          );
        })}
      </ol>
      <select className="field" value="" data-testid={`add-rule-${stage.name}`} aria-label="Add a rule" onChange={(e) => e.target.value && dispatch(addRule(stage.name, defaultRule(e.target.value as Kind, columns, earlier)))}>
        <option value="">+ Add a rule…</option>
        {RULES.map((r) => (
          <option key={r.value} value={r.value}>
            {r.label}
          </option>
        ))}
      </select>
      <FieldProblems path={['stages', index, 'input']} />
    </div>
  );
}

