import { execFileSync, spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportProject, openProject } from '@batchbook/pipeline-core/node';
import { allCases, here, prepare, python, refusalProblem, refusedBy, repo, setupVenv, type Prepared } from './harness.js';

/**
 * The Airflow export, loaded by Airflow itself: the venv has apache-airflow 2.11 with the Google
 * and Beam providers (requirements.txt), and py/check_airflow.py loads the DAG with DagBag, renders
 * the templated fields, calls the failure callback against a local webhook and runs the Cloud
 * Scheduler wrapper. The expected values below are read off the sample's pipeline.yaml by hand
 * (schedule "30 2 * * *" in Europe/Berlin, window 4 h, 3 retries, a Slack webhook from
 * ${BATCHBOOK_ALERT_WEBHOOK}). The Cloud Scheduler script runs against a stand-in gcloud. The DAG
 * of each conformance-corpus pipeline is loaded by DagBag too.
 */

interface Report {
  import_errors: Record<string, string>;
  dags: Record<string, DagReport>;
  scheduled_run: { exit_code: number; today: string; utc_2230: string; utc_2330: string; job_argv: string[][] } | null;
}
interface DagReport {
  schedule: string;
  timezone: string;
  catchup: boolean;
  max_active_runs: number;
  params: Record<string, unknown>;
  tasks: Record<string, { type: string; retries: number; retry_exponential_backoff: boolean; retry_delay_s: number; max_retry_delay_s: number | null; sla_s: number | null; on_failure_callback: string | null; downstream: string[] }>;
  rendered: Record<string, Record<string, unknown>>;
  run_date_for_manual: string;
  choose_engine: Record<string, string>;
  alerts: { sent: { path: string; headers: Record<string, string>; body: { text: string; blocks: unknown[] } }[]; sent_without_url: number } | null;
}

const UNSCHEDULED = `version: 1
name: adhoc
sources:
  s: { format: csv, path: "s_{run_date}.csv", schema: [{ name: a, type: string }] }
stages:
  - { name: raw, kind: ingest, source: s }
  - { name: o, kind: output, input: raw, format: csv, path: out }
`;

let nightly: Report;
let adhoc: Report;
let exportDir: string;
let allTargets: { written: readonly string[]; refusals: readonly { target: string }[] };
let work: string;

async function checkDag(folder: string): Promise<Report> {
  const out = `${folder}.report.json`;
  const run = spawnSync(python, [join(here, 'py', 'check_airflow.py'), folder, out], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`check_airflow failed:\n${run.stderr.slice(-3000)}${run.stdout.slice(-3000)}`);
  return JSON.parse(await readFile(out, 'utf8')) as Report;
}

beforeAll(async () => {
  setupVenv();
  work = await mkdtemp(join(tmpdir(), 'batchbook-airflow-'));
  const project = await openProject(join(repo, 'samples', 'nightly-reconciliation'));
  exportDir = join(work, 'export');
  // the full export, as `batchbook export samples/nightly-reconciliation --target all` writes it
  allTargets = await exportProject({ project: project as never, target: 'all', out: exportDir, params: { run_date: '2026-11-24' }, toolVersion: 'test', preview: false });
  const adhocDir = join(work, 'adhoc');
  await mkdir(adhocDir);
  await writeFile(join(adhocDir, 'pipeline.yaml'), UNSCHEDULED);
  const adhocProject = await openProject(adhocDir);
  await exportProject({ project: adhocProject as never, target: 'airflow', out: join(work, 'adhoc-export'), params: { run_date: '2026-11-24' }, toolVersion: 'test', preview: false });
  const started = performance.now();
  nightly = await checkDag(join(exportDir, 'airflow'));
  adhoc = await checkDag(join(work, 'adhoc-export', 'airflow'));
  process.stderr.write(`airflow checks: ${Math.round((performance.now() - started) / 100) / 10} s\n`);
});

describe('the full export of nightly-reconciliation', () => {
  it('writes the duckdb, spark, dbt and airflow folders', () => {
    expect(allTargets.written).toEqual(expect.arrayContaining(['duckdb', 'spark', 'dbt', 'airflow']));
    expect(allTargets.refusals.filter((r) => ['duckdb', 'spark', 'dbt', 'airflow'].includes(r.target))).toEqual([]);
  });
});

