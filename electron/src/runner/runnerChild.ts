import { join } from 'node:path';
import { exportProject, openProject, runPipeline, type RunEvent } from '@batchbook/pipeline-core/node';
// RunEvent is the runner's own event; the window's progress is the host contract's RunEvent
import { formatRefusal, resolveParams, type RunEvent as RunProgress } from '@batchbook/pipeline-core';
import type { RunnerJob, RunnerMessage } from './jobs.js';
import type { RunResult } from '@batchbook/pipeline-core';
import { permittedAlerts } from '../trust/alertsTrust.js';

/**
 * The runner in Electron's utility process: the same runPipeline / exportProject the CLI calls,
 * off the main process, reporting progress by message. Killing this process is how a run is
 * cancelled; the runner's atomic publish means nothing half-written is ever published.
 */
interface ParentPort {
  on(event: 'message', listener: (e: { data: RunnerJob }) => void): void;
  postMessage(message: RunnerMessage): void;
}

const port = (process as unknown as { parentPort: ParentPort }).parentPort;
const toParent = (m: RunnerMessage) => port.postMessage(m);

export function progressOf(e: RunEvent): RunProgress | undefined {
  if (e.event === 'stage_start') return { type: 'stage', stage: e.stage, index: e.index, total: e.total, state: 'start' };
  if (e.event === 'stage_end') return { type: 'stage', stage: e.result.name, index: e.index, total: e.total, state: 'end', rows: e.result.rows_out, rejected: e.result.rejected, ms: e.result.ms };
  if (e.event === 'landed') return { type: 'log', message: `landed ${e.landed.reduce((n, l) => n + l.files.length, 0)} file(s)` };
  if (e.event === 'alert') return { type: 'log', message: `alert ${e.outcome.status} via ${e.outcome.channel}: ${e.outcome.detail}` };
  return undefined;
}

/** How an export ended, for the window: every refusal listed (with its suggested rewrite), as the CLI prints them. */
export function exportOutcome(result: { readonly written: readonly string[]; readonly refusals: readonly Parameters<typeof formatRefusal>[0][] }, out: string): RunResult {
  if (!result.refusals.length) return { exitCode: 0, status: 'exported', reportPath: out };
  const wrote = result.written.length ? `wrote ${result.written.join(', ')}; ` : '';
  // exit 2, like `batchbook export`: the spec needs changing before these targets can be exported
  return { exitCode: 2, status: 'refused', reportPath: out, message: `${wrote}refused:\n${result.refusals.map(formatRefusal).join('\n')}` };
}

/** Runs one job, reporting through `post` (the parent port in the utility process). */
export async function handleJob(job: RunnerJob, post: (m: RunnerMessage) => void): Promise<void> {
  const project = await openProject(job.projectDir);
  const spec = project.loaded.spec;
  if (!spec) {
    post({ type: 'done', outcome: { exitCode: 2, status: 'invalid', message: project.loaded.diagnostics.find((d) => d.severity === 'error')?.message ?? 'the spec has errors' } });
    return;
  }
  if (job.kind === 'export') {
    const params = resolveParams(spec, job.params, new Date(Date.now() - 86_400_000).toISOString().slice(0, 10));
    const result = await exportProject({ project: { ...project, loaded: { ...project.loaded, spec } }, target: 'all', out: job.out, params, toolVersion: 'desktop' });
    post({ type: 'done', outcome: exportOutcome(result, job.out) });
    return;
  }
  // alerts as the CLI sends them, less what the user did not trust (checked against this very spec)
  const { alerts: _specAlerts, ...rest } = spec;
  const alerts = permittedAlerts(spec.alerts, job.alerts);
  const report = await runPipeline({
    spec: alerts ? { ...rest, alerts } : rest,
    ops: { alerts: { enabled: true, cwd: project.dir } },
    specText: project.specText,
    projectDir: project.dir,
    inbox: project.inbox,
    lake: project.defaultLake,
    params: job.params,
    onEvent: (e) => {
      const p = progressOf(e);
      if (p) post({ type: 'progress', progress: p });
    },
  });
  post({
    type: 'done',
    outcome: { exitCode: report.exit_code, status: report.status, runId: report.run_id, reportPath: join(project.defaultLake, 'runs', report.run_id, 'report.json'), ...(report.error ? { message: report.error.message } : {}) },
  });
}

if (port) {
  port.on('message', (e) => {
    handleJob(e.data, toParent).catch((err: unknown) => toParent({ type: 'done', outcome: { exitCode: 1, status: 'error', message: err instanceof Error ? err.message : String(err) } }));
  });
}
