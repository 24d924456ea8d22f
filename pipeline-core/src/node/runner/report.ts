import type { RuleResult } from '../../core/execute/executePlan.js';
import type { RunReport } from '../../core/ops/runReport.js';
import { matchSummaryLine } from '../../core/ops/matchReport.js';
import { groupDigits, rowsText } from '../ops/textTable.js';

// The report's shape lives in the browser-safe core (the designer's Runs panel reads it too).
export type { ExitCode, OutputFile, OutputReport, RejectsReport, RunReport } from '../../core/ops/runReport.js';
export { EXIT } from '../../core/ops/runReport.js';

const n = groupDigits;

/** The short human summary printed on stderr after a run. */
export function summarise(report: RunReport): string {
  const lines: string[] = [];
  const icon = report.status === 'succeeded' ? '✓' : '✗';
  lines.push(`${icon} ${report.pipeline} ${Object.entries(report.params).map(([k, v]) => `${k}=${v}`).join(' ')} — ${report.status} in ${(report.duration_ms / 1000).toFixed(1)}s (run ${report.run_id})`);
  for (const s of report.stages) {
    const extra = [s.rejected ? `${n(s.rejected)} rejected` : '', s.filtered ? `${n(s.filtered)} filtered` : ''].filter(Boolean).join(', ');
    lines.push(`  ${s.name.padEnd(24)} ${s.kind.padEnd(9)} ${n(s.rows_out).padStart(11)} ${s.rows_out === 1 ? 'row ' : 'rows'}${extra ? ` (${extra})` : ''}  ${s.ms} ms`);
  }
  const failed = report.rules.filter((r) => r.status === 'fail');
  if (failed.length) {
    lines.push('  rules failed:');
    for (const r of failed) lines.push(`    ${r.severity === 'error' ? '✗' : '!'} ${r.stage}.${r.name} (${r.rule}, ${r.severity}, ${r.action}): ${n(r.failing)} failing${sampleText(r)}`);
  } else if (report.rules.length) {
    lines.push(`  all ${report.rules.length} rules passed`);
  }
  for (const m of report.matches ?? []) {
    lines.push(`  ${m.stage}: ${matchSummaryLine(m)}`);
    if (m.stale_dates.length) lines.push(`  ! ${m.stage}: later dates now stale (their open items came from this date's earlier state): ${m.stale_dates.join(', ')} — re-run them`);
  }
  for (const o of report.outputs) lines.push(`  → ${o.path} (${rowsText(o.rows)}, ${o.files.length} file${o.files.length === 1 ? '' : 's'})`);
  if (!report.published && report.status !== 'error') lines.push('  outputs NOT published: a rule with action "fail" failed');
  if (report.error) lines.push(`  error${report.error.stage ? ` in ${report.error.stage}` : ''}: ${report.error.message}`);
  return lines.join('\n');
}

function sampleText(r: RuleResult): string {
  const first = r.samples[0];
  if (!first) return '';
  const text = Object.entries(first).map(([k, v]) => `${k}=${v === null ? 'NULL' : String(v)}`).join(', ');
  return ` — e.g. ${text.length > 140 ? `${text.slice(0, 140)}…` : text}`;
}
