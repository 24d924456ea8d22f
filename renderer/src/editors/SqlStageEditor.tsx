import type { ReactElement } from 'react';
import type { DataType, Schema } from '@batchbook/pipeline-core';
import { Icon } from '../ui/icons';
import { FieldProblems, InputsPicker, TextInput, TypeSelect } from './fields';
import { ExprField } from './ExprField';
import { useEarlierStages, usePatch, type Of } from './common';
import { useSchemas } from './schemas';

/** Custom DuckDB SQL over input tables (named after their cells), with its declared output columns. */
export function SqlStageEditor({ stage, index }: { stage: Of<'sql'>; index: number }): ReactElement {
  const patch = usePatch(stage);
  const earlier = useEarlierStages(index);
  const schemas = useSchemas();
  const tables = new Map<string, Schema>(stage.inputs.flatMap((n) => (schemas.get(n) ? [[n, schemas.get(n)!] as const] : [])));
  const setColumn = (i: number, c: { name: string; type: DataType }) => patch({ schema: stage.schema.map((x, j) => (j === i ? c : x)) }, `schema.${i}`);
  return (
    <div className="editor-grid">
      <div className="wide-row">
        <span className="labeled-label">Inputs</span>
        <InputsPicker value={stage.inputs} options={earlier} onChange={(inputs) => patch({ inputs })} />
      </div>
      <div className="wide-row">
        <span className="labeled-label">SQL</span>
        <ExprField value={stage.sql} language="sql" lines={6} columns={undefined} tables={tables} path={['stages', index, 'sql']} onChange={(sql) => patch({ sql }, 'sql')} testId={`sql-${stage.name}`} />
      </div>
      <div className="wide-row">
        <span className="labeled-label">Output columns</span>
        <div className="key-list">
          {stage.schema.map((c, i) => (
            <div key={i} className="key-row">
              <TextInput value={c.name} mono width="10em" ariaLabel={`output column ${i + 1} name`} onChange={(name) => setColumn(i, { name, type: c.type as DataType })} />
              <TypeSelect value={c.type as DataType} ariaLabel={`output column ${i + 1} type`} onChange={(type) => setColumn(i, { name: c.name, type })} />
              <button className="btn icon ghost" aria-label="Remove column" disabled={stage.schema.length === 1} onClick={() => patch({ schema: stage.schema.filter((_, j) => j !== i) })}>
                <Icon.close />
              </button>
            </div>
          ))}
          <button className="btn small ghost" onClick={() => patch({ schema: [...stage.schema, { name: `col${stage.schema.length + 1}`, type: 'string' }] })}>
            <Icon.plus /> column
          </button>
        </div>
      </div>
      <p className="muted small wide-row">DuckDB dialect: this cell runs as written in the preview and the runner; other engines export it as engine-specific.</p>
      <FieldProblems path={['stages', index]} exact={false} />
    </div>
  );
}
