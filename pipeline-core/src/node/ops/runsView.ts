import pc from 'picocolors';
import type { RunReport } from '../runner/report.js';
import { matchSummaryLine, type MatchReport } from '../../core/ops/matchReport.js';
import type { RunDiff } from './diff.js';
import type { RunIndexEntry } from './history.js';
import { fmtBytes, fmtDuration, fmtInt, rowsText, textTable } from './textTable.js';

const statusColour = (s: string) => (s === 'succeeded' ? pc.green(s) : s === 'failed' || s === 'error' ? pc.red(s) : pc.yellow(s));
const paramText = (p: Readonly<Record<string, string | number>>) => Object.entries(p).map(([k, v]) => `${k}=${v}`).join(' ');
const when = (iso: string | null) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '-');

/** `batchbook runs`: one line per run, newest last. */
export function formatRunList(entries: readonly RunIndexEntry[]): string {
  if (entries.length === 0) return 'no runs yet';
  const rows = entries.map((e) => [
    e.run_id,
    String(e.params['run_date'] ?? '-'),
    e.status,
    e.exit_code === null ? '-' : String(e.exit_code),
    when(e.started_at),
    fmtDuration(e.duration_ms),
    fmtInt(e.rows_in),
    fmtInt(e.rows_out),
    fmtInt(e.rows_rejected),
    e.rule_failures ? `${e.rule_failures}${e.rule_failures_error ? ` (${e.rule_failures_error} error)` : ''}` : '0',
  ]);
  const table = textTable(['RUN', 'RUN DATE', 'STATUS', 'EXIT', 'STARTED', 'DURATION', 'ROWS IN', 'ROWS OUT', 'REJECTED', 'FAILED RULES'], rows);
  // colour after alignment so escape codes do not upset the widths
  return table
    .split('\n')
    .map((line, i) => (i === 0 ? pc.bold(line) : line.replace(/ (succeeded|failed|error|incomplete|running) /, (m, s: string) => ` ${statusColour(s)} `)))
    .join('\n');
}

function sampleTable(samples: RunReport['rules'][number]['samples'], indent: string): string {
  const cols = [...new Set(samples.flatMap((s) => Object.keys(s)))];
  const cell = (v: unknown) => (v === null || v === undefined ? 'NULL' : typeof v === 'object' ? JSON.stringify(v) : String(v)).slice(0, 40);
  return textTable(cols, samples.map((s) => cols.map((c) => cell(s[c]))), indent);
}

