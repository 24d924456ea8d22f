// The Node-only public surface of pipeline-core: the runner, the native DuckDB adapter, projects.
export { NodeDuckdbEngine } from './duckdb/nodeEngine.js';
export type { NodeEngineOptions } from './duckdb/nodeEngine.js';
export { runPipeline, defaultRunDate, newRunId } from './runner/run.js';
export type { RunOptions, RunEvent } from './runner/run.js';
export type { RunReport, OutputReport, RejectsReport, OutputFile, ExitCode } from './runner/report.js';
export { EXIT, summarise } from './runner/report.js';
export { landSources, landedSources, LandingError, sha256File } from './runner/land.js';
export { nativeSourceRelation, SourceError } from './runner/sourceRelation.js';
export { openProject, ProjectError, SPEC_FILE } from './project/project.js';
export type { Project } from './project/project.js';
export { exportProject, writeExport, sampleFiles } from './export/exportProject.js';
export type { ExportProjectOptions } from './export/exportProject.js';
// Operations: run logs, metrics files, run history, diff, alerts, backfill (src/node/ops).
export type { RunOpsOptions } from './ops/runOps.js';
export type { AlertOutcome, AlertOptions } from './ops/alerts.js';
export { sendAlerts, effectiveAlerts } from './ops/alerts.js';
export type { RunIndexEntry } from './ops/history.js';
export { readRunHistory, readReport, rawFingerprint } from './ops/history.js';
export type { RunDiff } from './ops/diff.js';
export { diffRuns } from './ops/diff.js';
export { resolveRun, RunRefError } from './ops/runRef.js';
export type { BackfillOptions, BackfillProgress, BackfillSummary } from './ops/backfill.js';
export { runBackfill, BackfillError } from './ops/backfill.js';
export { runProgress } from './ops/progress.js';
