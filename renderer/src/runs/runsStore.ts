import { create } from 'zustand';
import type { RunReport } from '@batchbook/pipeline-core';
import type { Host, ProjectRef, RunEvent, RunHandle, RunHistory, RunResult } from '../host/host';
import { useDoc } from '../store/docStore';
import { toast, useUi } from '../store/uiStore';

/**
 * The Runs panel's state: the open project's run history (its lake's runs/), the reports the user
 * opened, and the full pipeline run started from the app (desktop), with its progress and result.
 */
export interface StageProgress {
  readonly stage: string;
  readonly state: 'running' | 'done';
  readonly rows?: number;
  readonly rejected?: number;
  readonly ms?: number;
}

export interface ActiveRun {
  readonly projectId: string;
  readonly params: Readonly<Record<string, string>>;
  /** Date.now() when it started (the elapsed time shown while it runs). */
  readonly startedAt: number;
  readonly total: number;
  readonly stages: readonly StageProgress[];
  readonly log: readonly string[];
  readonly cancelling: boolean;
}

export interface RunsState {
  /** The project the history below belongs to. */
  readonly projectId?: string;
  /** undefined: not read yet; null: the project has no folder, so no lake (a sample, a new project). */
  readonly history?: RunHistory | null;
  readonly loading: boolean;
  readonly error?: string;
  /** The run whose details are open. */
  readonly selected?: string;
  /** Reports read so far, by run id (null: that run has no report). */
  readonly reports: Readonly<Record<string, RunReport | null>>;
  readonly active?: ActiveRun;
  /** How the last run started here ended (until dismissed). */
  readonly finished?: RunResult & { readonly projectId: string };
}

export const useRuns = create<RunsState>()(() => ({ loading: false, reports: {} }));

let handle: RunHandle | undefined;

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The pipeline whose runs are listed: the spec as saved (the runner runs what is on disk). */
function pipelineName(): string | undefined {
  const doc = useDoc.getState();
  return (doc.savedInput ?? doc.input)?.name;
}

/** Reads the project's history again (and forgets what it knew of another project). */
export async function refreshRuns(host: Host, ref: ProjectRef): Promise<void> {
  if (useRuns.getState().projectId !== ref.id) useRuns.setState({ projectId: ref.id, history: undefined, selected: undefined, reports: {}, error: undefined });
  useRuns.setState({ loading: true });
  try {
    const history = (await host.runHistory(ref, pipelineName())) ?? null;
    if (useRuns.getState().projectId === ref.id) useRuns.setState({ history, loading: false, error: undefined });
  } catch (e) {
    if (useRuns.getState().projectId === ref.id) useRuns.setState({ loading: false, error: message(e) });
  }
}

/** Opens one run's details, reading its report once. */
export async function openRun(host: Host, ref: ProjectRef, runId: string | undefined): Promise<void> {
  useRuns.setState({ selected: runId });
  if (!runId || runId in useRuns.getState().reports) return;
  try {
    const report = (await host.runReport(ref, runId)) ?? null;
    useRuns.setState((s) => ({ reports: { ...s.reports, [runId]: report } }));
  } catch (e) {
    useRuns.setState({ error: message(e) });
  }
}

function onProgress(e: RunEvent): void {
  useRuns.setState((s) => {
    const a = s.active;
    if (!a) return {};
    if (e.type === 'log') return { active: { ...a, log: [...a.log, e.message].slice(-20) } };
    const entry: StageProgress = e.state === 'start' ? { stage: e.stage, state: 'running' } : { stage: e.stage, state: 'done', ...(e.rows !== undefined ? { rows: e.rows } : {}), ...(e.rejected !== undefined ? { rejected: e.rejected } : {}), ...(e.ms !== undefined ? { ms: e.ms } : {}) };
    const stages = a.stages.some((x) => x.stage === e.stage) ? a.stages.map((x) => (x.stage === e.stage ? entry : x)) : [...a.stages, entry];
    return { active: { ...a, total: e.total, stages } };
  });
}

/** Runs the whole pipeline with the real runner (desktop), following it in the Runs panel. */
export function startPipelineRun(host: Host, ref: ProjectRef, params: Readonly<Record<string, string>>): void {
  if (useRuns.getState().active) return;
  try {
    handle = host.runPipeline(ref, params, onProgress);
  } catch (e) {
    toast(message(e), 'error');
    return;
  }
  useRuns.setState({ active: { projectId: ref.id, params, startedAt: Date.now(), total: 0, stages: [], log: [], cancelling: false }, finished: undefined });
  useUi.setState({ side: 'runs' });
  handle.done
    .then(
      (r) => {
        useRuns.setState({ finished: { ...r, projectId: ref.id }, ...(r.runId ? { selected: r.runId } : {}) });
        toast(r.exitCode === 0 ? 'The run succeeded' : `The run ${r.status} (exit ${r.exitCode})${r.message ? `: ${r.message}` : ''}`, r.exitCode === 0 ? 'success' : 'error');
      },
      (e: unknown) => {
        useRuns.setState({ finished: { exitCode: 1, status: 'error', message: message(e), projectId: ref.id } });
        toast(`The run failed: ${message(e)}`, 'error');
      },
    )
    .finally(() => {
      handle = undefined;
      useRuns.setState({ active: undefined });
      const current = useDoc.getState().project?.ref;
      if (current?.id !== ref.id) return;
      // the new run is in the history now; its details open if it was selected
      void refreshRuns(host, current).then(() => openRun(host, current, useRuns.getState().selected));
    });
}

export function cancelPipelineRun(): void {
  const a = useRuns.getState().active;
  if (!a || !handle) return;
  useRuns.setState({ active: { ...a, cancelling: true } });
  handle.cancel();
}
