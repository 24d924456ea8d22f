import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../spec/load.js';
import { exportPipeline } from '../exportPipeline.js';
import { refusal } from '../refusal.js';
import { airflowTarget } from './airflowTarget.js';

const BASE = `
version: 1
name: shop_night
sources:
  s: { format: csv, path: "in/s_{run_date}.csv", schema: [{ name: a, type: string }] }
stages:
  - { name: raw, kind: ingest, source: s }
  - name: c
    kind: cleanse
    input: raw
    steps:
      - { step: derive, column: x, expr: "upper(a)" }
  - { name: o, kind: output, input: c, format: csv, path: out }
`;
const SCHEDULED = `${BASE}schedule: { cron: "15 4 * * 1-5", timezone: America/New_York, window_hours: 2.5, retries: 5 }
alerts:
  webhook: { url: "https://hooks.example.com/\${TEAM_HOOK}", format: teams }
`;

function exportOf(text: string) {
  const loaded = loadSpec(text);
  if (!loaded.spec) throw new Error(JSON.stringify(loaded.diagnostics));
  return exportPipeline({ spec: loaded.spec, specText: text, toolVersion: '9.9.9' }, { target: 'airflow' });
}

describe('airflow export', () => {
  it('writes the DAG, the Cloud Scheduler job and its wrapper from the spec’s schedule and alerts', () => {
    const result = exportOf(SCHEDULED);
    expect(result.refusals).toEqual([]);
    const file = (p: string) => result.files.find((f) => f.path === `airflow/${p}`)?.content ?? '';
    const dag = file('dags/batchbook_shop_night.py');
    expect(dag).toContain('SCHEDULE = "15 4 * * 1-5"');
    expect(dag).toContain('TIMEZONE = pendulum.timezone("America/New_York")');
    expect(dag).toContain('WINDOW = timedelta(hours=2.5)');
    expect(dag).toContain("'retries': 5,");
    expect(dag).toContain('"url": "https://hooks.example.com/${TEAM_HOOK}"');
    expect(dag).toContain('"format": "teams"');
    expect(dag).toContain('"variables": ["TEAM_HOOK"]');
    const script = file('cloud-scheduler/create-job.sh');
    expect(script).toContain("--schedule='15 4 * * 1-5' --time-zone='America/New_York'");
    expect(script).toContain('--max-retry-attempts=5');
    expect(file('cloud-scheduler/scheduled_run.py')).toContain('zoneinfo.ZoneInfo("America/New_York")');
    expect(result.flags).toEqual([]);
  });

  it('without a schedule, writes a DAG run only when triggered and says so', () => {
    const result = exportOf(BASE);
    expect(result.files.map((f) => f.path)).not.toContain('airflow/cloud-scheduler/create-job.sh');
    expect(result.files.find((f) => f.path === 'airflow/dags/batchbook_shop_night.py')?.content).toContain('SCHEDULE = None');
    expect(result.flags).toEqual([expect.objectContaining({ target: 'airflow', message: expect.stringContaining('no schedule') })]);
  });

  it('is refused, naming the Spark construct and stage, when the Spark job it submits cannot be exported', () => {
    const result = exportOf(`${BASE.replace('"upper(a)"', `"regexp_replace(a, 'z', a)"`)}`);
    expect(result.files).toEqual([]);
    expect(result.refusals).toEqual([expect.objectContaining({ target: 'airflow', stage: 'c', construct: 'a DAG submitting the Spark job' })]);
    expect(result.refusals[0]!.detail).toContain('regexp_replace');
  });

  it('offers no Beam engine when the beam export is refused: no task, no param value, no folder to copy', () => {
    const loaded = loadSpec(SCHEDULED);
    const beamRefused = refusal('beam', 'c', "regex rule 'r' with POSIX classes ([[:alpha:]])");
    const result = airflowTarget({ spec: loaded.spec!, specText: SCHEDULED, toolVersion: '9.9.9' }, [beamRefused]);
    expect(result.refusals).toEqual([]);
    const dag = result.files.find((f) => f.path === 'dags/batchbook_shop_night.py')!.content;
    expect(dag).toContain('ENGINES = ["spark"]');
    expect(dag).toContain("Param('spark', enum=ENGINES");
    expect(dag).toContain('    engine >> spark\n');
    expect(dag).not.toContain("task_id='run_beam_on_dataflow'");
    expect(dag).not.toContain('BeamRunPythonPipelineOperator(');
    expect(dag).not.toContain('import BeamRunPythonPipelineOperator');
    expect(dag).not.toContain('BEAM_DIR');
    expect(result.readme).not.toContain('_beam/');
    expect(result.readme).toContain("accepts `spark` only");
    expect(result.flags).toContainEqual(expect.objectContaining({ target: 'airflow', stage: 'c', message: expect.stringContaining('the DAG offers the spark engine only: the beam export is refused') }));
  });

  it('offers both engines, and refuses any other, when both exports exist', () => {
    const dag = exportOf(SCHEDULED).files.find((f) => f.path === 'airflow/dags/batchbook_shop_night.py')!.content;
    expect(dag).toContain('ENGINES = ["spark", "beam"]');
    expect(dag).toContain("task_id='run_beam_on_dataflow'");
    expect(dag).toContain("if engine not in ENGINES:");
  });
});
