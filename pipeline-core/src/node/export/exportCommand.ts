import { Command, Option } from 'commander';
import { relative, resolve } from 'node:path';
import pc from 'picocolors';
import { EXPORT_TARGETS, type ExportTarget } from '../../core/export/targets.js';
import type { PipelineSpec } from '../../core/spec/schema.js';
import type { Project } from '../project/project.js';
import { EXIT } from '../runner/report.js';

export interface ExportCommandDeps {
  readonly loadValidProject: (path: string) => Promise<Project & { loaded: { spec: PipelineSpec } }>;
  readonly collectParam: (value: string, previous: Record<string, string>) => Record<string, string>;
  readonly toolVersion: string;
  /** Runs before an export (the CLI registers its export contributors then, not at start-up). */
  readonly beforeExport?: () => Promise<void>;
}

/** `batchbook export <project> --target <t> --out <dir>` */
export function exportCommand(deps: ExportCommandDeps): Command {
  return new Command('export')
    .description('write runnable exports: DuckDB script, PySpark job, Beam pipeline, dbt project, Airflow DAG')
    .argument('<project>', 'project folder or pipeline.yaml')
    .addOption(new Option('--target <target>', 'what to export').choices([...EXPORT_TARGETS, 'all']).makeOptionMandatory())
    .requiredOption('--out <dir>', 'folder to write into (each target gets its own subfolder, replaced on each export)')
    .option('--param <name=value>', 'parameter values of the preview and the exported defaults (repeatable)', deps.collectParam, {})
    .option('--no-preview', 'do not run the pipeline on the samples to record the preview results in provenance.json')
    .action(async (path: string, opts: { target: ExportTarget | 'all'; out: string; param: Record<string, string>; preview: boolean }) => {
      const project = await deps.loadValidProject(path);
      // the exporters, the runner (for the preview) and DuckDB load only when an export runs
      const [{ formatRefusal }, { resolveParams }, { defaultRunDate }, { exportProject }] = await Promise.all([
        import('../../core/export/refusal.js'),
        import('../../core/spec/params.js'),
        import('../runner/run.js'),
        import('./exportProject.js'),
        deps.beforeExport?.(),
      ]);
      const params = resolveParams(project.loaded.spec, opts.param, defaultRunDate(new Date()));
      const result = await exportProject({ project, target: opts.target, out: opts.out, params, toolVersion: deps.toolVersion, preview: opts.preview });
      const shown = relative(process.cwd(), resolve(opts.out)) || '.';
      for (const t of result.written) process.stderr.write(`${pc.green('✓')} ${t.padEnd(8)} → ${shown}/${t}/\n`);
      for (const f of result.flags) process.stderr.write(`${pc.yellow('!')} ${f.target}: stage '${f.stage}': ${f.message}\n`);
      for (const r of result.refusals) process.stderr.write(`${pc.red('✗')} ${formatRefusal(r)}\n`);
      if (result.refusals.length) process.exitCode = EXIT.usage;
    });
}
