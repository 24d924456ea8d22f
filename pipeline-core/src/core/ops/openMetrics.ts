import type { MatchReport } from './matchReport.js';
import type { RunMetrics } from './metrics.js';

/**
 * Renders a run's metrics as OpenMetrics text (`metrics.prom`). Only gauges, and the `# EOF`
 * terminator is a comment to the older Prometheus text format, so the same file suits a node
 * exporter's textfile collector and an OpenMetrics scraper.
 */
export const METRIC_PREFIX = 'batchbook';

export interface MetricSample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface MetricFamily {
  readonly name: string;
  readonly help: string;
  readonly samples: readonly MetricSample[];
}

/** What identifies a run in its metrics. */
export interface RunIdentity {
  readonly pipeline: string;
  readonly run_id: string;
  readonly status: string;
  readonly exit_code: number;
  readonly started_at: string;
  readonly finished_at: string;
  readonly run_date?: string | undefined;
}

export interface RuleOutcome {
  readonly stage: string;
  readonly name: string;
  readonly severity: string;
  readonly failing: number;
}

/** Metric names, one place: the exported monitoring configs refer to them too. */
export const METRIC = {
  runDetails: `${METRIC_PREFIX}_run_details`,
  runSuccess: `${METRIC_PREFIX}_run_success`,
  runExitCode: `${METRIC_PREFIX}_run_exit_code`,
  runStart: `${METRIC_PREFIX}_run_start_timestamp_seconds`,
  runEnd: `${METRIC_PREFIX}_run_end_timestamp_seconds`,
  runDuration: `${METRIC_PREFIX}_run_duration_seconds`,
  runRowsIn: `${METRIC_PREFIX}_run_rows_in`,
  runRowsOut: `${METRIC_PREFIX}_run_rows_out`,
  runRowsRejected: `${METRIC_PREFIX}_run_rows_rejected`,
  runReadBytes: `${METRIC_PREFIX}_run_read_bytes`,
  runWrittenBytes: `${METRIC_PREFIX}_run_written_bytes`,
  runPeakMemory: `${METRIC_PREFIX}_run_peak_memory_bytes`,
  runRulesEvaluated: `${METRIC_PREFIX}_run_rules_evaluated`,
  runRuleFailures: `${METRIC_PREFIX}_run_rule_failures`,
  stageRowsIn: `${METRIC_PREFIX}_stage_rows_in`,
  stageRowsOut: `${METRIC_PREFIX}_stage_rows_out`,
  stageRowsRejected: `${METRIC_PREFIX}_stage_rows_rejected`,
  stageRowsFiltered: `${METRIC_PREFIX}_stage_rows_filtered`,
  stageReadBytes: `${METRIC_PREFIX}_stage_read_bytes`,
  stageWrittenBytes: `${METRIC_PREFIX}_stage_written_bytes`,
  stageDuration: `${METRIC_PREFIX}_stage_duration_seconds`,
  stageRuleFailures: `${METRIC_PREFIX}_stage_rule_failures`,
  stagePeakMemory: `${METRIC_PREFIX}_stage_peak_memory_bytes`,
  ruleFailing: `${METRIC_PREFIX}_rule_failing`,
  matchItems: `${METRIC_PREFIX}_match_items`,
  matchAmount: `${METRIC_PREFIX}_match_amount`,
  matchRate: `${METRIC_PREFIX}_match_rate`,
  matchOverAge: `${METRIC_PREFIX}_match_open_over_age`,
} as const;

const seconds = (iso: string) => Date.parse(iso) / 1000;

