import { useEffect, useRef, useState, type ReactElement } from 'react';
import { EXPORT_TARGETS, formatRefusal } from '@batchbook/pipeline-core';
import { isDirty, useDoc } from '../store/docStore';
import { usePreview } from '../store/previewStore';
import { toast, useUi } from '../store/uiStore';
import { yesterday } from '../preview/previewController';
import { buildExportZip, downloadBytes, type ExportTargetName } from './exportZip';
import { useServices } from './context';

const TITLES: Readonly<Record<ExportTargetName, string>> = {
  duckdb: 'DuckDB — pinned spec, SQL script and run.sh',
  spark: 'PySpark — Dataproc / EMR Serverless',
  beam: 'Apache Beam — Dataflow',
  dbt: 'dbt — dbt-duckdb project',
  airflow: 'Airflow — nightly DAG and Cloud Scheduler',
};

const close = () => useUi.setState({ exportDialog: false });

/**
 * The web build's export: pick targets (and the cost report), get one zip with the same files
 * `batchbook export` writes. The desktop app writes the folders itself instead.
 */
export function ExportDialog(): ReactElement | null {
  const { host } = useServices();
  const open = useUi((s) => s.exportDialog === true);
  const [targets, setTargets] = useState<readonly ExportTargetName[]>(EXPORT_TARGETS);
  const [cost, setCost] = useState(true);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (!open) return;
    setProblem(undefined);
    requestAnimationFrame(() => first.current?.focus());
    const back = document.activeElement as HTMLElement | null;
    return () => back?.focus?.();
  }, [open]);
  if (!open) return null;

  const download = async () => {
    const doc = useDoc.getState();
    if (!doc.project) return;
    setBusy(true);
    setProblem(undefined);
    try {
      const specText = isDirty(doc) ? doc.textToSave() : doc.project.specText;
      const out = await buildExportZip(host, { project: doc.project, specText, params: usePreview.getState().params, fallbackRunDate: yesterday(), targets, cost });
      downloadBytes(out.zip, out.fileName);
      const refused = out.result.refusals.filter((r) => targets.includes(r.target as ExportTargetName));
      if (refused.length) setProblem(`Not exported:\n${refused.map(formatRefusal).join('\n')}`);
      else close();
      toast(`Downloaded ${out.fileName} (${out.files} files)`, 'success');
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  const toggle = (t: ExportTargetName, on: boolean) => setTargets((ts) => (on ? EXPORT_TARGETS.filter((x) => x === t || ts.includes(x)) : ts.filter((x) => x !== t)));
  return (
    <div className="overlay" onMouseDown={close}>
      <div className="palette export-dialog" role="dialog" aria-modal="true" aria-labelledby="export-title" data-testid="export-dialog" onMouseDown={(e) => e.stopPropagation()} onKeyDown={(e) => e.key === 'Escape' && (e.preventDefault(), close())}>
        <h2 id="export-title">Export the pipeline</h2>
        <p className="muted small">One zip with a folder per target, each with a README on how to run it — the files <span className="mono">batchbook export</span> writes.</p>
        <fieldset>
          <legend>Targets</legend>
          {EXPORT_TARGETS.map((t, i) => (
            <label key={t} className="check">
              <input ref={i === 0 ? first : undefined} type="checkbox" checked={targets.includes(t)} data-testid={`export-target-${t}`} onChange={(e) => toggle(t, e.target.checked)} />
              {TITLES[t]}
            </label>
          ))}
          <label className="check">
            <input type="checkbox" checked={cost} data-testid="export-cost" onChange={(e) => setCost(e.target.checked)} />
            Cost report — one page for business leaders, and its figures
          </label>
        </fieldset>
        {problem && (
          <pre className="export-problem" role="alert" data-testid="export-problem">
            {problem}
          </pre>
        )}
        <div className="row-gap export-actions">
          <button className="btn primary" data-testid="export-download" disabled={busy || (targets.length === 0 && !cost)} onClick={() => void download()}>
            {busy ? 'Exporting…' : 'Download zip'}
          </button>
          <button className="btn" onClick={close}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}
