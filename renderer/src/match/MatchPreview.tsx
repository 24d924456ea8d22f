import { useEffect, useState, type KeyboardEvent, type ReactElement } from 'react';
import { RUN_DATE } from '@batchbook/pipeline-core';
import { useServices } from '../app/context';
import { useDoc } from '../store/docStore';
import { usePreview } from '../store/previewStore';
import { yesterday } from '../preview/previewController';
import { RowsGrid } from '../preview/ui/RowsGrid';
import { MATCH_OUTPUTS, type MatchCounts, type MatchOutput } from './matchCounts';
import type { Match } from './matchPatches';

const TAB_LABEL: Record<MatchOutput, string> = { matched: 'Matched', mismatched: 'Mismatched', unmatched_left: 'Unmatched left', unmatched_right: 'Unmatched right' };

/** Counts of the four outputs, asked again each time the cell's result changes. */
function useMatchCounts(stage: string, generation: number, fresh: boolean): MatchCounts | undefined {
  const { preview } = useServices();
  const [counts, setCounts] = useState<{ gen: number; value: MatchCounts }>();
  useEffect(() => {
    if (!fresh) return;
    let live = true;
    preview.client.matchCounts(stage).then(
      (value) => live && setCounts({ gen: generation, value }),
      () => undefined, // a cancelled or superseded run: the next result asks again
    );
    return () => {
      live = false;
    };
  }, [preview, stage, generation, fresh]);
  return counts?.value;
}

/** Arrow keys, Home and End move between the tabs, from the focused one (the WAI-ARIA tabs pattern). */
function onTabKey(e: KeyboardEvent<HTMLDivElement>, setTab: (t: MatchOutput) => void): void {
  const tabs = [...e.currentTarget.querySelectorAll<HTMLElement>('[role=tab]')];
  const i = Math.max(0, tabs.indexOf(e.target as HTMLElement));
  const to = e.key === 'ArrowRight' ? (i + 1) % 4 : e.key === 'ArrowLeft' ? (i + 3) % 4 : e.key === 'Home' ? 0 : e.key === 'End' ? 3 : -1;
  if (to < 0) return;
  e.preventDefault();
  setTab(MATCH_OUTPUTS[to]!);
  tabs[to]?.focus();
}

/**
 * A match cell's preview: the four outputs, each a tab with its row count. The preview runs the
 * run date's files as one run with nothing carried in, and says so: the open items of earlier
 * nights live in the lake `batchbook run` writes, not in the designer.
 */
export function MatchPreview({ stage }: { stage: Match }): ReactElement {
  const cell = usePreview((s) => s.cells[stage.name]);
  const engine = usePreview((s) => s.engine);
  const generation = usePreview((s) => s.generation[stage.name] ?? 0);
  const runDate = useRunDate();
  const failed = useDoc((s) => s.check?.failed.has(stage.name));
  const [tab, setTab] = useState<MatchOutput>('matched');
  const fresh = cell?.status === 'fresh' && cell.result !== undefined;
  const counts = useMatchCounts(stage.name, generation, fresh);
  const waiting = failed || cell?.status === 'error' || cell?.status === 'blocked';
  const left = stage.labels?.left;
  const right = stage.labels?.right;
  const side = (o: MatchOutput) => (o === 'unmatched_left' ? left : o === 'unmatched_right' ? right : undefined);
  const body = () => {
    if (engine.status === 'failed') return <div className="preview-empty error-text">{engine.message}</div>;
    // the outputs' views belong to the last plan that ran this cell: while it has a problem, say so rather than query them
    if (waiting) return <div className="preview-empty muted">{cell?.status === 'blocked' ? (cell.message ?? 'Waiting for an input with errors.') : `Fix the problem above to see this cell’s rows${cell?.result ? ' (the counts are from the last run)' : ''}.`}</div>;
    if (!cell?.result || !counts) return <div className="preview-empty muted">{engine.status === 'starting' ? 'Starting the preview engine…' : 'Running…'}</div>;
    return <RowsGrid key={`${tab}-${generation}`} stage={`${stage.name}.${tab}`} total={counts[tab]} />;
  };
  return (
    <div className={`preview ${!fresh || waiting ? 'is-stale' : ''}`} data-testid={`preview-${stage.name}`}>
      <p className="match-note" data-testid={`match-note-${stage.name}`}>
        Previewing run date <span className="mono">{runDate}</span> on its own, without carried open items: items left open on earlier nights are kept in the lake by <span className="mono">batchbook run</span>, so here a late {right ?? 'right item'} shows as unmatched.
      </p>
      <div className="tabs" role="tablist" aria-label={`${stage.name} outputs`} onKeyDown={(e) => onTabKey(e, setTab)}>
        {MATCH_OUTPUTS.map((o) => (
          <button key={o} role="tab" aria-selected={tab === o} tabIndex={tab === o ? 0 : -1} className={`tab ${tab === o ? 'on' : ''}`} onClick={() => setTab(o)} data-testid={`tab-${o}-${stage.name}`} title={`${stage.name}.${o}`}>
            {TAB_LABEL[o]}
            {side(o) && <span className="tab-sub">{side(o)}s</span>}
            <span className={`badge ${o === 'mismatched' && counts?.[o] ? 'bad' : ''}`} data-testid={`count-${o}-${stage.name}`}>
              {counts ? counts[o].toLocaleString() : '…'}
            </span>
          </button>
        ))}
      </div>
      <div className="preview-body" role="tabpanel" aria-label={TAB_LABEL[tab]}>
        {body()}
      </div>
    </div>
  );
}

/** The run date the preview uses: the one chosen in the top bar, else the spec's default, else yesterday (as the top bar shows it). */
function useRunDate(): string {
  const chosen = usePreview((s) => s.params[RUN_DATE]);
  const fallback = useDoc((s) => s.input?.parameters?.[RUN_DATE]?.default);
  return chosen ?? (fallback !== undefined ? String(fallback) : yesterday());
}
