import type { ExportContext, ExportFile } from '../exportFile.js';
import { formatRefusal, refusal, type ExportFlag, type ExportRefusal } from '../refusal.js';
import { compileSparkPlan } from '../spark/sparkPlan.js';
import type { TargetResult } from '../targetResult.js';
import { beamTarget } from '../beam/beamTarget.js';
import { airflowDag, artifactPrefix, BEAM_ENTRY, beamFolder, type DagEngine } from './airflowDag.js';
import { airflowReadme } from './airflowReadme.js';
import { cloudSchedulerFiles } from './cloudScheduler.js';

/** DAG file name: Airflow finds DAGs by file; one per pipeline. */
export function dagFileName(pipeline: string): string {
  return `dags/batchbook_${pipeline.toLowerCase().replace(/[^a-z0-9_]/g, '_')}.py`;
}

/**
 * The airflow target: a DAG that runs the pipeline on its schedule (the spark export's job on
 * Dataproc Serverless, or the beam export's pipeline on Dataflow), and a Cloud Scheduler job for
 * teams without Airflow. It orchestrates the other exports, so it is refused when the Spark job
 * it submits cannot be exported, and offers the Beam engine only when the beam export is not
 * refused (a DAG never points at an export that cannot exist).
 */
export function airflowTarget(ctx: ExportContext, beamRefusals: readonly ExportRefusal[] = beamTarget(ctx).refusals): TargetResult {
  const spark = compileSparkPlan(ctx.spec);
  if (spark.refusals.length) {
    return {
      files: [],
      refusals: spark.refusals.map((r) => refusal('airflow', r.stage, 'a DAG submitting the Spark job', `the spark export is refused: ${formatRefusal(r)}`)),
      flags: [],
      readme: '',
    };
  }
  const schedule = ctx.spec.schedule;
  const flags: ExportFlag[] = [];
  const engines: DagEngine[] = beamRefusals.length ? ['spark'] : ['spark', 'beam'];
  if (beamRefusals.length) flags.push({ target: 'airflow', stage: beamRefusals[0]!.stage, message: `the DAG offers the spark engine only: the beam export is refused (${beamRefusals.map(formatRefusal).join('; ')})` });
  if (!schedule) flags.push({ target: 'airflow', stage: ctx.spec.stages[0]?.name ?? '', message: 'the spec has no schedule: the DAG runs only when triggered, and there is no Cloud Scheduler job' });
  if (ctx.spec.alerts?.command && !ctx.spec.alerts.webhook) {
    flags.push({ target: 'airflow', stage: ctx.spec.stages[0]?.name ?? '', message: 'alerts.command is not run by the DAG (only a webhook is): add an on_failure_callback of your own' });
  }
  const files: ExportFile[] = [{ path: dagFileName(ctx.spec.name), content: airflowDag(ctx, schedule, engines) }, ...(schedule ? cloudSchedulerFiles(ctx, schedule) : [])];
  return { files, refusals: [], flags, readme: airflowReadme(ctx, dagFileName(ctx.spec.name), artifactPrefix(ctx.spec), BEAM_ENTRY, beamFolder(ctx.spec), engines) };
}