/** The metric families of one run: run-level, per stage, per rule. */
export function runMetricFamilies(id: RunIdentity, m: RunMetrics, rules: readonly RuleOutcome[], matches: readonly MatchReport[] = []): MetricFamily[] {
  const p = { pipeline: id.pipeline };
  const one = (name: string, help: string, value: number, labels: Record<string, string> = {}): MetricFamily => ({ name, help, samples: [{ labels: { ...p, ...labels }, value }] });
  const perStage = (name: string, help: string, pick: (s: RunMetrics['stages'][number]) => number | undefined): MetricFamily => ({
    name,
    help,
    samples: m.stages.flatMap((s) => {
      const v = pick(s);
      return v === undefined ? [] : [{ labels: { ...p, stage: s.stage, kind: s.kind }, value: v }];
    }),
  });
  const details: Record<string, string> = { run_id: id.run_id, status: id.status, ...(id.run_date !== undefined ? { run_date: id.run_date } : {}) };
  const families: MetricFamily[] = [
    one(METRIC.runDetails, 'The run this file describes (always 1; see the labels).', 1, details),
    one(METRIC.runSuccess, '1 if the run succeeded (exit code 0), else 0.', id.exit_code === 0 ? 1 : 0),
    one(METRIC.runExitCode, 'Exit code: 0 ok, 1 runtime error, 2 usage, 3 an error-severity rule failed.', id.exit_code),
    one(METRIC.runStart, 'When the run started, in Unix seconds.', seconds(id.started_at)),
    one(METRIC.runEnd, 'When the run finished, in Unix seconds.', seconds(id.finished_at)),
    one(METRIC.runDuration, 'Wall-clock duration of the run.', m.duration_seconds),
    one(METRIC.runRowsIn, 'Rows read by the ingest stages.', m.rows_in),
    one(METRIC.runRowsOut, 'Rows written to curated outputs.', m.rows_out),
    one(METRIC.runRowsRejected, 'Rows written to the rejects zone.', m.rows_rejected),
    one(METRIC.runReadBytes, 'Bytes of raw source files read.', m.bytes_read),
    one(METRIC.runWrittenBytes, 'Bytes of output and rejects files written.', m.bytes_written),
    one(METRIC.runPeakMemory, 'Peak resident memory of the runner process.', m.peak_memory_bytes),
    one(METRIC.runRulesEvaluated, 'Validation rules evaluated.', m.rules_evaluated),
    {
      name: METRIC.runRuleFailures,
      help: 'Validation rules that failed, by severity.',
      samples: [
        { labels: { ...p, severity: 'error' }, value: m.rule_failures_error },
        { labels: { ...p, severity: 'warn' }, value: m.rule_failures - m.rule_failures_error },
      ],
    },
    perStage(METRIC.stageRowsIn, 'Rows into the stage.', (s) => s.rows_in),
    perStage(METRIC.stageRowsOut, 'Rows out of the stage.', (s) => s.rows_out),
    perStage(METRIC.stageRowsRejected, 'Rows the stage rejected.', (s) => s.rows_rejected),
    perStage(METRIC.stageRowsFiltered, 'Rows the stage filtered out on purpose.', (s) => s.rows_filtered),
    perStage(METRIC.stageReadBytes, 'Source bytes the stage read.', (s) => s.bytes_read),
    perStage(METRIC.stageWrittenBytes, 'Bytes of files the stage wrote (outputs and rejects).', (s) => s.bytes_written),
    perStage(METRIC.stageDuration, 'Duration of the stage.', (s) => s.duration_seconds),
    perStage(METRIC.stageRuleFailures, 'Rules of the stage that failed.', (s) => s.rule_failures),
    perStage(METRIC.stagePeakMemory, 'Peak resident memory while the stage ran.', (s) => s.peak_memory_bytes),
    {
      name: METRIC.ruleFailing,
      help: 'Failing rows (row rules) or failing groups (table rules) of each rule; 0 means it passed.',
      samples: rules.map((r) => ({ labels: { ...p, stage: r.stage, rule: r.name, severity: r.severity }, value: r.failing })),
    },
    ...matchFamilies(p, matches),
  ];
  return families.filter((f) => f.samples.length > 0);
}

/** Match stages: items and amounts per category, the match rate, open items past their allowed age. */
function matchFamilies(p: { pipeline: string }, matches: readonly MatchReport[]): MetricFamily[] {
  const categories = (x: MatchReport) => [
    ['matched', x.matched, x.amounts?.matched],
    ['mismatched', x.mismatched, x.amounts?.mismatched_left],
    ['unmatched_left', x.unmatched_left, x.amounts?.unmatched_left],
    ['unmatched_right', x.unmatched_right, x.amounts?.unmatched_right],
  ] as const;
  return [
    { name: METRIC.matchItems, help: 'Items of a match stage per category (matched counts left items).', samples: matches.flatMap((x) => categories(x).map(([category, n]) => ({ labels: { ...p, stage: x.stage, category }, value: n }))) },
    { name: METRIC.matchAmount, help: 'Amounts of a match stage per category (left amounts; unmatched_right: right amounts).', samples: matches.flatMap((x) => categories(x).flatMap(([category, , amount]) => (amount === undefined ? [] : [{ labels: { ...p, stage: x.stage, category }, value: amount }]))) },
    { name: METRIC.matchRate, help: 'Matched left items / all left items (open items carried in included).', samples: matches.map((x) => ({ labels: { ...p, stage: x.stage }, value: x.match_rate })) },
    {
      name: METRIC.matchOverAge,
      help: 'Open items older than the stage allows, per side.',
      samples: matches.flatMap((x) => [
        { labels: { ...p, stage: x.stage, side: 'left' }, value: x.over_age_left },
        { labels: { ...p, stage: x.stage, side: 'right' }, value: x.over_age_right },
      ]),
    },
  ];
}

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const escapeHelp = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

export function renderOpenMetrics(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  for (const f of families) {
    lines.push(`# HELP ${f.name} ${escapeHelp(f.help)}`);
    lines.push(`# TYPE ${f.name} gauge`);
    for (const s of f.samples) {
      const labels = Object.entries(s.labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
      lines.push(`${f.name}${labels.length ? `{${labels.join(',')}}` : ''} ${formatValue(s.value)}`);
    }
  }
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}