/** `batchbook runs --show`: one run with its stage metrics, failing rules and samples, outputs. */
export function formatRunDetail(report: RunReport, dir: string, alerts: readonly { status: string; channel: string; detail: string }[]): string {
  const out: string[] = [];
  out.push(`${pc.bold(`run ${report.run_id}`)}  ${report.pipeline}  ${paramText(report.params)}${report.replay ? ' (replay)' : ''}`);
  out.push(`status     ${statusColour(report.status)} (exit ${report.exit_code})${report.published ? '' : ', outputs not published'}`);
  out.push(`started    ${when(report.started_at)}, took ${fmtDuration(report.duration_ms)}`);
  out.push(`spec       sha256 ${report.spec_sha256.slice(0, 16)}…`);
  const m = report.metrics;
  if (m) out.push(`totals     ${fmtInt(m.rows_in)} rows in, ${fmtInt(m.rows_out)} out, ${fmtInt(m.rows_rejected)} rejected; read ${fmtBytes(m.bytes_read)}, wrote ${fmtBytes(m.bytes_written)}; peak memory ${fmtBytes(m.peak_memory_bytes)}`);
  if (report.error) out.push(pc.red(`error      ${report.error.stage ? `in stage ${report.error.stage}: ` : ''}${report.error.message}`));
  out.push('', pc.bold('stages'));
  const stageMetrics = new Map((m?.stages ?? []).map((s) => [s.stage, s]));
  out.push(
    textTable(
      ['STAGE', 'KIND', 'ROWS IN', 'ROWS OUT', 'REJECTED', 'FILTERED', 'READ', 'WRITTEN', 'TIME', 'PEAK MEM', 'RULES FAILED'],
      report.stages.map((s) => {
        const sm = stageMetrics.get(s.name);
        return [s.name, s.kind, fmtInt(s.rows_in), fmtInt(s.rows_out), fmtInt(s.rejected), fmtInt(s.filtered), sm?.bytes_read ? fmtBytes(sm.bytes_read) : '-', sm?.bytes_written ? fmtBytes(sm.bytes_written) : '-', fmtDuration(s.ms), sm?.peak_memory_bytes ? fmtBytes(sm.peak_memory_bytes) : '-', sm ? `${sm.rule_failures}/${sm.rules_evaluated}` : '-'];
      }),
      '  ',
    ),
  );
  const failed = report.rules.filter((r) => r.status === 'fail');
  out.push('', pc.bold(failed.length ? `failing rules (${failed.length} of ${report.rules.length})` : `rules: all ${report.rules.length} passed`));
  for (const r of failed) {
    const mark = r.severity === 'error' ? pc.red('✗') : pc.yellow('!');
    out.push(`  ${mark} ${r.stage}.${r.name}  ${r.rule}, severity ${r.severity}, action ${r.action}: ${fmtInt(r.failing)} failing`);
    if (r.samples.length) out.push(sampleTable(r.samples.slice(0, 5), '      '));
  }
  for (const mr of report.matches ?? []) out.push('', ...formatMatch(mr));
  if (report.outputs.length || report.rejects.length) out.push('', pc.bold('written'));
  for (const o of report.outputs) out.push(`  → ${o.path}  ${rowsText(o.rows)} in ${o.files.length} file${o.files.length === 1 ? '' : 's'}${o.files.length === 1 ? `, sha256 ${o.files[0]!.sha256.slice(0, 12)}…` : ''}`);
  for (const r of report.rejects) out.push(`  ⤳ ${r.path}  ${fmtInt(r.rows)} rejected rows`);
  if (alerts.length) {
    out.push('', pc.bold('alerts'));
    for (const a of alerts) out.push(`  ${a.status === 'sent' ? '✓' : '!'} ${a.channel} ${a.status}: ${a.detail}`);
  }
  out.push('', pc.dim(`files: ${dir}/{report.json,log.jsonl,metrics.prom}`));
  return out.join('\n');
}

/** A match stage's categories and its open items with their ages, oldest first. */
function formatMatch(m: MatchReport): string[] {
  const out = [pc.bold(`match ${m.stage}`) + `  ${matchSummaryLine(m)}`];
  const money = (x: number | undefined) => (x === undefined ? '-' : x.toFixed(2));
  out.push(
    textTable(
      ['CATEGORY', 'ITEMS', 'AMOUNT'],
      [
        ['matched', fmtInt(m.matched), money(m.amounts?.matched)],
        ['mismatched', fmtInt(m.mismatched), m.amounts ? `${money(m.amounts.mismatched_left)} / ${money(m.amounts.mismatched_right)}` : '-'],
        [`open ${m.labels.left}s`, fmtInt(m.unmatched_left), money(m.amounts?.unmatched_left)],
        [`open ${m.labels.right}s`, fmtInt(m.unmatched_right), money(m.amounts?.unmatched_right)],
      ],
      '  ',
    ),
  );
  out.push(`  match rate ${(m.match_rate * 100).toFixed(1)}%${m.carried_from ? `; open items carried in from ${m.carried_from}` : ''}`);
  if (m.stale_dates.length) out.push(pc.yellow(`  ! later dates now stale (re-run them): ${m.stale_dates.join(', ')}`));
  if (m.open_items.length) {
    const over = (age: number) => m.max_age_days !== undefined && age > m.max_age_days;
    out.push(`  open items${m.unmatched_left + m.unmatched_right > m.open_items.length ? ` (oldest ${m.open_items.length})` : ''}:`);
    out.push(
      textTable(
        ['SIDE', 'KEY', 'OPENED', 'AGE (DAYS)', 'AMOUNT', ''],
        m.open_items.map((o) => [m.labels[o.side], o.key, o.opened, String(o.age_days), o.amount === undefined || o.amount === null ? '-' : o.amount.toFixed(2), over(o.age_days) ? (m.severity === 'warn' ? pc.yellow('too old') : pc.red('too old')) : '']),
        '    ',
      ),
    );
  }
  return out;
}

