import { lazy, Suspense, useRef, type ReactElement } from 'react';
import type { Schema, SpecPath } from '@batchbook/pipeline-core';
import { FieldProblems, useDiagnostics } from './fields';
import { useMountTurn } from '../monaco/useMountTurn';

/** Monaco loads on first use (it is most of the app's weight); until then a plain field stands in. */
export const loadMonaco = () => import('../monaco/MonacoField');
const MonacoExpr = lazy(loadMonaco);

export interface ExprFieldProps {
  readonly value: string;
  readonly onChange: (v: string) => void;
  /** The columns the expression can use (the cell's input). */
  readonly columns: Schema | undefined;
  readonly path: SpecPath;
  readonly language?: 'expr' | 'sql';
  /** For SQL cells: the input tables, offered with their columns. */
  readonly tables?: ReadonlyMap<string, Schema>;
  readonly testId?: string;
  readonly placeholder?: string;
  readonly lines?: number;
  /** What a screen reader calls the field (default: its path in the spec). */
  readonly ariaLabel?: string;
}

function Fallback(p: ExprFieldProps): ReactElement {
  const errors = useDiagnostics(p.path);
  const multi = (p.lines ?? 1) > 1;
  return multi ? (
    <textarea className={`field mono expr-fallback ${errors.length ? 'invalid' : ''}`} rows={p.lines} value={p.value} onChange={(e) => p.onChange(e.target.value)} data-testid={p.testId} spellCheck={false} aria-label={p.ariaLabel ?? p.path.join('.')} />
  ) : (
    <input className={`field mono expr-fallback ${errors.length ? 'invalid' : ''}`} value={p.value} onChange={(e) => p.onChange(e.target.value)} data-testid={p.testId} spellCheck={false} placeholder={p.placeholder} aria-label={p.ariaLabel ?? p.path.join('.')} />
  );
}

/** The plain field shows until this field's turn to mount Monaco comes (useMountTurn: one editor per idle moment, visible ones first). */
export function ExprField(props: ExprFieldProps): ReactElement {
  const ref = useRef<HTMLDivElement>(null);
  const turn = useMountTurn(ref, loadMonaco);
  return (
    <div ref={ref} className={`expr-field ${(props.lines ?? 1) > 1 ? 'multi' : ''}`} style={{ ['--lines' as string]: props.lines ?? 1 }}>
      {turn ? (
        <Suspense fallback={<Fallback {...props} />}>
          <MonacoExpr {...props} />
        </Suspense>
      ) : (
        <Fallback {...props} />
      )}
      <FieldProblems path={props.path} />
    </div>
  );
}