describe('the nightly-reconciliation DAG, as Airflow loads it', () => {
  const dag = () => nightly.dags['nightly_reconciliation']!;

  it('imports without errors', () => {
    expect(nightly.import_errors).toEqual({});
    expect(Object.keys(nightly.dags)).toEqual(['nightly_reconciliation']);
  });

  it('runs on the spec’s cron in its time zone, one run at a time, without catch-up', () => {
    expect(dag()).toMatchObject({ schedule: '30 2 * * *', timezone: 'Europe/Berlin', catchup: false, max_active_runs: 1 });
  });

  it('retries every task 3 times with exponential backoff, has an SLA of the 4 h window and the alert callback', () => {
    for (const t of Object.values(dag().tasks)) {
      expect(t).toMatchObject({ retries: 3, retry_exponential_backoff: true, retry_delay_s: 300, max_retry_delay_s: 3600, sla_s: 4 * 3600, on_failure_callback: 'on_failure' });
    }
  });

  it('branches to the Dataproc batch (default) or the Dataflow job', () => {
    const t = dag().tasks;
    expect(t['choose_engine']).toMatchObject({ type: 'BranchPythonOperator', downstream: ['run_beam_on_dataflow', 'submit_spark_batch'] });
    expect(t['submit_spark_batch']!.type).toBe('DataprocCreateBatchOperator');
    expect(t['run_beam_on_dataflow']!.type).toBe('BeamRunPythonPipelineOperator');
    expect(dag().params).toMatchObject({ engine: 'spark', run_date: '' });
    expect(dag().choose_engine).toEqual({ spark: 'submit_spark_batch', beam: 'run_beam_on_dataflow' });
  });

  it('submits the Spark job for the business day before the scheduled time, with a batch id unique per try', () => {
    const r = dag().rendered;
    // scheduled 2026-11-25 02:30 Berlin = 01:30 UTC; the business day is the 24th
    expect(r['spark_try1']).toMatchObject({ batch_id: 'nightly-reconciliation-20261125t013000-try1', project_id: 'project-x', region: 'region-x' });
    expect(r['spark_try2']!['batch_id']).toBe('nightly-reconciliation-20261125t013000-try2');
    expect(r['spark_try1']!['batch']).toMatchObject({
      pyspark_batch: {
        main_python_file_uri: 'gs://bucket-x/batchbook/nightly-reconciliation/job.py',
        args: ['--input-root', 'gs://bucket-x/inbox', '--output-root', 'gs://bucket-x/lake', '--run-date', '2026-11-24'],
      },
      environment_config: { execution_config: { service_account: 'runner@project-x.iam.gserviceaccount.com' } },
    });
    expect(dag().run_date_for_manual).toBe('2026-10-01');
  });

  it('runs the beam export’s pipeline.py on Dataflow with the same day and a job name unique per try', () => {
    const b = dag().rendered['beam_try2']!;
    expect(b['py_file']).toMatch(/\/batchbook_nightly_reconciliation_beam\/pipeline\.py$/);
    expect(b['job_name']).toBe('nightly-reconciliation-20261125t013000-try2');
    expect(b['pipeline_options']).toMatchObject({ input_root: 'gs://bucket-x/inbox', output_root: 'gs://bucket-x/lake', run_date: '2026-11-24' });
    expect(String((b['pipeline_options'] as Record<string, string>)['setup_file'])).toMatch(/batchbook_nightly_reconciliation_beam\/setup\.py$/);
  });

  it('posts a Slack message to the webhook named by ${BATCHBOOK_ALERT_WEBHOOK} when a task fails, and skips quietly when it is unset', () => {
    const a = dag().alerts!;
    expect(a.sent).toHaveLength(1);
    expect(a.sent[0]!.path).toBe('/hook');
    expect(a.sent[0]!.body.text).toContain('nightly_reconciliation 2026-11-24 failed');
    expect(a.sent[0]!.body.text).toContain('Batch failed: job.py exited 3');
    expect(a.sent[0]!.body.blocks.length).toBeGreaterThan(1);
    expect(a.sent_without_url).toBe(0);
  });
});

