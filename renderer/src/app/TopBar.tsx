import { useState, type ReactElement } from 'react';
import { RUN_DATE } from '@batchbook/pipeline-core';
import { isDirty, useDoc } from '../store/docStore';
import { usePreview } from '../store/previewStore';
import { setTheme, useUi } from '../store/uiStore';
import { Icon } from '../ui/icons';
import { action, keyLabel, runAction } from './actions';
import { useServices } from './context';
import { RunPipelineButton } from './RunPipeline';
import { yesterday } from '../preview/previewController';

function tip(id: string): string {
  const a = action(id);
  return a.keys?.[0] ? `${a.label} (${keyLabel(a.keys[0])})` : a.label;
}

/** The run date the preview reads files for; changing it reloads the sources. */
function ParamsControl(): ReactElement | null {
  const { preview } = useServices();
  const params = usePreview((s) => s.params);
  const defaults = useDoc((s) => s.input?.parameters);
  const names = [RUN_DATE, ...Object.keys(defaults ?? {}).filter((n) => n !== RUN_DATE)];
  return (
    <div className="params" data-testid="params">
      {names.map((n) => {
        const p = defaults?.[n];
        const type = n === RUN_DATE ? 'date' : (p?.type ?? 'string');
        const value = params[n] ?? (p?.default !== undefined ? String(p.default) : n === RUN_DATE ? yesterday() : '');
        return (
          <label key={n} className="param" title={p?.description ?? (n === RUN_DATE ? 'The business day the files are for' : n)}>
            <span className="muted">{n}</span>
            <input
              className="field param-input"
              type={type === 'date' ? 'date' : type === 'integer' ? 'number' : 'text'}
              value={value}
              data-testid={`param-${n}`}
              onChange={(e) => preview.setParams({ ...params, [n]: e.target.value })}
            />
          </label>
        );
      })}
    </div>
  );
}

/** How much of each file the preview reads: a seeded, key-consistent sample or the full file. */
function SampleControl(): ReactElement {
  const { preview } = useServices();
  const sample = usePreview((s) => s.sample);
  const [size, setSize] = useState(String(sample.size));
  const [seed, setSeed] = useState(String(sample.seed));
  const commit = () => {
    const n = Math.max(1, Math.round(Number(size) || sample.size));
    const s = Math.max(0, Math.round(Number(seed) || 0));
    if (n !== sample.size || s !== sample.seed) preview.setSample({ ...sample, size: n, seed: s });
  };
  return (
    <div className="sample" data-testid="sample">
      <div className="segmented" role="radiogroup" aria-label="Preview data">
        <button role="radio" aria-checked={sample.mode === 'sample'} className={sample.mode === 'sample' ? 'on' : ''} data-testid="sample-mode-sample" onClick={() => preview.setSample({ ...sample, mode: 'sample' })} title="A seeded sample of each source, keeping joined keys together">
          Sample
        </button>
        <button role="radio" aria-checked={sample.mode === 'full'} className={sample.mode === 'full' ? 'on' : ''} data-testid="sample-mode-full" onClick={() => preview.setSample({ ...sample, mode: 'full' })} title="Every row of every file">
          Full file
        </button>
      </div>
      {sample.mode === 'sample' && (
        <>
          <label className="param" title="Rows per source, about (the largest source of a joined group sets the rate)">
            <span className="muted">rows</span>
            <input className="field num" inputMode="numeric" value={size} data-testid="sample-size" onChange={(e) => setSize(e.target.value)} onBlur={commit} onKeyDown={(e) => e.key === 'Enter' && commit()} />
          </label>
          <label className="param" title="Seed of the sample: the same seed gives the same rows">
            <span className="muted">seed</span>
            <input className="field num short" inputMode="numeric" value={seed} data-testid="sample-seed" onChange={(e) => setSeed(e.target.value)} onBlur={commit} onKeyDown={(e) => e.key === 'Enter' && commit()} />
          </label>
        </>
      )}
    </div>
  );
}

