import { useEffect, useState, type ReactElement } from 'react';
import { useServices } from '../app/context';
import { useDoc } from '../store/docStore';
import type { RunResult } from '../host/host';
import { Icon } from '../ui/icons';
import { fmtDuration, fmtInt } from './format';
import { cancelPipelineRun, openRun, useRuns, type ActiveRun } from './runsStore';

function useElapsed(since: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(t);
  }, []);
  return Math.max(0, now - since);
}

/** A full run in progress (desktop): stages as the runner reports them, elapsed time, cancel. */
export function ActiveRunCard({ run }: { run: ActiveRun }): ReactElement {
  const elapsed = useElapsed(run.startedAt);
  const done = run.stages.filter((s) => s.state === 'done').length;
  const current = run.stages.find((s) => s.state === 'running');
  return (
    <section className="run-card running" data-testid="run-active" aria-busy>
      <div className="run-card-head">
        <span className="status status-running">
          <span className="spinner" aria-hidden />
          running
        </span>
        <span className="mono">{run.params['run_date'] ?? ''}</span>
        <span className="grow" />
        <span className="muted small" data-testid="run-active-count">
          {run.total ? `${done} / ${run.total} stages` : run.log[run.log.length - 1] ?? 'starting…'} · {fmtDuration(elapsed)}
        </span>
      </div>
      <div className="run-meter" aria-hidden>
        <div style={{ width: run.total ? `${(100 * done) / run.total}%` : '4%' }} />
      </div>
      <ol className="run-steps small">
        {run.stages.map((s) => (
          <li key={s.stage} className={s.state} data-testid={`run-active-stage-${s.stage}`}>
            {s.state === 'done' ? <Icon.check width={12} height={12} className="run-ok" /> : <span className="spinner" aria-hidden />}
            <span className="mono">{s.stage}</span>
            <span className="grow" />
            {s.state === 'done' ? (
              <span className="muted">
                {fmtInt(s.rows)} rows{s.rejected ? <span className="rejected"> · {fmtInt(s.rejected)} rejected</span> : null} · {fmtDuration(s.ms)}
              </span>
            ) : (
              <span className="muted">running…</span>
            )}
          </li>
        ))}
      </ol>
      <div className="run-card-foot">
        <span className="muted small">{current ? `Now: ${current.stage}` : ''}</span>
        <span className="grow" />
        <button className="btn small" data-testid="run-cancel" disabled={run.cancelling} onClick={cancelPipelineRun} title="Stop the run: nothing half-written is published">
          <Icon.stop /> {run.cancelling ? 'Cancelling…' : 'Cancel run'}
        </button>
      </div>
    </section>
  );
}

/** How the last run started here ended, with a way to its details. */
export function FinishedRunCard({ result }: { result: RunResult }): ReactElement {
  const { host } = useServices();
  const ref = useDoc((s) => s.project?.ref);
  const ok = result.exitCode === 0;
  const tone = ok ? 'ok' : result.status === 'cancelled' ? 'neutral' : 'bad';
  return (
    <section className={`run-card ${tone}`} data-testid="run-finished" role="status">
      <div className="run-card-head">
        {ok ? <Icon.check className="run-ok" /> : <Icon.warn className={tone === 'bad' ? 'run-bad' : 'muted'} />}
        <b>{ok ? 'The run succeeded' : result.status === 'cancelled' ? 'The run was cancelled' : `The run ${result.status} (exit ${result.exitCode})`}</b>
        <span className="grow" />
        <button className="btn icon ghost small" aria-label="Dismiss" onClick={() => useRuns.setState({ finished: undefined })}>
          <Icon.close />
        </button>
      </div>
      {result.message && <p className="small run-card-msg">{result.message}</p>}
      {result.runId && ref && (
        <button className="link-btn small" onClick={() => void openRun(host, ref, result.runId)}>
          Show this run’s details
        </button>
      )}
    </section>
  );
}