describe('the Cloud Scheduler alternative', () => {
  it('works out the business day in the schedule’s time zone and runs job.py with it', () => {
    const s = nightly.scheduled_run!;
    expect(s.utc_2230).toBe('2026-11-23');
    expect(s.utc_2330).toBe('2026-11-24');
    expect(s.exit_code).toBe(0);
    expect(s.job_argv).toEqual([['--input-root', 'gs://b/inbox', '--run-date', s.today]]);
  });

  it('creates an HTTP job calling the Dataproc batches API on the spec’s schedule', async () => {
    const bin = join(work, 'bin');
    await mkdir(bin, { recursive: true });
    const calls = join(work, 'gcloud-calls.jsonl');
    const fake = `#!/usr/bin/env python3
import json, sys
with open(${JSON.stringify(calls)}, 'a') as f:
    f.write(json.dumps(sys.argv[1:]) + '\\n')
sys.exit(1 if sys.argv[1:4] == ['scheduler', 'jobs', 'describe'] else 0)
`;
    await writeFile(join(bin, 'gcloud'), fake);
    await chmod(join(bin, 'gcloud'), 0o755);
    execFileSync('bash', [join(exportDir, 'airflow', 'cloud-scheduler', 'create-job.sh')], {
      env: { ...process.env, PATH: `${bin}:${process.env['PATH'] ?? ''}`, PROJECT: 'p1', REGION: 'europe-west3', BUCKET: 'b1', SERVICE_ACCOUNT: 'runner@p1.iam.gserviceaccount.com', SCHEDULER_SERVICE_ACCOUNT: 'sched@p1.iam.gserviceaccount.com' },
      stdio: 'pipe',
    });
    const lines = (await readFile(calls, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as string[]);
    expect(lines).toHaveLength(2);
    const create = lines[1]!;
    expect(create.slice(0, 5)).toEqual(['scheduler', 'jobs', 'create', 'http', 'nightly-reconciliation-nightly']);
    expect(create).toEqual(expect.arrayContaining(['--schedule=30 2 * * *', '--time-zone=Europe/Berlin', '--uri=https://dataproc.googleapis.com/v1/projects/p1/locations/europe-west3/batches', '--http-method=POST', '--max-retry-attempts=3', '--oauth-service-account-email=sched@p1.iam.gserviceaccount.com']));
    const bodyArg = create.find((a) => a.startsWith('--message-body='))!;
    expect(bodyArg).not.toContain('${');
    const body = JSON.parse(bodyArg.slice('--message-body='.length)) as { pysparkBatch: { mainPythonFileUri: string; pythonFileUris: string[]; args: string[] }; environmentConfig: { executionConfig: { serviceAccount: string } } };
    expect(body.pysparkBatch).toEqual({
      mainPythonFileUri: 'gs://b1/batchbook/nightly-reconciliation/scheduled_run.py',
      pythonFileUris: ['gs://b1/batchbook/nightly-reconciliation/job.py'],
      args: ['--input-root', 'gs://b1/inbox', '--output-root', 'gs://b1/lake'],
    });
    expect(body.environmentConfig.executionConfig.serviceAccount).toBe('runner@p1.iam.gserviceaccount.com');
  });
});

describe('a pipeline without schedule or alerts', () => {
  it('gives a DAG that runs only when triggered, with retries but no SLA, callback or Cloud Scheduler job', () => {
    expect(adhoc.import_errors).toEqual({});
    const d = adhoc.dags['adhoc']!;
    expect(d.schedule).toBe('None');
    expect(d.timezone).toBe('UTC');
    for (const t of Object.values(d.tasks)) expect(t).toMatchObject({ retries: 2, retry_exponential_backoff: true, sla_s: null, on_failure_callback: null });
    expect(d.alerts).toBeNull();
    expect(adhoc.scheduled_run).toBeNull();
  });
});

describe('the conformance corpus’s DAGs', () => {
  let corpus: Prepared[];
  let loaded: { import_errors: Record<string, string>; dags: Record<string, { schedule: string; tasks: string[] }> }[];

  beforeAll(async () => {
    const dir = join(work, 'corpus-cases');
    // one day per pipeline: the DAG does not depend on the day
    const days = (await allCases(dir)).filter((c, i, all) => c.corpus && all.findIndex((d) => d.project === c.project) === i);
    corpus = await prepare(days, dir);
    const folders = corpus.filter((p) => p.written.includes('airflow')).map((p) => join(p.exportDir, 'airflow'));
    await writeFile(join(dir, 'dag-folders.json'), JSON.stringify(folders));
    const run = spawnSync(python, [join(here, 'py', 'check_airflow.py'), '--load', join(dir, 'dag-folders.json'), join(dir, 'dags.json')], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    if (run.status !== 0) throw new Error(`check_airflow --load failed:\n${run.stderr.slice(-3000)}`);
    loaded = JSON.parse(await readFile(join(dir, 'dags.json'), 'utf8')) as typeof loaded;
  });

  it('load in Airflow’s DagBag for every case Spark runs (unscheduled: triggered runs only), and are refused with Spark', () => {
    const wrong: string[] = [];
    let k = 0;
    for (const p of corpus) {
      if (refusedBy(p.c).has('airflow')) {
        const problem = refusalProblem(p, 'airflow');
        if (problem) wrong.push(problem);
        continue;
      }
      const r = loaded[k++]!;
      const name = p.report.pipeline;
      if (Object.keys(r.import_errors).length) wrong.push(`${p.c.id}: ${JSON.stringify(r.import_errors)}`);
      else {
        // the DAG offers the Beam engine only when the beam export is not refused
        const tasks = refusedBy(p.c).has('beam') ? ['choose_engine', 'submit_spark_batch'] : ['choose_engine', 'run_beam_on_dataflow', 'submit_spark_batch'];
        if (JSON.stringify(r.dags) !== JSON.stringify({ [name]: { schedule: 'None', tasks } })) wrong.push(`${p.c.id}: ${JSON.stringify(r.dags)}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(k).toBeGreaterThan(0);
  });
});
