import type { ExportContext, ExportFile } from '../export/exportFile.js';
import { batchName } from '../export/spark/sparkTarget.js';
import type { PipelineSpec } from '../spec/schema.js';
import { alertEvents } from './alertsSchema.js';

/**
 * Production monitoring for an exported pipeline, generated from the spec: Cloud Monitoring
 * log-based metrics and alert policies (Dataproc Serverless / Dataflow), and a CloudFormation
 * template of CloudWatch alarms (EMR Serverless / Glue). The log-based parts match the
 * structured events every Batchbook run logs (the same lines as `<lake>/runs/<id>/log.jsonl`):
 * `pipeline`, `event` (run_end, rule, stage_end…), `status`, `stage`, `rule`, `severity`,
 * `duration_ms`, `rows_rejected`.
 */
export const MONITORING_DIR = 'monitoring';

/** The structured log fields the exported monitoring relies on (a contract with the exported jobs). */
export const LOG_FIELDS = ['pipeline', 'run_id', 'event', 'status', 'exit_code', 'stage', 'rule', 'severity', 'duration_ms', 'rows_rejected', 'run_date'] as const;

export interface MonitoringNames {
  readonly pipeline: string;
  /** Job / batch name prefix on Dataproc, Dataflow, EMR Serverless and Glue (the Spark export's). */
  readonly job: string;
  readonly metrics: { readonly runFailed: string; readonly ruleFailed: string; readonly ruleWarned: string; readonly runDuration: string; readonly rowsRejected: string };
}

export function monitoringNames(spec: PipelineSpec): MonitoringNames {
  const p = `batchbook_${spec.name}`;
  return {
    pipeline: spec.name,
    job: batchName(spec.name),
    metrics: { runFailed: `${p}_run_failed`, ruleFailed: `${p}_rule_failed`, ruleWarned: `${p}_rule_warned`, runDuration: `${p}_run_duration`, rowsRejected: `${p}_rows_rejected` },
  };
}

/** Cloud Logging filters quote values with double quotes; the pipeline name is an identifier. */
const logFilter = (spec: PipelineSpec, ...clauses: string[]) => [`jsonPayload.pipeline="${spec.name}"`, ...clauses].join(' AND ');

/** Log-based metrics (LogMetric resources, one per file for `gcloud logging metrics create --config-from-file`). */
export function gcpLogMetrics(spec: PipelineSpec): Record<string, unknown>[] {
  const n = monitoringNames(spec).metrics;
  const counter = (labels: readonly [string, string][]) => ({
    metricKind: 'DELTA',
    valueType: 'INT64',
    unit: '1',
    labels: labels.map(([key, description]) => ({ key, valueType: 'STRING', description })),
  });
  const ruleLabels: [string, string][] = [
    ['stage', 'the validate stage'],
    ['rule', 'the rule name'],
  ];
  const ruleExtractors = { stage: 'EXTRACT(jsonPayload.stage)', rule: 'EXTRACT(jsonPayload.rule)' };
  return [
    {
      name: n.runFailed,
      description: `Runs of ${spec.name} that did not succeed (exit code not 0).`,
      filter: logFilter(spec, 'jsonPayload.event="run_end"', 'jsonPayload.status!="succeeded"'),
      metricDescriptor: counter([['status', 'failed (an error rule) or error (a runtime error)'], ['run_date', 'the partition']]),
      labelExtractors: { status: 'EXTRACT(jsonPayload.status)', run_date: 'EXTRACT(jsonPayload.run_date)' },
    },
    {
      name: n.ruleFailed,
      description: `Error-severity validation rules of ${spec.name} that failed.`,
      filter: logFilter(spec, 'jsonPayload.event="rule"', 'jsonPayload.status="fail"', 'jsonPayload.severity="error"'),
      metricDescriptor: counter(ruleLabels),
      labelExtractors: ruleExtractors,
    },
    {
      name: n.ruleWarned,
      description: `Warn-severity validation rules of ${spec.name} that failed.`,
      filter: logFilter(spec, 'jsonPayload.event="rule"', 'jsonPayload.status="fail"', 'jsonPayload.severity="warn"'),
      metricDescriptor: counter(ruleLabels),
      labelExtractors: ruleExtractors,
    },
    {
      name: n.runDuration,
      description: `Duration of each run of ${spec.name}, in milliseconds.`,
      filter: logFilter(spec, 'jsonPayload.event="run_end"'),
      metricDescriptor: { metricKind: 'DELTA', valueType: 'DISTRIBUTION', unit: 'ms' },
      valueExtractor: 'EXTRACT(jsonPayload.duration_ms)',
      bucketOptions: { exponentialBuckets: { numFiniteBuckets: 40, growthFactor: 1.5, scale: 1000 } },
    },
    {
      name: n.rowsRejected,
      description: `Rows each run of ${spec.name} sent to the rejects zone.`,
      filter: logFilter(spec, 'jsonPayload.event="run_end"'),
      metricDescriptor: { metricKind: 'DELTA', valueType: 'DISTRIBUTION', unit: '1' },
      valueExtractor: 'EXTRACT(jsonPayload.rows_rejected)',
      bucketOptions: { exponentialBuckets: { numFiniteBuckets: 40, growthFactor: 2, scale: 1 } },
    },
  ];
}