const arrow = (a: string, b: string) => (a === b ? a : `${a} → ${b}`);
const delta = (a: number | undefined, b: number | undefined) => {
  if (a === undefined || b === undefined || a === b) return '';
  const d = b - a;
  return d > 0 ? `+${fmtInt(d)}` : `-${fmtInt(-d)}`;
};

/** `batchbook diff`: what differs between two runs. */
export function formatDiff(d: RunDiff): string {
  const out: string[] = [];
  const head = (label: string, s: RunDiff['a']) => `${label}  ${s.run_id}  ${paramText(s.params)}  ${statusColour(s.status)} (exit ${s.exit_code})${s.error ? `  ${s.error.stage ? `${s.error.stage}: ` : ''}${s.error.message}` : ''}`;
  out.push(head('a', d.a), head('b', d.b));
  out.push(`spec    ${d.spec_changed ? pc.yellow(`changed ${d.a.spec_sha256.slice(0, 12)}… → ${d.b.spec_sha256.slice(0, 12)}…`) : `same (${d.a.spec_sha256.slice(0, 12)}…)`}`);
  if (d.params.length) out.push(`params  ${d.params.map((p) => `${p.name} ${arrow(String(p.a ?? '∅'), String(p.b ?? '∅'))}`).join(', ')}`);
  out.push('', pc.bold('inputs (raw files)'));
  out.push(textTable(['SOURCE', 'FILES', 'BYTES', 'CONTENT'], d.inputs.map((i) => [i.source, arrow(fmtInt(i.a?.files), fmtInt(i.b?.files)), arrow(fmtBytes(i.a?.bytes), fmtBytes(i.b?.bytes)), i.change]), '  '));
  out.push('', pc.bold('stages (rows)'));
  out.push(
    textTable(
      ['STAGE', 'KIND', 'IN a', 'IN b', 'OUT a', 'OUT b', 'Δ OUT', 'REJ a', 'REJ b', 'Δ REJ'],
      d.stages.map((s) => [s.stage, s.kind, fmtInt(s.a?.rows_in), fmtInt(s.b?.rows_in), fmtInt(s.a?.rows_out), fmtInt(s.b?.rows_out), delta(s.a?.rows_out, s.b?.rows_out), fmtInt(s.a?.rejected), fmtInt(s.b?.rejected), delta(s.a?.rejected, s.b?.rejected)]),
      '  ',
    ),
  );
  const changed = d.rules.filter((r) => r.change !== 'same');
  const unchangedFailing = d.rules.filter((r) => r.change === 'same' && r.b?.status === 'fail');
  out.push('', pc.bold(`rules (${changed.length} changed of ${d.rules.length})`));
  const outcome = (x: RunDiff['rules'][number]['a']) => (x ? (x.status === 'pass' ? 'pass' : `FAIL (${fmtInt(x.failing)})`) : '∅');
  for (const r of changed) {
    const mark = r.change === 'newly_failing' ? pc.red('✗') : r.change === 'fixed' ? pc.green('✓') : '~';
    out.push(`  ${mark} ${r.stage}.${r.name} (${r.rule}, ${r.severity})  ${outcome(r.a)} → ${outcome(r.b)}  ${pc.dim(r.change.replace('_', ' '))}`);
  }
  for (const r of unchangedFailing) out.push(`  ${pc.yellow('!')} ${r.stage}.${r.name} (${r.rule}, ${r.severity})  failing in both (${fmtInt(r.b?.failing)})`);
  out.push('', pc.bold('outputs'));
  if (d.outputs.length === 0) out.push('  (none published in either run)');
  else out.push(textTable(['OUTPUT', 'ROWS a', 'ROWS b', 'FILES', 'CONTENT'], d.outputs.map((o) => [o.path, fmtInt(o.a?.rows), fmtInt(o.b?.rows), arrow(fmtInt(o.a?.files), fmtInt(o.b?.files)), o.change === 'same' ? 'identical' : o.change]), '  '));
  return out.join('\n');
}
