// The browser-safe public surface of pipeline-core. Named exports only (no `export *`), so the
// dependency graph stays visible.
export type { DataType, Column, Schema, ScalarTypeName, DecimalTypeName } from './types/dataType.js';
export { parseDataType, duckdbType, isNumeric, isDecimal, isTemporal, decimalShape, decimalType, findColumn } from './types/dataType.js';
export type { Expr, Span, BinaryOp, UnaryOp, LiteralValue } from './expr/ast.js';
// Expression language (src/core/expr): parse → typecheck → emit; see docs/expression-language.md.
export type { ExprDiagnostic } from './expr/diagnostic.js';
export type { ParseResult } from './expr/parse.js';
export { parseExpression } from './expr/parse.js';
export { printExpression } from './expr/print.js';
export type { TypeEnv, ExprTypes, TypecheckResult } from './expr/typecheck.js';
export { typecheckExpression } from './expr/typecheck.js';
export { referencedColumns, referencedParams, stripSpans, childrenOf } from './expr/walk.js';
export type { FunctionName, FunctionDef, FunctionCategory, ParamDef, ParamKind } from './expr/functions.js';
export { FUNCTIONS, FUNCTION_NAMES, lookupFunction, formatSignature, renderFunctionTableMarkdown } from './expr/functions.js';
export type { Dialect, EmitOptions, EmitArg, EmitContext, FunctionEmitter, FunctionEmitterTable, BinaryEmitter, BinaryEmitterTable } from './expr/emit/emitter.js';
export { emitWithDialect } from './expr/emit/emitter.js';
export type { DuckdbEmitOptions } from './expr/emit/duckdb.js';
export { emitDuckdb, duckdbIdentifier, duckdbStringLiteral, duckdbExprLiteral } from './expr/emit/duckdb.js';
export { emitPython, PythonUnsupported } from './expr/emit/python.js';
// Pipeline spec: schema, loading with located diagnostics, analysis, commands, saving.
export type { PipelineSpec, Stage, StageKind, StageOf, Source, Parameter, Schedule, Measure, JoinKey } from './spec/schema.js';
export { pipelineSchema, pipelineJsonSchema, SPEC_VERSION } from './spec/schema.js';
export type { SpecDiagnostic, SpecPath } from './spec/diagnostics.js';
export { formatDiagnostic, formatPath, hasErrors, didYouMean } from './spec/diagnostics.js';
export type { LoadedSpec } from './spec/load.js';
export { loadSpec, parseSpecYaml } from './spec/load.js';
export type { Analysis, CheckedExpression } from './spec/analyze.js';
export { analyzeSpec, checkExpression, parameterTypes, RUN_DATE } from './spec/analyze.js';
export type { ParamValues } from './spec/params.js';
export { resolveParams, substitutePath, ParamError } from './spec/params.js';
export { saveSpec } from './spec/save.js';
export type { SpecCommand, SpecInput, StageInput, StepInput, RuleInput } from './spec/commands.js';
export {
  addStage, removeStage, moveStage, duplicateStage, renameStage, updateStage,
  addStep, updateStep, moveStep, removeStep, toggleStep,
  addRule, updateRule, removeRule, moveRule,
  setSource, removeSource, renameSource, setParameter, setSchedule, setCost, applyCommands, CommandError,
} from './spec/commands.js';
export { parseCron, nextRuns } from './spec/cron.js';
export type { CleanseStep, StepKind } from './stages/cleanse/steps.js';
export { STEP_KINDS } from './stages/cleanse/steps.js';
export type { Rule, RuleKind } from './stages/validate/rules.js';
export { ROW_RULES, TABLE_RULES, isRowRule } from './stages/validate/rules.js';
// Stages and the DuckDB compiler / executor shared by the runner and the preview.
export type { Engine, SourceRelation, CompiledStage, CompiledRule, StageModule } from './stages/stageModule.js';
export { ENGINES } from './stages/stageModule.js';
export { STAGE_MODULES, STAGE_KINDS, stageInputs, stageLabel } from './stages/registry.js';
export type { DuckdbPlan, PlannedStage, DuckdbPlanOptions } from './compile/duckdb/plan.js';
export { compileDuckdbPlan, DUCKDB_NATIVE_PRELUDE, PlanError } from './compile/duckdb/plan.js';
export { rejectsQuery } from './compile/duckdb/rejects.js';
export { quoteIdent, quoteString } from './compile/sql.js';
export type { SqlEngine, SqlRow, SqlValue } from './execute/sqlEngine.js';
export type { StageResult, RuleResult, ExecutionEvent, ExecutionResult, ExecuteOptions } from './execute/executePlan.js';
export { executePlan, StageFailure, Cancelled } from './execute/executePlan.js';
// Export: runnable artifacts per engine (src/core/export), contributor registry for extra files.
export type { ExportFile, ExportContext, ExportContributor, SampleFile, PreviewOutcome } from './export/exportFile.js';
export type { ContributorRegistration } from './export/contributors.js';
export { registerExportContributor, unregisterExportContributor, exportContributors } from './export/contributors.js';
export type { ExportTarget } from './export/targets.js';
export { EXPORT_TARGETS, isExportTarget } from './export/targets.js';
export type { ExportRefusal, ExportFlag } from './export/refusal.js';
export { formatRefusal, isRefusal } from './export/refusal.js';
export type { ExportOptions, ExportResult } from './export/exportPipeline.js';
export { exportPipeline } from './export/exportPipeline.js';
export { markedSourceRelations } from './export/markedSources.js';
export { TOOL_VERSION } from './export/toolVersion.js';
// Designer preview helpers (browser-safe): draft checking, key-consistent sampling, the readers
// the DuckDB-WASM adapter shares with the native runner, time zones without ICU.
export type { DraftCheck } from './preview/draft.js';
export { checkDraft, downstreamOf } from './preview/draft.js';
export type { SampleKey, SampleSettings } from './preview/sampling.js';
export { sampleKeys, sampleFractions, sampledRelation } from './preview/sampling.js';
export { csvSourceRelation, checkCsvHeaders, splitCsvLine, CsvSourceError } from './preview/csvRelation.js';
export type { SourceColumns } from './preview/jsonRows.js';
export { emptyColumns, readNdjson, readJsonArray, JsonSourceError } from './preview/jsonRows.js';
export { localToUtcMicros, localToUtcMacro } from './preview/localToUtc.js';
export { matchFiles, globToRegExp } from './preview/glob.js';
export { paramValuesWithFiles } from './preview/paramValuesWithFiles.js';
export type { ReadWindow } from './preview/spreadRanges.js';
export { spreadRanges, splitAtGroups, wholeLines, countLines } from './preview/spreadRanges.js';
export { nativelyTyped } from './export/readerRelations.js';
export type { FormatCode, FormatSuggestion } from './preview/dateFormats.js';
export { FORMAT_CODES, CANDIDATE_DATE_FORMATS, formatCountsSql, rankFormats } from './preview/dateFormats.js';
// Cost estimate (src/core/cost): pricing catalog, serverless vs always-on model, the one-page
// report, and the designer's cost panel model; see docs/cost-model.md.
export type { CostSection } from './spec/schema.js';
export type { CostEstimate, ScenarioCost, CostResource, CostComponent, MonthRow } from './cost/estimate.js';
export { estimateCost } from './cost/estimate.js';
export { renderCostReport } from './cost/report.js';
export { costTable, catalogTable } from './cost/table.js';
export type { CostPanelModel, CostPanelOptions, CostPanelCharts, CostInput, CostInputOption } from './cost/panelModel.js';
export { costPanelModel, applyCostInput } from './cost/panelModel.js';
export type { ChartLayout, Rect as ChartRect, Label as ChartLabel, Line as ChartLine, Band as ChartBand, Path as ChartPath, Marker as ChartMarker } from './cost/charts.js';
export { monthlyChart, tcoChart, dayChart, sensitivityChart, breakEvenChart } from './cost/charts.js';
export type { CostDiff, ScenarioChange, ComponentChange } from './cost/costDiff.js';
export { diffEstimates, costDiffTable } from './cost/costDiff.js';
export type { InfracostRoot, InfracostProject, InfracostBreakdown, InfracostResource, InfracostCostComponent } from './cost/infracost.js';
export { toInfracost } from './cost/infracost.js';
export type { Price, PriceUnit, Provider, ProviderCatalog } from './cost/catalog/types.js';
export { CATALOGS, priceBook, PriceError } from './cost/catalog/priceBook.js';
export type { Assumption, EstimateInputs } from './cost/scenario.js';
export { ScenarioError } from './cost/scenario.js';
export type { RunSummary } from './cost/measured.js';
export type { PriceOverrides } from './cost/scenarioSchema.js';
export { costScenarioSchema, priceOverridesFileSchema } from './cost/scenarioSchema.js';
export { registerCostExports } from './cost/exportContributor.js';
// Operations (src/core/ops): alerts, metrics, backfill partitions, exported monitoring configs.
export type { AlertEvent, AlertFormat, AlertsConfig, Interpolated } from './ops/alertsSchema.js';
export { alertsSchema, alertEvents, interpolateEnv, ALERT_EVENTS, ALERT_FORMATS } from './ops/alertsSchema.js';
export type { AlertMessage, AlertRule, AlertRunInput } from './ops/alertPayload.js';
export { alertMessageOfRun, alertEventOf, alertPayload, alertTitle } from './ops/alertPayload.js';
export type { RunMetrics, StageMetrics, MetricsInput } from './ops/metrics.js';
export { computeRunMetrics } from './ops/metrics.js';
export type { MetricFamily, MetricSample, RunIdentity, RuleOutcome } from './ops/openMetrics.js';
export { renderOpenMetrics, runMetricFamilies, METRIC, METRIC_PREFIX } from './ops/openMetrics.js';
export type { BackfillStep } from './ops/partitions.js';
export { partitionDates, partitionCount, partitionParams, PartitionError } from './ops/partitions.js';
export type { MonitoringNames } from './ops/monitoring.js';
export { monitoringFiles, monitoringNames, gcpLogMetrics, gcpAlertPolicies, gcpNotificationChannel, awsAlarmsTemplate, LOG_FIELDS, MONITORING_DIR } from './ops/monitoring.js';
export { registerMonitoringExports, MONITORING_CONTRIBUTOR } from './ops/monitoringContributor.js';
export { matchesLogFilter, matchesCloudWatchPattern } from './ops/monitoringFilters.js';
export type { RunReport, OutputReport, OutputFile, RejectsReport, LandedSource, LandedFile, ExitCode } from './ops/runReport.js';
export { parseRunReport, EXIT } from './ops/runReport.js';
export type { RunIndexEntry, RunLakeReader, RawFile } from './ops/runHistory.js';
export { collectRunHistory, parseRunIndexLine, unfinishedRunEntry, runIndexEntryOf, reportRawFiles, rawFingerprintText, compareRunEntries, RUN_ID_PATTERN, RUN_INDEX_FILE } from './ops/runHistory.js';
// The host contract (src/core/host): what the designer asks of Electron or the browser, shared by both sides.
export type { MenuCommand } from './host/menuCommands.js';
export { MENU_COMMANDS, isMenuCommand } from './host/menuCommands.js';
export type { DesktopApi, ProjectRef, OpenedProject, RecentProject, RecoveryCopy, SaveOutcome, DataFile, RunEvent, RunResult, RunUpdate, RunHistory } from './host/desktopApi.js';
