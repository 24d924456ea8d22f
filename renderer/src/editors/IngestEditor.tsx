import type { ReactElement } from 'react';
import { useDoc } from '../store/docStore';
import { FieldProblems, Labeled, Select } from './fields';
import { usePatch, type Of } from './common';

/** An ingest cell reads one source; the source itself (format, path, schema) is edited in the Sources card. */
export function IngestEditor({ stage, index }: { stage: Of<'ingest'>; index: number }): ReactElement {
  const sources = useDoc((s) => s.input?.sources ?? {});
  const patch = usePatch(stage);
  const source = sources[stage.source];
  return (
    <div className="editor-row">
      <Labeled label="Source">
        <Select value={stage.source} options={Object.keys(sources)} onChange={(v) => patch({ source: v })} testId={`ingest-source-${stage.name}`} />
      </Labeled>
      {source && (
        <span className="muted small source-summary">
          {source.format.toUpperCase()} · <span className="mono">data/{source.path}</span> · {(source.schema ?? []).length} columns{' '}
          {source.format === 'parquet' ? 'read in their stored types where they match the pinned ones, the others cast from text' : 'read as text, then cast to their pinned types'}
        </span>
      )}
      <FieldProblems path={['stages', index]} exact={false} />
    </div>
  );
}