const NOTIFICATION_CHANNEL = 'projects/PROJECT_ID/notificationChannels/CHANNEL_ID';

function logMetricCondition(displayName: string, metric: string): Record<string, unknown> {
  return {
    displayName,
    conditionThreshold: {
      filter: `metric.type="logging.googleapis.com/user/${metric}"`,
      aggregations: [{ alignmentPeriod: '300s', perSeriesAligner: 'ALIGN_DELTA', crossSeriesReducer: 'REDUCE_SUM' }],
      comparison: 'COMPARISON_GT',
      thresholdValue: 0,
      duration: '0s',
      trigger: { count: 1 },
    },
  };
}

function documentation(spec: PipelineSpec, what: string): Record<string, unknown> {
  const schedule = spec.schedule ? `It runs on \`${spec.schedule.cron}\` (${spec.schedule.timezone}) and must finish within ${spec.schedule.window_hours} h.` : '';
  return {
    mimeType: 'text/markdown',
    subject: `[batchbook] ${spec.name}: ${what}`,
    content: [
      `**${spec.name}** ${what}. ${schedule}`,
      '',
      'First steps: open the run\'s log (filter `jsonPayload.pipeline` and `jsonPayload.run_id`), look at the failing rules',
      '(`jsonPayload.event="rule" AND jsonPayload.status="fail"`) and the rejects under `<output_root>/rejects/<run_date>/`.',
      'Locally, `batchbook runs <project> --show <run_date>` and `batchbook diff <yesterday> <today>` show the same from a replay.',
    ].join('\n'),
  };
}

/** The failure policy (and, when the spec alerts on warnings, a warning policy). */
export function gcpAlertPolicies(spec: PipelineSpec): { file: string; policy: Record<string, unknown> }[] {
  const names = monitoringNames(spec);
  const conditions: Record<string, unknown>[] = [
    logMetricCondition(`${spec.name}: a run failed`, names.metrics.runFailed),
    logMetricCondition(`${spec.name}: an error-severity rule failed`, names.metrics.ruleFailed),
    {
      displayName: `${spec.name}: the Dataflow job failed`,
      conditionThreshold: {
        filter: `metric.type="dataflow.googleapis.com/job/is_failed" AND resource.type="dataflow_job" AND resource.label."job_name"=starts_with("${names.job}")`,
        aggregations: [{ alignmentPeriod: '300s', perSeriesAligner: 'ALIGN_MAX', crossSeriesReducer: 'REDUCE_MAX' }],
        comparison: 'COMPARISON_GT',
        thresholdValue: 0,
        duration: '0s',
        trigger: { count: 1 },
      },
    },
  ];
  if (spec.schedule) {
    conditions.push({
      displayName: `${spec.name}: a run took longer than its ${spec.schedule.window_hours} h window`,
      conditionThreshold: {
        filter: `metric.type="logging.googleapis.com/user/${names.metrics.runDuration}"`,
        aggregations: [{ alignmentPeriod: '3600s', perSeriesAligner: 'ALIGN_PERCENTILE_99', crossSeriesReducer: 'REDUCE_MAX' }],
        comparison: 'COMPARISON_GT',
        thresholdValue: spec.schedule.window_hours * 3_600_000,
        duration: '0s',
        trigger: { count: 1 },
      },
    });
  }
  const base = { combiner: 'OR', enabled: true, notificationChannels: [NOTIFICATION_CHANNEL], alertStrategy: { autoClose: '86400s' }, userLabels: { pipeline: names.job, exported_by: 'batchbook' } };
  const policies = [{ file: 'alert-policy.json', policy: { displayName: `batchbook ${spec.name}: failures`, severity: 'ERROR', documentation: documentation(spec, 'failed'), conditions, ...base } }];
  if (spec.alerts && alertEvents(spec.alerts).includes('warning')) {
    policies.push({
      file: 'alert-policy-warnings.json',
      policy: { displayName: `batchbook ${spec.name}: warnings`, severity: 'WARNING', documentation: documentation(spec, 'succeeded with warnings'), conditions: [logMetricCondition(`${spec.name}: a warn-severity rule failed`, names.metrics.ruleWarned)], ...base },
    });
  }
  return policies;
}

