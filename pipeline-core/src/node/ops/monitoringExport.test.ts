import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportPipeline } from '../../core/export/exportPipeline.js';
import type { ExportFile } from '../../core/export/exportFile.js';
import { registerMonitoringExports } from '../../core/ops/monitoringContributor.js';
import { matchesCloudWatchPattern, matchesLogFilter } from '../../core/ops/monitoringFilters.js';
import { loadSpec } from '../../core/spec/load.js';
import type { PipelineSpec } from '../../core/spec/schema.js';
import { copySample, removeDir, SAMPLES } from '../testing/fixtures.js';
import { batchbook, runWithOps } from './opsTestkit.js';

/**
 * The export folder's monitoring configs, parsed and checked against the spec they came from,
 * and their log filters evaluated (core/ops/monitoringFilters.ts) on the log lines of a real
 * failing night, so a metric that could never match a Batchbook log line fails this test. The
 * engines suite (e2e/engines/conformance.test.ts) runs the same filters on the exported PySpark
 * job's log lines.
 */
let specText: string;
let spec: PipelineSpec;
let files: Map<string, string>;
let logLines: Record<string, unknown>[];
let dir: string;

const json = (path: string) => JSON.parse(files.get(path) ?? 'null') as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

beforeAll(async () => {
  specText = await readFile(join(SAMPLES, 'nightly-reconciliation', 'pipeline.yaml'), 'utf8');
  spec = loadSpec(specText).spec!;
  dir = await copySample('nightly-reconciliation');
  // the real user path: the CLI's export command writes the folder
  const out = join(dir, 'export');
  const exported = await batchbook(['export', dir, '--target', 'all', '--out', out, '--no-preview']);
  expect(exported.stderr).toContain('spark');
  files = new Map();
  for (const rel of (await readdir(out, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => relative(out, join(e.parentPath, e.name)))) {
    files.set(rel.split(sep).join('/'), await readFile(join(out, rel), 'utf8'));
  }
  const report = await runWithOps(dir, { run_date: '2026-11-25' }, {});
  logLines = (await readFile(join(dir, 'lake', 'runs', report.run_id, 'log.jsonl'), 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
});
afterAll(() => removeDir(dir));

describe('monitoring configs in the export folder', () => {
  it('are written for the full export and beside the Spark job', () => {
    for (const prefix of ['monitoring/', 'spark/monitoring/']) {
      for (const f of ['README.md', 'gcp/alert-policy.json', 'gcp/alert-policy-warnings.json', 'gcp/notification-channel.json', 'aws/cloudwatch-alarms.json']) expect(files.has(`${prefix}${f}`), `${prefix}${f}`).toBe(true);
    }
  });

  it('define Cloud Logging metrics that select the pipeline’s own log lines', () => {
    const metrics = [...files.keys()].filter((p) => p.startsWith('monitoring/gcp/log-metrics/')).map(json);
    expect(metrics.map((m) => m['name']).sort()).toEqual(['run_duration', 'rows_rejected', 'rule_failed', 'rule_warned', 'run_failed'].map((s) => `batchbook_nightly_reconciliation_${s}`).sort());
    for (const m of metrics) {
      expect(m['filter']).toContain(`jsonPayload.pipeline="${spec.name}"`);
      const labels = (m['metricDescriptor']['labels'] ?? []).map((l: { key: string }) => l.key).sort();
      expect(Object.keys(m['labelExtractors'] ?? {}).sort()).toEqual(labels);
    }
    const byName = (s: string) => metrics.find((m) => m['name'] === `batchbook_nightly_reconciliation_${s}`)!;
    const hits = (s: string) => logLines.filter((l) => matchesLogFilter(byName(s)['filter'], l));
    // day 2 (README): the run fails, one error rule (settled_matches_sold) and one warning (refund_without_order)
    expect(hits('run_failed').map((l) => l['event'])).toEqual(['run_end']);
    expect(hits('rule_failed').map((l) => l['rule'])).toEqual(['settled_matches_sold']);
    expect(hits('rule_warned').map((l) => l['rule'])).toEqual(['refund_without_order']);
    expect(hits('run_duration')).toHaveLength(1);
    expect(typeof hits('run_duration')[0]!['duration_ms']).toBe('number'); // what valueExtractor reads
    expect(hits('rows_rejected')[0]!['rows_rejected']).toBe(4); // README: 3 POS lines + 1 refund
  });

  it('alert on those metrics, on failed Dataflow jobs named like the export, and on runs longer than the schedule window', () => {
    const policy = json('monitoring/gcp/alert-policy.json');
    const metricNames = new Set([...files.keys()].filter((p) => p.startsWith('monitoring/gcp/log-metrics/')).map((p) => json(p)['name']));
    const filters: string[] = policy['conditions'].map((c: { conditionThreshold: { filter: string } }) => c.conditionThreshold.filter);
    for (const f of filters) {
      const m = /logging\.googleapis\.com\/user\/([a-z_]+)/.exec(f);
      if (m) expect(metricNames.has(m[1])).toBe(true);
    }
    const jobName = json('spark/dataproc/batch.json')['labels']['pipeline'];
    expect(filters.some((f) => f.includes('dataflow.googleapis.com/job/is_failed') && f.includes(`starts_with("${jobName}")`))).toBe(true);
    const tooLong = policy['conditions'].find((c: { displayName: string }) => c.displayName.includes('longer than'));
    expect(tooLong.conditionThreshold.thresholdValue).toBe(4 * 3600 * 1000); // schedule.window_hours: 4
    expect(policy['severity']).toBe('ERROR');
    expect(policy['documentation']['content']).toContain('30 2 * * *');
    // the spec alerts on warnings too: a second, WARNING policy
    expect(json('monitoring/gcp/alert-policy-warnings.json')['severity']).toBe('WARNING');
    expect(json('monitoring/gcp/notification-channel.json')['labels']['url']).toBe('${BATCHBOOK_ALERT_WEBHOOK}');
  });

  it('give CloudWatch alarms for EMR Serverless and Glue whose metric filters match the log lines', () => {
    const t = json('monitoring/aws/cloudwatch-alarms.json');
    expect(t['AWSTemplateFormatVersion']).toBe('2010-09-09');
    const res = Object.values(t['Resources']) as { Type: string; Properties: Record<string, any> }[]; // eslint-disable-line @typescript-eslint/no-explicit-any
    const filters = res.filter((r) => r.Type === 'AWS::Logs::MetricFilter');
    const alarms = res.filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
    const defined = new Set(filters.map((f) => `${f.Properties['MetricTransformations'][0].MetricNamespace}/${f.Properties['MetricTransformations'][0].MetricName}`));
    for (const a of alarms) {
      const ns: string = a.Properties['Namespace'];
      if (ns.startsWith('Batchbook/')) expect(defined.has(`${ns}/${a.Properties['MetricName']}`)).toBe(true);
      expect(a.Properties['AlarmActions']).toEqual([{ Ref: 'AlarmTopicArn' }]);
    }
    expect(alarms.map((a) => `${a.Properties['Namespace']}:${a.Properties['MetricName']}`)).toEqual(expect.arrayContaining(['AWS/EMRServerless:FailedJobs', 'Glue:glue.driver.aggregate.numFailedTasks']));
    expect(t['Parameters']['GlueJobName']['Default']).toBe(json('spark/dataproc/batch.json')['labels']['pipeline']);
    const tooLong = alarms.find((a) => a.Properties['MetricName'] === 'RunDurationMs')!;
    expect(tooLong.Properties['Threshold']).toBe(4 * 3600 * 1000);
    const hits = (metric: string) => {
      const f = filters.find((x) => x.Properties['MetricTransformations'][0].MetricName === metric)!;
      return logLines.filter((l) => matchesCloudWatchPattern(f.Properties['FilterPattern'], l));
    };
    expect(hits('RunFailed').map((l) => l['event'])).toEqual(['run_end']);
    expect(hits('ErrorRuleFailed').map((l) => l['rule'])).toEqual(['settled_matches_sold']);
  });

  it('follow the spec: no warning policy or channel when the spec alerts on failures only, no window alarm without a schedule', () => {
    const plain = loadSpec(specText.replace(/\nschedule:[\s\S]*$/, '\nalerts:\n  command: [notify]\n')).spec!;
    registerMonitoringExports();
    const out = new Map(exportPipeline({ spec: plain, specText, toolVersion: 'test' }, { target: 'spark' }).files.map((f: ExportFile) => [f.path, f.content]));
    expect(out.has('spark/monitoring/gcp/alert-policy.json')).toBe(true);
    expect(out.has('spark/monitoring/gcp/alert-policy-warnings.json')).toBe(false);
    expect(out.has('spark/monitoring/gcp/notification-channel.json')).toBe(false);
    const policy = JSON.parse(out.get('spark/monitoring/gcp/alert-policy.json')!) as { conditions: { displayName: string }[] };
    expect(policy.conditions.some((c) => c.displayName.includes('longer than'))).toBe(false);
    const t = JSON.parse(out.get('spark/monitoring/aws/cloudwatch-alarms.json')!) as { Resources: Record<string, unknown> };
    expect(t.Resources['RunTooLongAlarm']).toBeUndefined();
  });
});
