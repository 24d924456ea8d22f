import type { ReactElement } from 'react';
import { ColumnsPicker, FieldProblems, Labeled, Select, TextInput } from './fields';
import { useEarlierStages, usePatch, type Of } from './common';
import { useSchema } from './schemas';

/** Where and how a curated output is written. */
export function OutputEditor({ stage, index }: { stage: Of<'output'>; index: number }): ReactElement {
  const patch = usePatch(stage);
  const earlier = useEarlierStages(index);
  const columns = useSchema(stage.input);
  return (
    <div className="editor-grid">
      <Labeled label="Input">
        <Select value={stage.input} options={earlier} onChange={(v) => patch({ input: v })} testId={`output-input-${stage.name}`} />
      </Labeled>
      <Labeled label="Format">
        <Select value={stage.format} options={['parquet', 'csv'] as const} onChange={(v) => patch({ format: v })} testId={`output-format-${stage.name}`} />
      </Labeled>
      <Labeled label="Folder in curated/" hint="Placeholders like {run_date} are filled per run">
        <TextInput value={stage.path} mono onChange={(v) => patch({ path: v }, 'path')} testId={`output-path-${stage.name}`} width="16em" />
      </Labeled>
      <Labeled label="Partition by" wide>
        <ColumnsPicker value={stage.partition_by ?? []} columns={columns} onChange={(cs) => patch({ partition_by: cs.length ? cs : undefined })} testId={`output-partition-${stage.name}`} />
      </Labeled>
      <FieldProblems path={['stages', index]} exact={false} />
    </div>
  );
}