/** A webhook notification channel pointing at the spec's alert webhook (its ${VAR}s left for envsubst). */
export function gcpNotificationChannel(spec: PipelineSpec): Record<string, unknown> | undefined {
  const hook = spec.alerts?.webhook;
  if (!hook) return undefined;
  return { type: 'webhook_tokenauth', displayName: `batchbook ${spec.name} webhook`, labels: { url: hook.url }, enabled: true };
}

/** CloudWatch alarms (and the metric filters and EventBridge rules they need) as a CloudFormation template. */
export function awsAlarmsTemplate(spec: PipelineSpec): Record<string, unknown> {
  const names = monitoringNames(spec);
  const namespace = `Batchbook/${spec.name}`;
  const actions = { AlarmActions: [{ Ref: 'AlarmTopicArn' }], OKActions: [] as unknown[] };
  const filterFor = (metric: string, pattern: string, value = '1') => ({
    Type: 'AWS::Logs::MetricFilter',
    Properties: { LogGroupName: { Ref: 'LogGroupName' }, FilterPattern: pattern, MetricTransformations: [{ MetricNamespace: namespace, MetricName: metric, MetricValue: value, DefaultValue: 0 }] },
  });
  const alarm = (name: string, description: string, metric: Record<string, unknown>, threshold: number, statistic = 'Sum') => ({
    Type: 'AWS::CloudWatch::Alarm',
    Properties: { AlarmName: `batchbook-${names.job}-${name}`, AlarmDescription: description, ...metric, Statistic: statistic, Period: 300, EvaluationPeriods: 1, Threshold: threshold, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching', ...actions },
  });
  const pattern = (...clauses: string[]) => `{ ($.pipeline = "${spec.name}") && ${clauses.map((c) => `(${c})`).join(' && ')} }`;
  const resources: Record<string, unknown> = {
    RunFailedFilter: filterFor('RunFailed', pattern('$.event = "run_end"', '$.status != "succeeded"')),
    RuleFailedFilter: filterFor('ErrorRuleFailed', pattern('$.event = "rule"', '$.status = "fail"', '$.severity = "error"')),
    RunDurationFilter: filterFor('RunDurationMs', pattern('$.event = "run_end"'), '$.duration_ms'),
    RunFailedAlarm: alarm('run-failed', `${spec.name}: a run did not succeed`, { Namespace: namespace, MetricName: 'RunFailed' }, 0),
    RuleFailedAlarm: alarm('rule-failed', `${spec.name}: an error-severity validation rule failed`, { Namespace: namespace, MetricName: 'ErrorRuleFailed' }, 0),
    EmrServerlessFailedJobsAlarm: alarm('emr-failed-jobs', `${spec.name}: a job run failed on the EMR Serverless application`, { Namespace: 'AWS/EMRServerless', MetricName: 'FailedJobs', Dimensions: [{ Name: 'ApplicationId', Value: { Ref: 'EmrApplicationId' } }] }, 0),
    GlueFailedTasksAlarm: alarm('glue-failed-tasks', `${spec.name}: the Glue job had failed tasks`, { Namespace: 'Glue', MetricName: 'glue.driver.aggregate.numFailedTasks', Dimensions: [{ Name: 'JobName', Value: { Ref: 'GlueJobName' } }, { Name: 'JobRunId', Value: 'ALL' }, { Name: 'Type', Value: 'count' }] }, 0),
    GlueJobFailedRule: {
      Type: 'AWS::Events::Rule',
      Properties: { Description: `${spec.name}: Glue job run failed`, EventPattern: { source: ['aws.glue'], 'detail-type': ['Glue Job State Change'], detail: { jobName: [{ Ref: 'GlueJobName' }], state: ['FAILED', 'TIMEOUT', 'ERROR'] } }, Targets: [{ Arn: { Ref: 'AlarmTopicArn' }, Id: 'alarm-topic' }] },
    },
    EmrJobFailedRule: {
      Type: 'AWS::Events::Rule',
      Properties: { Description: `${spec.name}: EMR Serverless job run failed`, EventPattern: { source: ['aws.emr-serverless'], 'detail-type': ['EMR Serverless Job Run State Change'], detail: { applicationId: [{ Ref: 'EmrApplicationId' }], state: ['FAILED'] } }, Targets: [{ Arn: { Ref: 'AlarmTopicArn' }, Id: 'alarm-topic' }] },
    },
  };
  if (spec.schedule) {
    resources['RunTooLongAlarm'] = alarm('run-too-long', `${spec.name}: a run took longer than its ${spec.schedule.window_hours} h window`, { Namespace: namespace, MetricName: 'RunDurationMs' }, spec.schedule.window_hours * 3_600_000, 'Maximum');
  }
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `Batchbook monitoring for ${spec.name}: CloudWatch alarms for EMR Serverless and Glue runs`,
    Parameters: {
      AlarmTopicArn: { Type: 'String', Description: 'SNS topic the alarms notify (subscribe the team, or a Slack / Teams integration)' },
      LogGroupName: { Type: 'String', Description: 'CloudWatch Logs group receiving the job\'s structured log lines', Default: `/aws/emr-serverless/${names.job}` },
      EmrApplicationId: { Type: 'String', Description: 'EMR Serverless application id' },
      GlueJobName: { Type: 'String', Description: 'Glue job name', Default: names.job },
    },
    Resources: resources,
  };
}

