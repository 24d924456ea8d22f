import { useEffect, useRef, useState, type KeyboardEvent, type ReactElement } from 'react';
import { STAGE_KINDS, stageLabel, type StageKind } from '@batchbook/pipeline-core';
import { useDoc } from '../store/docStore';
import { setAllCollapsed, useUi } from '../store/uiStore';
import { focusCell } from './cellKeys';
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
  match: 'pair items of two inputs, carry open ones across nights',
};

/** The palette of cell kinds, opened from the + between any two cells. */
export function AddCell({ index, always }: { index: number; always?: boolean }): ReactElement {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const items = () => [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
  useEffect(() => {
    if (open) items()[0]?.focus();
  }, [open]);
  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  // a menu as the ARIA pattern has it: arrows move, Home / End jump, Escape closes back to its button
  const onMenuKey = (e: KeyboardEvent) => {
    const all = items();
    const i = all.indexOf(document.activeElement as HTMLElement);
    const to = e.key === 'ArrowDown' ? (i + 1) % all.length : e.key === 'ArrowUp' ? (i - 1 + all.length) % all.length : e.key === 'Home' ? 0 : e.key === 'End' ? all.length - 1 : undefined;
    if (to !== undefined) all[to]?.focus();
    else if (e.key === 'Escape') close();
    else if (e.key === 'Tab') setOpen(false);
    else return;
    if (e.key !== 'Tab') {
      e.preventDefault();
      e.stopPropagation();
    }
  };
  return (
    <div className={`add-cell ${open ? 'open' : ''} ${always ? 'always' : ''}`} data-testid={`add-cell-${index}`}>
      <button ref={button} className="add-cell-btn" aria-label="Add a cell here" aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen((o) => !o)} onKeyDown={(e) => e.key === 'ArrowDown' && (e.preventDefault(), setOpen(true))} data-testid={`add-cell-button-${index}`}>
        <Icon.plus width={14} height={14} />
        <span>Add cell</span>
      </button>
      {open && (
        <div ref={menu} className="kind-palette" role="menu" aria-label="Cell kinds" data-testid={`kind-menu-${index}`} onKeyDown={onMenuKey} onMouseLeave={() => setOpen(false)}>
          {STAGE_KINDS.map((k) => (
            <button
              key={k}
              role="menuitem"
              tabIndex={-1}
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

/** Collapse every cell to its header (a long pipeline at a glance), or expand them all. */
function CollapseAll({ names }: { names: readonly string[] }): ReactElement | null {
  const allCollapsed = useUi((s) => names.length > 0 && names.every((n) => s.collapsed[n]));
  if (names.length === 0) return null;
  return (
    <div className="notebook-tools">
      <button className="btn small ghost" data-testid="collapse-all" aria-pressed={allCollapsed} onClick={() => setAllCollapsed(names, !allCollapsed)}>
        <Icon.chevron style={{ transform: allCollapsed ? 'none' : 'rotate(90deg)' }} /> {allCollapsed ? 'Expand all cells' : 'Collapse all cells'}
      </button>
    </div>
  );
}

/** After a project opens, the keyboard starts on its first cell, not on the page body. */
function useFocusFirstCell(hasCells: boolean): void {
  const projectId = useDoc((s) => s.project?.ref.id);
  const done = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (!hasCells || done.current === projectId) return;
    done.current = projectId;
    const active = document.activeElement;
    if (active && active !== document.body && active.closest('[data-testid="notebook"], .topbar, .side')) return;
    requestAnimationFrame(() => focusCell(undefined, { block: 'nearest' }));
  }, [hasCells, projectId]);
}

export function Notebook(): ReactElement {
  const stages = useDoc((s) => s.input?.stages);
  const sources = useDoc((s) => s.input?.sources);
  useFocusFirstCell((stages?.length ?? 0) > 0);
  if (!stages) return <div />;
  return (
    <div className="notebook">
      <SourcesCard />
      <MissingFilesBanner />
      <CollapseAll names={stages.map((s) => s.name)} />
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
