import { useState, type ReactElement } from 'react';
import type { StageInput } from '@batchbook/pipeline-core';
import { usePreview } from '../../store/previewStore';
import { useDoc } from '../../store/docStore';
import { RowsGrid } from './RowsGrid';
import { ProfileView } from './ProfileView';
import { RejectsView } from './RejectsView';
import { RulesView } from './RulesView';
import { TimingView } from './TimingView';

type Tab = 'rows' | 'profile' | 'rejects' | 'rules' | 'timing';

/** A cell's preview: its rows, a profile of each column, what it rejected, its rules' outcomes, where its time goes. */
export function PreviewPane({ stage }: { stage: StageInput }): ReactElement {
  const cell = usePreview((s) => s.cells[stage.name]);
  const engine = usePreview((s) => s.engine);
  const failed = useDoc((s) => s.check?.failed.has(stage.name));
  const isValidate = stage.kind === 'validate';
  const rules = cell?.rules ?? [];
  const failing = rules.filter((r) => r.status === 'fail').length;
  const [tab, setTab] = useState<Tab>(isValidate ? 'rules' : 'rows');
  const rejected = cell?.result?.rejected ?? 0;
  const tabs: { id: Tab; label: string; badge?: string; tone?: string }[] = [
    ...(isValidate && rules.length ? [{ id: 'rules' as const, label: 'Rules', badge: failing ? `${failing} failing` : `✓ ${rules.length}`, tone: failing ? 'bad' : 'good' }] : isValidate ? [{ id: 'rules' as const, label: 'Rules' }] : []),
    { id: 'rows', label: stage.kind === 'output' ? 'Rows to write' : 'Rows' },
    { id: 'profile', label: 'Profile' },
    { id: 'rejects', label: 'Rejects', ...(rejected ? { badge: rejected.toLocaleString(), tone: 'bad' } : {}) },
    { id: 'timing', label: 'Timing' },
  ];
  const waiting = failed || cell?.status === 'error' || cell?.status === 'blocked';
  const body = () => {
    if (engine.status === 'failed') return <div className="preview-empty error-text">{engine.message}</div>;
    if (waiting && !cell?.result) return <div className="preview-empty muted">{cell?.status === 'blocked' ? (cell.message ?? 'Waiting for an input with errors.') : 'Fix the problem above to see this cell’s rows.'}</div>;
    if (!cell?.result) return <div className="preview-empty muted">{engine.status === 'starting' ? 'Starting the preview engine…' : 'Running…'}</div>;
    switch (tab) {
      case 'rows':
        return <RowsGrid stage={stage.name} total={cell.result.rows_out} />;
      case 'profile':
        return <ProfileView stage={stage.name} />;
      case 'rejects':
        return <RejectsView stage={stage.name} total={rejected} />;
      case 'rules':
        return <RulesView rules={rules} />;
      case 'timing':
        return <TimingView stage={stage.name} />;
    }
  };
  return (
    <div className={`preview ${cell?.status === 'stale' || cell?.status === 'running' || waiting ? 'is-stale' : ''}`} data-testid={`preview-${stage.name}`}>
      <div className="tabs" role="tablist">
        {tabs.map((t) => (
          <button key={t.id} role="tab" aria-selected={tab === t.id} className={`tab ${tab === t.id ? 'on' : ''}`} onClick={() => setTab(t.id)} data-testid={`tab-${t.id}-${stage.name}`}>
            {t.label}
            {t.badge !== undefined && <span className={`badge ${t.tone ?? ''}`}>{t.badge}</span>}
          </button>
        ))}
      </div>
      <div className="preview-body">
        {waiting && cell?.result && (
          <div className="stale-note" data-testid={`stale-note-${stage.name}`}>
            {cell.status === 'blocked' ? 'An input has errors: showing the last result' : 'Showing the last result that ran: fix the problem above to refresh'}
          </div>
        )}
        {body()}
      </div>
    </div>
  );
}
