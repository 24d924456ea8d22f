import { useEffect, useState, type ReactElement } from 'react';
import type { RunIndexEntry } from '@batchbook/pipeline-core';
import { useServices } from '../app/context';
import { useDoc } from '../store/docStore';
import { Icon } from '../ui/icons';
import { fmtDuration, fmtInt, fmtWhen, otherParams, runDate, STATUS_CLASS } from './format';
import { RunDetail } from './RunDetail';
import { ActiveRunCard, FinishedRunCard } from './RunProgress';
import { openRun, refreshRuns, useRuns } from './runsStore';
import './RunsPanel.css';

const PAGE = 50;

function RunRow({ entry, onOpen }: { entry: RunIndexEntry; onOpen: () => void }): ReactElement {
  const failedRules = entry.rule_failures;
  const others = otherParams(entry.params);
  return (
    <li>
      <button className="run-row" onClick={onOpen} data-testid={`run-row-${entry.run_id}`} title={entry.cause ?? `run ${entry.run_id}`}>
        <span className="run-row-top">
          <span className={`status ${STATUS_CLASS[entry.status]}`} data-testid={`run-status-${entry.run_id}`}>
            {entry.status === 'running' && <span className="spinner" aria-hidden />}
            {entry.status}
          </span>
          <span className="run-date mono" data-testid={`run-date-${entry.run_id}`}>
            {runDate(entry.params)}
          </span>
          {others && <span className="muted small mono run-params">{others}</span>}
          <span className="grow" />
          <span className="muted small">{fmtDuration(entry.duration_ms)}</span>
        </span>
        <span className="run-row-sub muted small">
          <span>{fmtWhen(entry.started_at)}</span>
          {entry.exit_code !== null && (
            <span>
              {fmtInt(entry.rows_in)} in · {fmtInt(entry.rows_out)} out
              {entry.rows_rejected ? <span className="rejected"> · {fmtInt(entry.rows_rejected)} rejected</span> : null}
            </span>
          )}
          {failedRules > 0 && (
            <span className={entry.rule_failures_error ? 'run-bad' : 'run-warn'} data-testid={`run-failures-${entry.run_id}`}>
              {failedRules} rule{failedRules === 1 ? '' : 's'} failed
            </span>
          )}
        </span>
      </button>
    </li>
  );
}

/** What to do when there is nothing to list yet, for this kind of project and this host. */
function EmptyRuns({ kind, where, folder }: { kind: 'sample' | 'folder' | 'new'; where?: string; folder: string }): ReactElement {
  const { host } = useServices();
  const cli = <code className="run-cli">batchbook run {folder} --param run_date=YYYY-MM-DD</code>;
  if (kind !== 'folder') {
    return (
      <div className="runs-empty" data-testid="runs-empty">
        <Icon.history width={28} height={28} className="runs-empty-icon" />
        <p>
          <b>Runs are kept in a project folder’s lake.</b>
        </p>
        <p className="muted">
          {kind === 'sample' ? 'This is a bundled sample: save it to a folder first' : 'This project is not saved yet: save it to a folder first'}, then run it —{' '}
          {host.can.runPipeline ? 'with Run pipeline above, or' : 'in the desktop app, or'} from a terminal:
        </p>
        {cli}
        <p className="muted small">Every run writes lake/runs/ in the folder; its history, stage metrics and failing rules show here.</p>
      </div>
    );
  }
  return (
    <div className="runs-empty" data-testid="runs-empty">
      <Icon.history width={28} height={28} className="runs-empty-icon" />
      <p>
        <b>No runs yet.</b>
      </p>
      <p className="muted">{host.can.runPipeline ? 'Run the pipeline with Run pipeline above, or from a terminal:' : 'Run the pipeline from a terminal (or in the desktop app):'}</p>
      {cli}
      <p className="muted small">Each run writes its report, log and metrics to {where ?? 'lake/runs/'}; they appear here.</p>
    </div>
  );
}

/** The project's run history, newest first; a run opens to its details. */
export default function RunsPanel(): ReactElement {
  const { host } = useServices();
  const ref = useDoc((s) => s.project?.ref);
  const { history, loading, error, selected, projectId, active, finished } = useRuns();
  const [shown, setShown] = useState(PAGE);
  useEffect(() => {
    if (!ref) return;
    void refreshRuns(host, ref);
    // a run from a terminal (or a scheduler) lands while the app is in the background
    const again = () => void refreshRuns(host, ref);
    window.addEventListener('focus', again);
    return () => window.removeEventListener('focus', again);
  }, [host, ref]);
  if (!ref) return <div className="side-empty muted">Open a project to see its runs.</div>;
  const current = projectId === ref.id ? history : undefined;
  const entries = current ? [...current.entries].reverse() : [];
  const detail = selected && current ? entries.find((e) => e.run_id === selected) : undefined;
  const running = active?.projectId === ref.id;
  return (
    <div className="runs" data-testid="runs-panel">
      <div className="side-title">
        <Icon.history /> Runs
        {current && current.entries.length > 0 && <span className="muted small">· {current.entries.length}</span>}
        <span className="grow" />
        <button className="btn icon ghost small" title="Read the history again" aria-label="Refresh runs" data-testid="runs-refresh" disabled={loading} onClick={() => void refreshRuns(host, ref)}>
          <Icon.refresh className={loading ? 'spin' : undefined} />
        </button>
      </div>
      <div className="runs-scroll scroll-thin">
        {running && <ActiveRunCard run={active} />}
        {!active && finished?.projectId === ref.id && <FinishedRunCard result={finished} />}
        {error && (
          <p className="error-text runs-error" role="alert">
            {error}
          </p>
        )}
        {detail ? (
          <RunDetail entry={detail} where={current?.where} onBack={() => void openRun(host, ref, undefined)} />
        ) : current === undefined ? (
          <p className="muted small side-empty">{loading ? 'Reading the run history…' : ''}</p>
        ) : current === null || entries.length === 0 ? (
          running ? null : (
            <EmptyRuns kind={ref.kind} {...(current?.where ? { where: current.where } : {})} folder={ref.kind === 'folder' ? ref.name : '<folder>'} />
          )
        ) : (
          <>
            <ul className="run-list" data-testid="runs-list">
              {entries.slice(0, shown).map((e) => (
                <RunRow key={e.run_id} entry={e} onOpen={() => void openRun(host, ref, e.run_id)} />
              ))}
            </ul>
            {entries.length > shown && (
              <button className="btn small ghost runs-more" onClick={() => setShown(shown + 4 * PAGE)}>
                Show older runs ({fmtInt(entries.length - shown)} more)
              </button>
            )}
            <p className="muted small runs-where" title={current.where}>
              From {current.where}
            </p>
          </>
        )}
      </div>
    </div>
  );
}
