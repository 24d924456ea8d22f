import { memo, type ReactElement } from 'react';
import { duplicateStage, moveStage, removeStage, renameStage, stageInputs, stageLabel, type StageInput } from '@batchbook/pipeline-core';
import { useDoc } from '../store/docStore';
import { usePreview } from '../store/previewStore';
import { select, setCollapsed, useUi } from '../store/uiStore';
import { CommitInput } from '../editors/fields';
import { StageEditor } from '../editors/StageEditor';
import { PreviewPane } from '../preview/ui/PreviewPane';
import { MatchPreview } from '../match/MatchPreview';
import { useServices } from '../app/context';
import { Icon, KindIcon } from '../ui/icons';
import { focusCell, onCellKeyDown } from './cellKeys';

function inputsOf(stage: StageInput): string[] {
  try {
    return [...stageInputs(stage as never)];
  } catch {
    return [];
  }
}

const STATUS_LABEL = { fresh: 'fresh', stale: 'stale', running: 'running', error: 'error', blocked: 'blocked' } as const;

function StatusBadge({ name }: { name: string }): ReactElement {
  const cell = usePreview((s) => s.cells[name]);
  const engine = usePreview((s) => s.engine.status);
  const failed = useDoc((s) => s.check?.failed.has(name));
  const status = failed ? 'error' : (cell?.status ?? (engine === 'ready' ? 'stale' : 'stale'));
  return (
    <span className={`status status-${status}`} data-testid={`status-${name}`} title={cell?.message ?? STATUS_LABEL[status]}>
      {status === 'running' && <span className="spinner" aria-hidden />}
      {STATUS_LABEL[status]}
    </span>
  );
}

function Counts({ name }: { name: string }): ReactElement {
  const r = usePreview((s) => s.cells[name]?.result);
  const stale = usePreview((s) => s.cells[name]?.status !== 'fresh');
  return (
    <span className={`counts ${stale ? 'is-stale' : ''}`}>
      <span data-testid={`rows-${name}`} className="rows">
        {r ? `${r.rows_out.toLocaleString()} ${r.rows_out === 1 ? 'row' : 'rows'}` : '— rows'}
      </span>
      {r && r.rejected > 0 && (
        <span className="rejected" data-testid={`rejected-${name}`}>
          {r.rejected.toLocaleString()} rejected
        </span>
      )}
      {r && r.filtered > 0 && <span className="muted">{r.filtered.toLocaleString()} filtered</span>}
      {r && <span className="muted ms">{r.ms} ms</span>}
    </span>
  );
}

/** One stage of the pipeline: header, structured editor, and its live preview. */
export const Cell = memo(function Cell({ stage, index, count }: { stage: StageInput; index: number; count: number }): ReactElement {
  const { preview } = useServices();
  const dispatch = useDoc((s) => s.dispatch);
  const selected = useUi((s) => s.selected === stage.name);
  // problems in the spec are shown beside their field; this box is for what went wrong running it
  const cellError = usePreview((s) => (s.cells[stage.name]?.status === 'error' && s.cells[stage.name]?.origin !== 'spec' ? s.cells[stage.name]?.message : undefined));
  const collapsed = useUi((s) => s.collapsed[stage.name] === true);
  // a validate cell names its input in its header only once (its editor's Input field shows it too)
  const inputs = [...new Set(inputsOf(stage))];
  const goTo = (name: string) => focusCell(name, { block: 'start', behavior: 'smooth' });
  return (
    <section
      className={`cell k-border-${stage.kind} ${selected ? 'selected' : ''}`}
      data-cell={stage.name}
      data-testid={`cell-${stage.name}`}
      tabIndex={0}
      aria-label={`${stageLabel(stage.kind)} cell ${stage.name}`}
      aria-keyshortcuts="ArrowUp ArrowDown Enter Escape"
      onKeyDown={onCellKeyDown}
      onFocusCapture={() => !selected && select(stage.name)}
      onMouseDown={() => !selected && select(stage.name)}
    >
      <header className="cell-header">
        <button className="btn icon ghost collapse" aria-label={collapsed ? 'Expand' : 'Collapse'} aria-expanded={!collapsed} data-testid={`collapse-${stage.name}`} onClick={() => setCollapsed(stage.name, !collapsed)}>
          <Icon.chevron style={{ transform: collapsed ? 'none' : 'rotate(90deg)', transition: 'transform .12s' }} />
        </button>
        <span className={`kind-badge k-${stage.kind}`} title={stageLabel(stage.kind)}>
          <KindIcon kind={stage.kind} />
          <span>{stageLabel(stage.kind)}</span>
        </span>
        <CommitInput className="cell-name mono" value={stage.name} size={Math.max(8, stage.name.length + 1)} ariaLabel="cell name" testId={`name-${stage.name}`} onCommit={(v) => dispatch(renameStage(stage.name, v))} />
        {inputs.length > 0 && (
          <span className="inputs">
            <span className="muted">←</span>
            {inputs.map((i, k) => (
              <button key={`${i}-${k}`} className="input-chip mono" onClick={() => goTo(i)} title={`Go to ${i}`}>
                {i}
              </button>
            ))}
          </span>
        )}
        <span className="grow" />
        <Counts name={stage.name} />
        <StatusBadge name={stage.name} />
        <span className="cell-actions">
          <button className="btn icon ghost" title="Run this cell and the cells below it that read it (Ctrl+Enter)" aria-label="Run cell" data-testid={`run-${stage.name}`} onClick={() => preview.runStages([stage.name])}>
            <Icon.play />
          </button>
          <button className="btn icon ghost" title="Move up" aria-label="Move up" disabled={index === 0} data-testid={`up-${stage.name}`} onClick={() => dispatch(moveStage(stage.name, index - 1))}>
            <Icon.up />
          </button>
          <button className="btn icon ghost" title="Move down" aria-label="Move down" disabled={index === count - 1} data-testid={`down-${stage.name}`} onClick={() => dispatch(moveStage(stage.name, index + 1))}>
            <Icon.down />
          </button>
          <button className="btn icon ghost" title="Duplicate" aria-label="Duplicate" data-testid={`duplicate-${stage.name}`} onClick={() => dispatch(duplicateStage(stage.name))}>
            <Icon.copy />
          </button>
          <button className="btn icon ghost danger" title="Delete" aria-label="Delete" data-testid={`delete-${stage.name}`} onClick={() => dispatch(removeStage(stage.name))}>
            <Icon.trash />
          </button>
        </span>
      </header>
      {!collapsed && (
        <div className="cell-body">
          <div className="cell-editor">
            <StageEditor stage={stage} index={index} />
          </div>
          {cellError && (
            <div className="cell-error" role="alert" data-testid={`error-${stage.name}`}>
              <Icon.warn /> {cellError}
            </div>
          )}
          {stage.kind === 'match' ? <MatchPreview stage={stage} /> : <PreviewPane stage={stage} />}
        </div>
      )}
    </section>
  );
});
