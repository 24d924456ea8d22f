import type { ReactElement } from 'react';
import { usePreview } from '../store/previewStore';

const pct = (f: number) => (f >= 1 ? 'all rows' : `${(f * 100).toFixed(f < 0.01 ? 2 : 1)}%`);

/** The engine's state and what the preview reads, always visible at the bottom. */
export function StatusBar(): ReactElement {
  const engine = usePreview((s) => s.engine);
  const sources = usePreview((s) => s.sources);
  const sample = usePreview((s) => s.sample);
  const lastRun = usePreview((s) => s.lastRun);
  const running = usePreview((s) => s.running);
  const progress = usePreview((s) => s.progress);
  const runError = usePreview((s) => s.runError);
  const busy = usePreview((s) => s.busy);
  const runs = usePreview((s) => s.runs);
  return (
    <footer className="statusbar" data-testid="statusbar" data-busy={busy} data-runs={runs}>
      <span className={`engine-dot ${engine.status}`} />
      <span data-testid="engine-status">
        {engine.status === 'starting' ? 'Starting DuckDB…' : engine.status === 'failed' ? `Preview engine failed: ${engine.message}` : 'DuckDB-WASM ready'}
      </span>
      <span className="sep" />
      <span data-testid="sample-info" title={sources.map((s) => `${s.name}: ${s.rows.toLocaleString()} rows in ${s.files.join(', ')}; preview reads ${pct(s.fraction)}${s.key ? `, sampled on ${s.key}` : ''}`).join('\n')}>
        {sample.mode === 'full' ? 'Full files' : `Sample: ~${sample.size.toLocaleString()} rows/source, seed ${sample.seed}`}
        {sources.length > 0 && ` · ${sources.map((s) => `${s.name} ${pct(s.fraction)}`).join(', ')}`}
      </span>
      <span className="grow" />
      {runError && <span className="error-text">{runError}</span>}
      <span data-testid="run-status" className="muted" title={lastRun?.phases ? Object.entries(lastRun.phases).map(([k, v]) => `${k} ${Math.round(v)} ms`).join(' · ') : undefined} data-phases={lastRun?.phases ? JSON.stringify(lastRun.phases) : undefined}>
        {running ? `Running${progress?.stage ? ` ${progress.stage}` : ''}… ${progress ? `${progress.done}/${progress.total}` : ''}` : lastRun ? `${lastRun.cancelled ? 'Cancelled' : `Refreshed ${lastRun.ran} cell${lastRun.ran === 1 ? '' : 's'}`} in ${Math.round(lastRun.ms)} ms` : ''}
      </span>
    </footer>
  );
}
