import type { ExportContext } from './exportFile.js';
import type { ExportOptions } from './exportPipeline.js';
import type { ExportTarget } from './targets.js';
import type { TargetResult } from './targetResult.js';
import { sparkTarget } from './spark/sparkTarget.js';
import { dbtTarget } from './dbt/dbtTarget.js';
import { airflowTarget } from './airflow/airflowTarget.js';
import { beamTarget } from './beam/beamTarget.js';

export const TARGET_TITLES: { readonly [T in ExportTarget]: string } = {
  duckdb: 'DuckDB (pinned spec + standalone SQL script)',
  spark: 'PySpark job (Spark 3.5 / 4.x) with Dataproc Serverless and EMR Serverless configs',
  beam: 'Apache Beam Python pipeline (DirectRunner / Dataflow)',
  dbt: 'dbt project (dbt-duckdb)',
  airflow: 'Airflow DAG and Cloud Scheduler alternative',
};

/** Every target except duckdb (which needs the reader SQL from ExportOptions). */
export const TARGET_GENERATORS: { readonly [T in Exclude<ExportTarget, 'duckdb'>]: (ctx: ExportContext, opts: ExportOptions) => TargetResult } = {
  spark: (ctx) => sparkTarget(ctx),
  beam: (ctx) => beamTarget(ctx),
  dbt: (ctx, opts) => dbtTarget(ctx, opts.duckdbSources),
  airflow: (ctx) => airflowTarget(ctx),
};
