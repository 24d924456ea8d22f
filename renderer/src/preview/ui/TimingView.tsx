import { useCallback, useEffect, useState, type ReactElement } from 'react';
import { useServices } from '../../app/context';
import type { StageTiming } from '../engine/stageTiming';

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/**
 * Where a cell's time goes, like `batchbook run --profile` for a stage: the cell is run again
 * under DuckDB's profiler (in the preview engine, on the previewed rows) and its wall time, rows
 * and heaviest operators are shown. Run on opening the tab and again on request.
 */
export function TimingView({ stage }: { stage: string }): ReactElement {
  const { preview } = useServices();
  const [timing, setTiming] = useState<StageTiming>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const measure = useCallback(() => {
    setBusy(true);
    preview.client.timing(stage).then(
      (t) => (setTiming(t), setError(undefined), setBusy(false)),
      (e: Error) => (setError(e.message), setBusy(false)),
    );
  }, [preview, stage]);
  useEffect(measure, [measure]);
  if (error) return <div className="preview-empty error-text">{error}</div>;
  if (!timing) return <div className="preview-empty muted">Profiling this cell…</div>;
  return (
    <div className="timing" data-testid={`timing-${stage}`}>
      <div className="timing-summary">
        <span>
          <b data-testid={`timing-ms-${stage}`}>{fmt(timing.ms)}</b> ms wall
        </span>
        <span>
          <b data-testid={`timing-rows-${stage}`}>{fmt(timing.rows)}</b> rows
        </span>
        <span className="muted">{timing.statements} statements, profiled in the preview engine</span>
        <span className="grow" />
        <button className="btn ghost" onClick={measure} disabled={busy} data-testid={`timing-again-${stage}`}>
          {busy ? 'Profiling…' : 'Profile again'}
        </button>
      </div>
      <table className="timing-table" aria-label={`heaviest operators of ${stage}`}>
        <thead>
          <tr>
            <th>Heaviest operators</th>
            <th className="num">Share</th>
            <th className="num">ms</th>
            <th className="num">Rows out</th>
          </tr>
        </thead>
        <tbody>
          {timing.operators.map((o) => (
            <tr key={o.operator} data-testid={`timing-op-${stage}`}>
              <td className="mono">{o.operator}</td>
              <td className="num">{Math.round(o.share * 100)}%</td>
              <td className="num">{o.ms.toFixed(1)}</td>
              <td className="num">{fmt(o.rows)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
