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
