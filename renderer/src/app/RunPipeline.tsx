import { useState, type ReactElement } from 'react';
import { useDoc } from '../store/docStore';
import { usePreview } from '../store/previewStore';
import { toast } from '../store/uiStore';
import type { RunHandle } from '../host/host';
import { useServices } from './context';

/**
 * Runs the whole pipeline with the real runner (desktop only: the host's `can.runPipeline`),
 * with its progress and a cancel; the web app leaves this to the CLI.
 */
export function RunPipelineButton(): ReactElement | null {
  const { host } = useServices();
  const ref = useDoc((s) => s.project?.ref);
  const params = usePreview((s) => s.params);
  const [run, setRun] = useState<{ handle: RunHandle; stage?: string; done: number; total: number }>();
  if (!host.can.runPipeline || !ref) return null;
  if (run) {
    return (
      <button className="btn" data-testid="cancel-pipeline" onClick={() => run.handle.cancel()} title="Stop the run (nothing half-written is published)">
        Running {run.stage ?? ''} {run.total ? `${run.done}/${run.total}` : ''} · Cancel
      </button>
    );
  }
  const start = () => {
    try {
      const handle = host.runPipeline(ref, params, (e) => {
        if (e.type === 'stage') setRun((r) => r && { ...r, stage: e.stage, done: e.state === 'end' ? e.index + 1 : e.index, total: e.total });
      });
      setRun({ handle, done: 0, total: 0 });
      handle.done.then(
        (r) => toast(r.exitCode === 0 ? `Run succeeded${r.reportPath ? `: ${r.reportPath}` : ''}` : `Run ${r.status} (exit ${r.exitCode})${r.message ? `: ${r.message}` : ''}`, r.exitCode === 0 ? 'success' : 'error'),
        (e: Error) => toast(`Run failed: ${e.message}`, 'error'),
      ).finally(() => setRun(undefined));
    } catch (e) {
      toast(e instanceof Error ? e.message : String(e), 'error');
    }
  };
  return (
    <button className="btn" data-testid="run-pipeline" onClick={start} title="Run the whole pipeline with the runner, writing the lake">
      Run pipeline
    </button>
  );
}
