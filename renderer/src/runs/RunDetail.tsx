import { useState, type ReactElement } from 'react';
import { STAGE_KINDS, type RuleResult, type RunIndexEntry, type RunReport, type StageKind } from '@batchbook/pipeline-core';
import { Grid } from '../preview/ui/RowsGrid';
import { select } from '../store/uiStore';
import { useDoc } from '../store/docStore';
import { Icon, KindIcon } from '../ui/icons';
import { fmtBytes, fmtDuration, fmtInt, fmtWhen, otherParams, runDate, STATUS_CLASS } from './format';
import { useRuns } from './runsStore';

const ROW_H = 26;

function goToCell(stage: string): void {
  select(stage);
  document.querySelector(`[data-cell="${stage}"]`)?.scrollIntoView({ block: 'start', behavior: 'smooth' });
}

function StageName({ name, kind }: { name: string; kind: string }): ReactElement {
  const inSpec = useDoc((s) => s.input?.stages.some((x) => x.name === name) ?? false);
  const icon = (STAGE_KINDS as readonly string[]).includes(kind) ? <KindIcon kind={kind as StageKind} className={`k-${kind}`} width={14} height={14} /> : null;
  return inSpec ? (
    <button className="link-btn run-stage-name" title={`${name} (${kind}): go to its cell`} onClick={() => goToCell(name)}>
      {icon}
      <span className="mono">{name}</span>
    </button>
  ) : (
    <span className="run-stage-name" title={`${name} (${kind})`}>
      {icon}
      <span className="mono">{name}</span>
    </span>
  );
}

