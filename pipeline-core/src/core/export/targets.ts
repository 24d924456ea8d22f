/** The export targets, in the order `--target all` writes them. */
export const EXPORT_TARGETS = ['duckdb', 'spark', 'beam', 'dbt', 'airflow'] as const;
export type ExportTarget = (typeof EXPORT_TARGETS)[number];

export function isExportTarget(value: string): value is ExportTarget {
  return (EXPORT_TARGETS as readonly string[]).includes(value);
}