export function TopBar(): ReactElement {
  const services = useServices();
  const name = useDoc((s) => s.project?.ref.name ?? '');
  const kind = useDoc((s) => s.project?.ref.kind);
  const dirty = useDoc(isDirty);
  const canUndo = useDoc((s) => s.history.past.length > 0);
  const canRedo = useDoc((s) => s.history.future.length > 0);
  const running = usePreview((s) => s.running);
  const progress = usePreview((s) => s.progress);
  const theme = useUi((s) => s.theme);
  const side = useUi((s) => s.side);
  return (
    <header className={`topbar ${services.host.can.runPipeline ? 'more-tools' : ''}`}>
      <button className="brand btn ghost" title="Start screen" onClick={() => runAction(services, 'home')}>
        <span className="logo" aria-hidden>
          ▦
        </span>
        <span className="brand-name">Batchbook</span>
      </button>
      <div className="doc-title" data-testid="doc-title">
        <span className="doc-name">{name}</span>
        {kind === 'sample' && <span className="pill">sample</span>}
        {kind === 'new' && <span className="pill">not saved yet</span>}
        {dirty && (
          <span className="dirty" data-testid="dirty" title="Unsaved changes">
            ●
          </span>
        )}
      </div>
      <div className="toolbar">
        <button className="btn icon ghost" title={tip('undo')} aria-label="Undo" data-testid="undo" disabled={!canUndo} onClick={() => runAction(services, 'undo')}>
          <Icon.undo />
        </button>
        <button className="btn icon ghost" title={tip('redo')} aria-label="Redo" data-testid="redo" disabled={!canRedo} onClick={() => runAction(services, 'redo')}>
          <Icon.redo />
        </button>
        <span className="sep" />
        <ParamsControl />
        <SampleControl />
        <span className="sep" />
        {running ? (
          <button className="btn" data-testid="cancel-run" title={tip('cancelRun')} onClick={() => runAction(services, 'cancelRun')}>
            <Icon.stop /> <span className="btn-label">Cancel</span>
          </button>
        ) : (
          <button className="btn" data-testid="run-all" title={tip('runAll')} onClick={() => runAction(services, 'runAll')}>
            <Icon.play /> <span className="btn-label">Run all</span>
          </button>
        )}
        <RunPipelineButton />
        <button className="btn primary" data-testid="save" title={tip('save')} onClick={() => runAction(services, 'save')}>
          <Icon.save /> <span className="btn-label">Save</span>
        </button>
        <span className="sep" />
        <button className={`btn icon ghost ${side === 'dag' ? 'active' : ''}`} title={tip('dag')} aria-label="Pipeline graph" data-testid="toggle-dag" onClick={() => runAction(services, 'dag')}>
          <Icon.graph />
        </button>
        <button className={`btn icon ghost ${side === 'runs' ? 'active' : ''}`} title={tip('runs')} aria-label="Run history" data-testid="toggle-runs" onClick={() => runAction(services, 'runs')}>
          <Icon.history />
        </button>
        <button className={`btn icon ghost ${side === 'cost' ? 'active' : ''}`} title="Cost estimate" aria-label="Cost estimate" data-testid="toggle-cost" onClick={() => runAction(services, 'cost')}>
          <Icon.dollar />
        </button>
        <button className="btn icon ghost" title="Toggle theme" aria-label="Toggle theme" data-testid="toggle-theme" onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}>
          {theme === 'dark' ? <Icon.sun /> : <Icon.moon />}
        </button>
        <button className="btn icon ghost" title={tip('palette')} aria-label="Command palette" data-testid="open-palette" onClick={() => runAction(services, 'palette')}>
          <Icon.search />
        </button>
      </div>
      <div className={`progress ${running ? 'on' : ''}`} aria-hidden>
        <div className="progress-bar" style={{ width: progress && progress.total ? `${(100 * progress.done) / progress.total}%` : running ? '15%' : '0' }} />
      </div>
    </header>
  );
}
