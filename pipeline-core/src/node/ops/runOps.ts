import { join } from 'node:path';
import { alertMessageOfRun } from '../../core/ops/alertPayload.js';
import { computeRunMetrics, type MetricsInput, type RunMetrics } from '../../core/ops/metrics.js';
import { renderOpenMetrics, runMetricFamilies } from '../../core/ops/openMetrics.js';
import type { PipelineSpec } from '../../core/spec/schema.js';
import type { RunReport } from '../runner/report.js';
import type { RunEvent } from '../runner/run.js';
import { writeFileAtomic } from '../runner/atomic.js';
import { effectiveAlerts, sendAlerts, type AlertOptions } from './alerts.js';
import { appendRunIndex, runsDir } from './history.js';
import type { LogLevel } from './logRecords.js';
import { openRunLog, type RunLog } from './runLog.js';

export const METRICS_FILE = 'metrics.prom';

/** How a run is observed: logs, alerts. Passed through RunOptions.ops. */
export interface RunOpsOptions {
  readonly alerts?: AlertOptions;
  readonly logLevel?: LogLevel;
  /** Mirror the JSON log lines to this stream too (e.g. `--log-json` → stderr). */
  readonly logMirror?: NodeJS.WritableStream;
}

/**
 * Everything that watches a run, fed by the runner's events: the structured log, per-stage
 * peak memory, and at the end the metrics file, the history entry and the alerts.
 */
export interface RunOps {
  onEvent(e: RunEvent): void;
  metrics(input: MetricsInput): RunMetrics;
  /** After the report is written: metrics.prom, history index, alerts. Never throws. */
  finish(report: RunReport, emit: (e: RunEvent) => void): Promise<void>;
}

export interface RunOpsArgs {
  readonly lake: string;
  readonly runId: string;
  readonly spec: PipelineSpec;
  readonly projectDir: string;
  readonly now: () => Date;
  readonly options?: RunOpsOptions | undefined;
}

export function openRunOps(args: RunOpsArgs): RunOps {
  const runDir = join(runsDir(args.lake), args.runId);
  const log: RunLog = openRunLog({
    runDir,
    runId: args.runId,
    pipeline: args.spec.name,
    now: args.now,
    ...(args.options?.logLevel ? { level: args.options.logLevel } : {}),
    ...(args.options?.logMirror ? { mirror: args.options.logMirror } : {}),
  });
  const memory = stageMemorySampler();
  const problem = (what: string, e: unknown) => log.write({ level: 'error', msg: `could not ${what}`, fields: { event: 'ops_error', cause: e instanceof Error ? e.message : String(e) } });
  return {
    onEvent(e) {
      memory.onEvent(e);
      log.event(e);
    },
    metrics: (input) => computeRunMetrics(input, args.spec, memory.peaks()),
    async finish(report, emit) {
      memory.stop();
      try {
        const families = runMetricFamilies(
          { ...report, run_date: report.params['run_date'] === undefined ? undefined : String(report.params['run_date']) },
          report.metrics,
          report.rules.map((r) => ({ stage: r.stage, name: r.name, severity: r.severity, failing: r.failing })),
          report.matches ?? [],
        );
        await writeFileAtomic(join(runDir, METRICS_FILE), renderOpenMetrics(families));
      } catch (e) {
        problem('write metrics.prom', e);
      }
      try {
        await appendRunIndex(args.lake, report);
      } catch (e) {
        problem('append to the run history index', e);
      }
      try {
        const alerts = effectiveAlerts(args.spec.alerts, args.options?.alerts ?? {});
        const message = alertMessageOfRun(report, join(runDir, 'report.json'));
        const outcomes = await sendAlerts(alerts, message, { cwd: args.projectDir, ...args.options?.alerts });
        for (const outcome of outcomes) emit({ event: 'alert', outcome });
      } catch (e) {
        problem('send alerts', e);
      }
      await log.close().catch(() => {});
    },
  };
}

/** Samples the process's resident memory while each stage runs (DuckDB's native memory included). */
function stageMemorySampler(): { onEvent(e: RunEvent): void; peaks(): ReadonlyMap<string, number>; stop(): void } {
  const peaks = new Map<string, number>();
  let current: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  const sample = () => {
    if (current !== undefined) peaks.set(current, Math.max(peaks.get(current) ?? 0, process.memoryUsage.rss()));
  };
  const stop = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };
  return {
    onEvent(e) {
      if (e.event === 'stage_start') {
        current = e.stage;
        sample();
        if (!timer) {
          timer = setInterval(sample, 25);
          timer.unref();
        }
      } else if (e.event === 'stage_end') {
        sample();
        current = undefined;
      } else if (e.event === 'run_end') {
        stop();
      }
    },
    peaks: () => peaks,
    stop,
  };
}
