import { Command } from 'commander';
import type { PipelineSpec } from '../../core/spec/schema.js';
import type { Project } from '../project/project.js';

export interface CostCommandDeps {
  readonly loadValidProject: (path: string) => Promise<Project & { loaded: { spec: PipelineSpec } }>;
  /** A user-facing failure with an exit code (the CLI's CliError). */
  readonly fail: (message: string, exitCode: number) => Error;
  readonly today?: () => string;
}

export interface CostOptions {
  readonly json?: boolean;
  readonly report?: string;
  readonly lake?: string;
  readonly prices?: string;
}

/** `batchbook cost <project> [--json] [--report out.html]` */
export function costCommand(deps: CostCommandDeps): Command {
  return new Command('cost')
    .description('estimate what the pipeline costs a year: serverless (pay per run) against an always-on cluster, peaks and operations included')
    .argument('[project]', 'project folder or pipeline.yaml')
    .option('--json', 'print the estimate as JSON (format batchbook.cost/v1, see docs/cost-model.md)')
    .option('--report <file>', 'write the one-page HTML report for business leaders')
    .option('--lake <dir>', 'where past run reports are read from (calibration, measured volume); default <project>/lake')
    .option('--prices <file>', 'price overrides; default <project>/cost.prices.yaml when it exists')
    .option('--catalog', 'list every price of the catalog (id, unit, USD, source) and exit')
    .action(async (path: string | undefined, opts: CostOptions & { catalog?: boolean }) => {
      // the cost model loads when the command runs, not when the CLI starts
      await (await import('./costRun.js')).runCostCommand(path, opts, deps);
    });
}
