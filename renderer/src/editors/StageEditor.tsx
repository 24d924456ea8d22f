import type { ReactElement } from 'react';
import type { StageInput } from '@batchbook/pipeline-core';
import { IngestEditor } from './IngestEditor';
import { CleanseEditor } from './CleanseEditor';
import { JoinEditor, UnionEditor } from './JoinEditor';
import { AggregateEditor } from './AggregateEditor';
import { SqlStageEditor } from './SqlStageEditor';
import { ValidateEditor } from './ValidateEditor';
import { OutputEditor } from './OutputEditor';
import { MatchEditor } from '../match/MatchEditor';

type Of<K extends StageInput['kind']> = Extract<StageInput, { kind: K }>;

/** The structured editor that fits a cell's kind. */
export function StageEditor({ stage, index }: { stage: StageInput; index: number }): ReactElement {
  switch (stage.kind) {
    case 'ingest':
      return <IngestEditor stage={stage as Of<'ingest'>} index={index} />;
    case 'cleanse':
      return <CleanseEditor stage={stage as Of<'cleanse'>} index={index} />;
    case 'join':
      return <JoinEditor stage={stage as Of<'join'>} index={index} />;
    case 'aggregate':
      return <AggregateEditor stage={stage as Of<'aggregate'>} index={index} />;
    case 'union':
      return <UnionEditor stage={stage as Of<'union'>} index={index} />;
    case 'sql':
      return <SqlStageEditor stage={stage as Of<'sql'>} index={index} />;
    case 'validate':
      return <ValidateEditor stage={stage as Of<'validate'>} index={index} />;
    case 'output':
      return <OutputEditor stage={stage as Of<'output'>} index={index} />;
    case 'match':
      return <MatchEditor stage={stage as Of<'match'>} index={index} />;
  }
}
