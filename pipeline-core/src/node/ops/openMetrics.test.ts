import { describe, expect, it } from 'vitest';
import type { RunMetrics } from '../../core/ops/metrics.js';
import { renderOpenMetrics, runMetricFamilies } from '../../core/ops/openMetrics.js';
import { OpenMetricsSyntaxError, parseOpenMetrics, sampleValue } from './openMetricsParser.js';

const metrics: RunMetrics = {
  rows_in: 1000, rows_out: 990, rows_rejected: 10, bytes_read: 65_536, bytes_written: 4096, duration_seconds: 12.5,
  rules_evaluated: 3, rule_failures: 2, rule_failures_error: 1, peak_memory_bytes: 300 * 2 ** 20,
  stages: [
    { stage: 'raw', kind: 'ingest', rows_in: 1000, rows_out: 1000, rows_rejected: 0, rows_filtered: 0, bytes_read: 65_536, bytes_written: 0, duration_seconds: 0.25, rules_evaluated: 0, rule_failures: 0, peak_memory_bytes: 200 * 2 ** 20 },
    { stage: 'checks', kind: 'validate', rows_in: 1000, rows_out: 990, rows_rejected: 10, rows_filtered: 0, bytes_read: 0, bytes_written: 4096, duration_seconds: 0.125, rules_evaluated: 3, rule_failures: 2 },
  ],
};
const id = { pipeline: 'p', run_id: '20261125T023000Z-abc123', status: 'failed', exit_code: 3, started_at: '2026-11-25T02:30:00.000Z', finished_at: '2026-11-25T02:30:12.500Z', run_date: '2026-11-25' };

describe('metrics.prom', () => {
  const text = renderOpenMetrics(runMetricFamilies(id, metrics, [{ stage: 'checks', name: 'unique_id', severity: 'error', failing: 7 }, { stage: 'checks', name: 'in_range', severity: 'warn', failing: 0 }]));
  const fams = parseOpenMetrics(text);

  it('is valid OpenMetrics: gauges with help, one family each, terminated by # EOF', () => {
    expect(text.endsWith('# EOF\n')).toBe(true);
    for (const f of fams) {
      expect(f.type).toBe('gauge');
      expect(f.help).toBeTruthy();
      expect(f.name).toMatch(/^batchbook_[a-z_]+$/);
    }
  });

  it('carries run, stage and rule values', () => {
    expect(sampleValue(fams, 'batchbook_run_start_timestamp_seconds')).toBe(Date.UTC(2026, 10, 25, 2, 30, 0) / 1000);
    expect(sampleValue(fams, 'batchbook_run_duration_seconds')).toBe(12.5);
    expect(sampleValue(fams, 'batchbook_run_rule_failures', { severity: 'warn' })).toBe(1);
    expect(sampleValue(fams, 'batchbook_stage_rows_rejected', { stage: 'checks', kind: 'validate' })).toBe(10);
    expect(sampleValue(fams, 'batchbook_stage_peak_memory_bytes', { stage: 'raw' })).toBe(200 * 2 ** 20);
    expect(sampleValue(fams, 'batchbook_stage_peak_memory_bytes', { stage: 'checks' })).toBeUndefined(); // not sampled: left out, not 0
    expect(sampleValue(fams, 'batchbook_rule_failing', { rule: 'unique_id' })).toBe(7);
    expect(sampleValue(fams, 'batchbook_run_details')).toBe(1);
  });

  it('escapes label values and help text', () => {
    const odd = 'a "quoted" back\\slash\nnewline';
    const parsed = parseOpenMetrics(renderOpenMetrics([{ name: 'x_odd', help: 'two\nlines \\ here', samples: [{ labels: { v: odd }, value: -0.5 }, { labels: { v: 'inf' }, value: Infinity }] }]));
    expect(parsed[0]!.help).toBe('two\nlines \\ here');
    expect(parsed[0]!.samples.map((s) => [s.labels['v'], s.value])).toEqual([[odd, -0.5], ['inf', Infinity]]);
  });

  it('the test parser rejects what the format forbids', () => {
    const bad = (t: string) => expect(() => parseOpenMetrics(t)).toThrow(OpenMetricsSyntaxError);
    bad('# TYPE a gauge\na 1\n'); // no # EOF
    bad('# TYPE a gauge\na 1\na 2\n# EOF\n'); // duplicate sample
    bad('# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na{x="1"} 2\n# EOF\n'); // interleaved families
    bad('# TYPE a gauge\na{x="1} 1\n# EOF\n'); // unterminated label value
    bad('# TYPE a gauge\na one\n# EOF\n'); // not a number
    bad('# TYPE a gauge\n\na 1\n# EOF\n'); // empty line
  });
});
