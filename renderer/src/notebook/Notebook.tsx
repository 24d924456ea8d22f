import { useState, type ReactElement } from 'react';
import { STAGE_KINDS, stageLabel, type StageKind } from '@batchbook/pipeline-core';
import { useDoc } from '../store/docStore';
import { addCell } from '../app/actions';
import { KindIcon, Icon } from '../ui/icons';
import { Cell } from './Cell';
import { SourcesCard } from './SourcesCard';
import { MissingFilesBanner } from '../preview/ui/MissingFilesBanner';

const HINT: Record<StageKind, string> = {
  ingest: 'read a source',
  cleanse: 'trim, parse, dedupe, filter…',
  join: 'match two inputs on keys',
  aggregate: 'group and measure',
  union: 'stack inputs',
  sql: 'custom DuckDB SQL',
  validate: 'rules and their failing rows',
  output: 'write curated files',
};

/** The palette of cell kinds, opened from the + between any two cells. */
export function AddCell({ index, always }: { index: number; always?: boolean }): ReactElement {
  const [open, setOpen] = useState(false);
  return (
    <div className={`add-cell ${open ? 'open' : ''} ${always ? 'always' : ''}`} data-testid={`add-cell-${index}`}>
      <button className="add-cell-btn" aria-label="Add a cell here" aria-expanded={open} onClick={() => setOpen((o) => !o)} data-testid={`add-cell-button-${index}`}>
        <Icon.plus width={14} height={14} />
        <span>Add cell</span>
      </button>
      {open && (
        <div className="kind-palette" role="menu" onMouseLeave={() => setOpen(false)}>
          {STAGE_KINDS.map((k) => (
            <button
              key={k}
              role="menuitem"
              className="kind-option"
              data-testid={`add-${k}-${index}`}
              onClick={() => {
                setOpen(false);
                addCell(k, index);
              }}
            >
              <KindIcon kind={k} className={`k-${k}`} />
              <span>
                <b>{stageLabel(k)}</b>
                <span className="muted small"> {HINT[k]}</span>
              </span>
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

export function Notebook(): ReactElement {
  const stages = useDoc((s) => s.input?.stages);
  const sources = useDoc((s) => s.input?.sources);
  if (!stages) return <div />;
  return (
    <div className="notebook">
      <SourcesCard />
      <MissingFilesBanner />
      {stages.length === 0 && (
        <div className="empty-notebook" data-testid="empty-notebook">
          <h3>No cells yet</h3>
          <p className="muted">{Object.keys(sources ?? {}).length === 0 ? 'Add a source above, then an ingest cell to read it.' : 'Start with an ingest cell that reads one of the sources above.'}</p>
        </div>
      )}
      <AddCell index={0} always={stages.length === 0} />
      {stages.map((s, i) => (
        <div key={s.name} className="cell-slot">
          <Cell stage={s} index={i} count={stages.length} />
          <AddCell index={i + 1} always={i === stages.length - 1} />
        </div>
      ))}
    </div>
  );
}