function StagesTable({ report }: { report: RunReport }): ReactElement {
  return (
    <table className="run-table" data-testid="run-stages">
      <thead>
        <tr>
          <th>Stage</th>
          <th className="num">In</th>
          <th className="num">Out</th>
          <th className="num">Rejected</th>
          <th className="num">Time</th>
        </tr>
      </thead>
      <tbody>
        {report.stages.map((s) => (
          <tr key={s.name} data-testid={`run-stage-${s.name}`} title={s.filtered ? `${fmtInt(s.filtered)} rows filtered out` : undefined}>
            <td>
              <StageName name={s.name} kind={s.kind} />
            </td>
            <td className="num">{fmtInt(s.rows_in)}</td>
            <td className="num">{fmtInt(s.rows_out)}</td>
            <td className={`num ${s.rejected ? 'rejected' : 'muted'}`}>{s.rejected ? fmtInt(s.rejected) : '0'}</td>
            <td className="num muted">{fmtDuration(s.ms)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function FailingRule({ rule }: { rule: RuleResult }): ReactElement {
  const id = `${rule.stage}.${rule.name}`;
  const cols = [...new Set(rule.samples.flatMap((s) => Object.keys(s)))].map((name) => ({ name, type: 'string' }));
  return (
    <li className={`run-rule sev-${rule.severity}`} data-testid={`run-rule-${id}`}>
      <div className="run-rule-line">
        <span className="run-rule-mark">{rule.severity === 'error' ? '✕' : '!'}</span>
        <span className="mono run-rule-name">{id}</span>
        <span className="grow" />
        <span className="rule-failing" data-testid={`run-rule-failing-${id}`}>
          {fmtInt(rule.failing)} failing
        </span>
      </div>
      <div className="run-rule-meta muted small">
        {rule.rule} · <span className={`pill sev-${rule.severity}`}>{rule.severity}</span> · {rule.action === 'fail' ? 'stops the run' : rule.action === 'reject' ? 'rejects rows' : 'reports'}
      </div>
      {rule.samples.length > 0 && (
        <div className="run-samples" style={{ height: Math.min(6, rule.samples.length) * ROW_H + 44 }}>
          <Grid columns={cols} total={rule.samples.length} rowAt={(i) => cols.map((c) => rule.samples[i]![c.name] ?? null)} testId={`run-rule-samples-${id}`} />
        </div>
      )}
    </li>
  );
}

function Rules({ report }: { report: RunReport }): ReactElement {
  const [showPassed, setShowPassed] = useState(false);
  const failed = report.rules.filter((r) => r.status === 'fail').sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  const passed = report.rules.filter((r) => r.status === 'pass');
  if (report.rules.length === 0) return <p className="muted small">No rules ran.</p>;
  return (
    <>
      {failed.length > 0 && (
        <ul className="run-rules" data-testid="run-failing-rules">
          {failed.map((r) => (
            <FailingRule key={`${r.stage}.${r.name}`} rule={r} />
          ))}
        </ul>
      )}
      {passed.length > 0 && (
        <button className="link-btn small run-passed-toggle" onClick={() => setShowPassed(!showPassed)} aria-expanded={showPassed}>
          <Icon.check width={13} height={13} className="run-ok" /> {failed.length ? `${passed.length} other rule${passed.length === 1 ? '' : 's'} passed` : `All ${passed.length} rules passed`}
          <Icon.chevron width={12} height={12} className={showPassed ? 'rot90' : undefined} />
        </button>
      )}
      {showPassed && (
        <ul className="run-passed small">
          {passed.map((r) => (
            <li key={`${r.stage}.${r.name}`} className="mono">
              {r.stage}.{r.name} <span className="muted">({r.rule})</span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function Written({ report }: { report: RunReport }): ReactElement | null {
  if (report.outputs.length === 0 && report.rejects.length === 0) return null;
  return (
    <section className="run-section">
      <h4>Written</h4>
      <ul className="run-written small" data-testid="run-outputs">
        {report.outputs.map((o) => (
          <li key={`${o.stage}:${o.path}`}>
            <span className="mono">{o.path}</span>
            <span className="muted">
              {fmtInt(o.rows)} rows · {o.files.length} file{o.files.length === 1 ? '' : 's'} · {o.format}
            </span>
          </li>
        ))}
        {report.rejects.map((r) => (
          <li key={`${r.stage}:${r.path}`}>
            <span className="mono">{r.path}</span>
            <span className="rejected">{fmtInt(r.rows)} rejected rows</span>
          </li>
        ))}
      </ul>
      {!report.published && report.status !== 'error' && <p className="small run-warn">Outputs not published: a rule that stops the run failed.</p>}
    </section>
  );
}

function Totals({ report }: { report: RunReport }): ReactElement {
  const m = report.metrics;
  const cell = (label: string, value: string, tone = '') => (
    <div className="run-kpi">
      <span className="muted">{label}</span>
      <b className={tone}>{value}</b>
    </div>
  );
  return (
    <div className="run-kpis">
      {cell('rows in', fmtInt(m?.rows_in))}
      {cell('rows out', fmtInt(m?.rows_out))}
      {cell('rejected', fmtInt(m?.rows_rejected), m?.rows_rejected ? 'rejected' : '')}
      {cell('read', fmtBytes(report.bytes_read))}
      {cell('written', fmtBytes(report.bytes_written))}
      {cell('peak memory', fmtBytes(m?.peak_memory_bytes ?? report.peak_memory_bytes))}
    </div>
  );
}

/** One run: its outcome, per-stage rows and times, failing rules with their failing rows, what it wrote. */
export function RunDetail({ entry, where, onBack }: { entry: RunIndexEntry; where: string | undefined; onBack: () => void }): ReactElement {
  const report = useRuns((s) => s.reports[entry.run_id]);
  const others = otherParams(entry.params);
  return (
    <div className="run-detail" data-testid="run-detail">
      <button className="link-btn small run-back" onClick={onBack} data-testid="run-back">
        ← All runs
      </button>
      <div className="run-detail-head">
        <span className={`status ${STATUS_CLASS[entry.status]}`} data-testid="run-detail-status">
          {entry.status}
        </span>
        <span className="run-date mono">{runDate(entry.params)}</span>
        {others && <span className="muted small mono">{others}</span>}
        <span className="grow" />
        {entry.exit_code !== null && <span className="muted small">exit {entry.exit_code}</span>}
      </div>
      <p className="muted small run-id">
        Started {fmtWhen(entry.started_at)}, took {fmtDuration(entry.duration_ms)} · <span className="mono" data-testid="run-detail-id">{entry.run_id}</span>
        {entry.replay ? ' · replay' : ''}
      </p>
      {report === undefined ? (
        <p className="muted small">Reading the report…</p>
      ) : report === null ? (
        <p className="muted small" data-testid="run-no-report">
          {entry.status === 'running' ? 'This run is still going: its report is written when it ends.' : 'This run stopped before writing its report (killed or crashed); nothing it did was published.'}
        </p>
      ) : (
        <>
          {report.error && (
            <div className="run-error" role="alert" data-testid="run-error">
              <b>{report.error.stage ? `Failed in ${report.error.stage}` : 'Failed'}</b>
              <span>{report.error.message}</span>
            </div>
          )}
          <Totals report={report} />
          <section className="run-section">
            <h4>Rules</h4>
            <Rules report={report} />
          </section>
          <section className="run-section">
            <h4>Stages</h4>
            <StagesTable report={report} />
          </section>
          <Written report={report} />
        </>
      )}
      {where && (
        <p className="muted small runs-where" title="the run's report, structured log and metrics">
          {where}/{entry.run_id}/ — report.json, log.jsonl, metrics.prom
        </p>
      )}
    </div>
  );
}