function readme(spec: PipelineSpec, policies: readonly { file: string }[], channel: boolean): string {
  const names = monitoringNames(spec);
  const metrics = gcpLogMetrics(spec).map((m) => `\`${String(m.name)}\``).join(', ');
  return `# Monitoring for ${spec.name}

Generated by Batchbook from \`pipeline.yaml\`. Every Batchbook run logs one JSON object per line
(run start/end, each stage, each rule, each output) with the fields ${LOG_FIELDS.map((f) => `\`${f}\``).join(', ')};
the metrics and alarms below are computed from those lines, plus each cloud's own job-failure signals.
Jobs are named \`${names.job}\` (the Spark export's batch / job name).

## Google Cloud (Dataproc Serverless, Dataflow)

\`\`\`sh
for f in gcp/log-metrics/*.json; do gcloud logging metrics create "$(basename "$f" .json)" --config-from-file="$f"; done
${channel ? 'envsubst < gcp/notification-channel.json > /tmp/channel.json && gcloud beta monitoring channels create --channel-content-from-file=/tmp/channel.json\n' : ''}${policies.map((p) => `gcloud alpha monitoring policies create --policy-from-file=gcp/${p.file}`).join('\n')}
\`\`\`

Log-based metrics: ${metrics}. Replace \`${NOTIFICATION_CHANNEL}\` in the policies with your channel.
${channel ? 'The notification channel posts Cloud Monitoring\'s incident JSON to the spec\'s `alerts.webhook.url`; for Slack use Cloud Monitoring\'s Slack channel instead.\n' : ''}
## AWS (EMR Serverless, Glue)

\`\`\`sh
aws cloudformation deploy --template-file aws/cloudwatch-alarms.json --stack-name batchbook-${names.job}-monitoring \\
  --parameter-overrides AlarmTopicArn=arn:aws:sns:REGION:ACCOUNT:TOPIC EmrApplicationId=APP_ID
\`\`\`

Alarms: run failed, error rule failed${spec.schedule ? `, run longer than ${spec.schedule.window_hours} h` : ''} (from the log lines, via metric filters on
\`LogGroupName\`), EMR Serverless \`FailedJobs\`, Glue failed tasks; EventBridge rules forward failed
EMR Serverless and Glue job runs to the same topic.
`;
}

/** The export contributor: every file of `monitoring/`. */
export function monitoringFiles(ctx: ExportContext): ExportFile[] {
  const spec = ctx.spec;
  const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
  const policies = gcpAlertPolicies(spec);
  const channel = gcpNotificationChannel(spec);
  const dir = MONITORING_DIR;
  return [
    { path: `${dir}/README.md`, content: readme(spec, policies, channel !== undefined) },
    ...gcpLogMetrics(spec).map((m) => ({ path: `${dir}/gcp/log-metrics/${String(m.name)}.json`, content: json(m) })),
    ...policies.map((p) => ({ path: `${dir}/gcp/${p.file}`, content: json(p.policy) })),
    ...(channel ? [{ path: `${dir}/gcp/notification-channel.json`, content: json(channel) }] : []),
    { path: `${dir}/aws/cloudwatch-alarms.json`, content: json(awsAlarmsTemplate(spec)) },
  ];
}
