import type { ReactElement } from 'react';
import { useDoc } from '../store/docStore';
import { usePreview } from '../store/previewStore';
import { cancelPipelineRun, startPipelineRun, useRuns } from '../runs/runsStore';
import { Icon } from '../ui/icons';
import { useServices } from './context';

/**
 * Runs the whole pipeline with the real runner (desktop only: the host's `can.runPipeline`); its
 * progress and result show in the Runs panel, which opens when it starts. The web app leaves
 * running to the CLI.
 */
export function RunPipelineButton(): ReactElement | null {
  const { host } = useServices();
  const ref = useDoc((s) => s.project?.ref);
  const params = usePreview((s) => s.params);
  const active = useRuns((s) => (s.active && s.active.projectId === ref?.id ? s.active : undefined));
  if (!host.can.runPipeline || !ref) return null;
  if (active) {
    const done = active.stages.filter((s) => s.state === 'done').length;
    return (
      <button className="btn" data-testid="cancel-pipeline" disabled={active.cancelling} onClick={cancelPipelineRun} title="Stop the run (nothing half-written is published)">
        <Icon.stop /> {active.total ? `${done}/${active.total}` : 'Running'}
        <span className="btn-label">· Cancel</span>
      </button>
    );
  }
  return (
    <button className="btn" data-testid="run-pipeline" onClick={() => startPipelineRun(host, ref, params)} title="Run the whole pipeline with the runner, writing the project's lake (progress in the Runs panel)">
      <Icon.play /> <span className="btn-label">Run pipeline</span>
    </button>
  );
}
